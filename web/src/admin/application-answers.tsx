import type { Question } from "../shared/types.js";

function Answer({ question, value }: { question?: Question; value: string | number | undefined }) {
  if (value === undefined || value === "") return <span className="muted">Not answered</span>;
  const text = String(value);
  if (question?.type === "url" && /^https?:\/\//i.test(text))
    return (
      <a href={text} target="_blank" rel="noreferrer noopener">
        {text}
      </a>
    );
  if (question?.type === "number" && typeof value === "number") return <>{value.toLocaleString("en-US")}</>;
  return <span className="pre-line">{text}</span>;
}

/** The applicant's answers under the questions' own labels, including answers to since-removed questions. */
export function ApplicationAnswers({
  questions,
  answers,
}: {
  questions: Question[];
  answers: Record<string, string | number>;
}) {
  const known = new Set(questions.map((q) => q.id));
  const orphans = Object.keys(answers).filter((id) => !known.has(id));
  if (questions.length === 0 && orphans.length === 0)
    return <p className="muted">This program asks no custom questions.</p>;
  return (
    <dl className="answers">
      {questions.map((question) => (
        <div key={question.id} className="answer">
          <dt>
            {question.label}
            {question.required && <span className="tag">Required</span>}
          </dt>
          <dd>
            <Answer question={question} value={answers[question.id]} />
          </dd>
        </div>
      ))}
      {orphans.map((id) => (
        <div key={id} className="answer">
          <dt>
            Removed question <code>{id}</code>
          </dt>
          <dd>
            <Answer value={answers[id]} />
          </dd>
        </div>
      ))}
    </dl>
  );
}
