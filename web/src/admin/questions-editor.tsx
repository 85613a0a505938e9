import { Button } from "../shared/button.js";
import { CheckboxField } from "../shared/checkbox-field.js";
import { ArrowDownIcon, ArrowUpIcon, PlusIcon, TrashIcon } from "../shared/icons.js";
import { questionTypeLabels } from "../shared/labels.js";
import { optionsFrom, SelectField } from "../shared/select-field.js";
import { TextField } from "../shared/text-field.js";
import { TextAreaField } from "../shared/textarea-field.js";
import type { QuestionType } from "../shared/types.js";
import { emptyQuestion, errorAt, type QuestionDraft } from "./program-draft.js";

interface QuestionsEditorProps {
  questions: QuestionDraft[];
  onChange: (questions: QuestionDraft[]) => void;
  errors: Record<string, string>;
}

/** Add, remove, reorder and edit the questions applicants answer. */
export function QuestionsEditor({ questions, onChange, errors }: QuestionsEditorProps) {
  const update = (index: number, patch: Partial<QuestionDraft>) =>
    onChange(questions.map((q, i) => (i === index ? { ...q, ...patch } : q)));
  const move = (index: number, by: -1 | 1) => {
    const next = [...questions];
    const [item] = next.splice(index, 1);
    if (item) next.splice(index + by, 0, item);
    onChange(next);
  };
  const listError = errors["/applicationQuestions"];
  return (
    <div className="questions-editor">
      {listError && <p className="field-error">{listError}</p>}
      {questions.length === 0 && (
        <p className="questions-empty">
          No custom questions yet. Applicants always give their name, email, company, partner type, country and website.
        </p>
      )}
      {questions.map((question, index) => {
        const base = `/applicationQuestions/${index}`;
        const number = index + 1;
        return (
          <fieldset key={question.key} className="question-item">
            <legend className="question-legend">Question {number}</legend>
            <div className="question-body">
              <div className="question-toolbar">
                <button
                  type="button"
                  className="icon-button"
                  aria-label={`Move question ${number} up`}
                  disabled={index === 0}
                  onClick={() => move(index, -1)}
                >
                  <ArrowUpIcon size={16} />
                </button>
                <button
                  type="button"
                  className="icon-button"
                  aria-label={`Move question ${number} down`}
                  disabled={index === questions.length - 1}
                  onClick={() => move(index, 1)}
                >
                  <ArrowDownIcon size={16} />
                </button>
                <button
                  type="button"
                  className="icon-button icon-button-danger"
                  aria-label={`Remove question ${number}`}
                  onClick={() => onChange(questions.filter((_, i) => i !== index))}
                >
                  <TrashIcon size={16} />
                </button>
              </div>
              <div className="question-grid">
                <TextField
                  label="Question"
                  value={question.label}
                  onChange={(label) => update(index, { label })}
                  placeholder="e.g. Where will you promote us?"
                  error={errors[`${base}/label`]}
                  maxLength={200}
                  required
                />
                <SelectField
                  label="Answer type"
                  value={question.type}
                  onChange={(type) => update(index, { type: type as QuestionType })}
                  options={optionsFrom(questionTypeLabels)}
                  error={errors[`${base}/type`]}
                />
              </div>
              {question.type === "select" && (
                <TextAreaField
                  label="Choices"
                  value={question.options}
                  onChange={(options) => update(index, { options })}
                  hint="One choice per line."
                  rows={4}
                  error={errorAt(errors, `${base}/options`)}
                  required
                />
              )}
              <TextField
                label="Help text"
                value={question.helpText}
                onChange={(helpText) => update(index, { helpText })}
                placeholder="Shown under the question"
                error={errors[`${base}/helpText`]}
                optional
                maxLength={500}
              />
              <CheckboxField
                label="Required"
                checked={question.required}
                onChange={(required) => update(index, { required })}
                description="Applicants cannot submit without answering."
              />
            </div>
          </fieldset>
        );
      })}
      <Button icon={<PlusIcon size={16} />} onClick={() => onChange([...questions, emptyQuestion()])}>
        Add question
      </Button>
    </div>
  );
}
