import { withPageMoney } from "../shared/note-text.js";

type Json = unknown;

const isRecord = (value: Json): value is Record<string, Json> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Every text in a snapshot with a server note's amounts as the pages write money (a ledger entry's explanation). */
const withPageMoneyIn = (value: Json): Json =>
  typeof value === "string"
    ? withPageMoney(value)
    : Array.isArray(value)
      ? value.map(withPageMoneyIn)
      : isRecord(value)
        ? Object.fromEntries(Object.entries(value).map(([key, v]) => [key, withPageMoneyIn(v)]))
        : value;

/** A snapshot value as the diff shows it: text as it is, anything else as one line of JSON. */
export function auditValueText(value: Json): string {
  if (value === undefined) return "";
  if (value === null) return "null";
  const readable = withPageMoneyIn(value);
  if (typeof readable === "string") return readable;
  return JSON.stringify(readable, null, 1).replace(/\n\s*/g, " ");
}

// Timestamps that change on every write say nothing a reader needs; they stay out of the diff.
const NOISE = new Set(["updatedAt", "statusChangedAt"]);

export interface Change {
  field: string;
  before: Json;
  after: Json;
}

/** The fields that differ between two snapshots (objects compared by value). */
export function changedFields(before: Json, after: Json): Change[] {
  if (!isRecord(before) && !isRecord(after)) return [];
  const b = isRecord(before) ? before : {};
  const a = isRecord(after) ? after : {};
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  return keys
    .filter((key) => !NOISE.has(key) && JSON.stringify(b[key]) !== JSON.stringify(a[key]))
    .map((key) => ({ field: key, before: b[key], after: a[key] }));
}

/** Before → after for the fields a change touched; a creation lists what was created. */
export function AuditDiff({ before, after }: { before: Json; after: Json }) {
  if (before == null && after == null) return <p className="muted small">No snapshot recorded for this event.</p>;
  const created = before == null;
  const deleted = after == null;
  const changes = changedFields(before, after);
  if (changes.length === 0) return <p className="muted small">No field changed.</p>;
  return (
    <table className="diff-table">
      <thead>
        <tr>
          <th scope="col">Field</th>
          {!created && <th scope="col">Before</th>}
          {!deleted && <th scope="col">{created ? "Value" : "After"}</th>}
        </tr>
      </thead>
      <tbody>
        {changes.map((change) => (
          <tr key={change.field}>
            <th scope="row" className="diff-field">
              {change.field}
            </th>
            {!created && (
              <td>
                <span className="diff-before">{auditValueText(change.before)}</span>
              </td>
            )}
            {!deleted && (
              <td>
                <span className={created ? "diff-value" : "diff-after"}>{auditValueText(change.after)}</span>
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
