import { SelectField } from "../shared/select-field.js";
import { TextField } from "../shared/text-field.js";
import { TextAreaField } from "../shared/textarea-field.js";
import type { Question } from "../shared/types.js";

interface QuestionInputProps {
  question: Question;
  value: string;
  onChange: (value: string) => void;
  error?: string;
}

/** One custom application question, as the control its type calls for. */
export function QuestionInput({ question, value, onChange, error }: QuestionInputProps) {
  const common = {
    label: question.label,
    value,
    onChange,
    error,
    hint: question.helpText,
    required: question.required,
    optional: !question.required,
  };
  switch (question.type) {
    case "long_text":
      return <TextAreaField {...common} rows={4} maxLength={5000} />;
    case "select":
      return (
        <SelectField
          {...common}
          placeholder="Choose one"
          options={(question.options ?? []).map((option) => ({ value: option, label: option }))}
        />
      );
    case "url":
      return <TextField {...common} type="url" placeholder="https://" maxLength={2000} />;
    case "number":
      return <TextField {...common} type="number" inputMode="decimal" />;
    default:
      return <TextField {...common} maxLength={500} />;
  }
}

/** Answers as the API takes them: numbers for number questions, nothing for blanks. */
export function answersBody(questions: Question[], answers: Record<string, string>): Record<string, string | number> {
  const body: Record<string, string | number> = {};
  for (const q of questions) {
    const raw = answers[q.id]?.trim() ?? "";
    if (!raw) continue;
    const n = Number(raw);
    body[q.id] = q.type === "number" && Number.isFinite(n) ? n : raw;
  }
  return body;
}
