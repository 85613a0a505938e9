import { Button } from "../shared/button.js";
import { PlusIcon, TrashIcon } from "../shared/icons.js";
import { UTM_KEYS } from "../shared/utm-keys.js";

export interface UtmRow {
  key: string;
  value: string;
}

/** utm_* parameters added to partner link destinations that do not set them already. */
export function UtmParamsEditor({
  rows,
  onChange,
  errors,
}: {
  rows: UtmRow[];
  onChange: (rows: UtmRow[]) => void;
  errors: Record<string, string>;
}) {
  const unused = UTM_KEYS.filter((key) => !rows.some((r) => r.key === key));
  const update = (index: number, patch: Partial<UtmRow>) =>
    onChange(rows.map((row, i) => (i === index ? { ...row, ...patch } : row)));
  const error = errors["/utmParams"];
  return (
    <fieldset className="fieldset">
      <legend className="field-label">UTM parameters</legend>
      <p className="field-hint">
        Added to every destination that doesn't set them itself, so partner traffic shows up in your analytics.
      </p>
      {rows.length > 0 && (
        <ul className="utm-rows">
          {rows.map((row, index) => (
            // By position: keyed by the parameter, choosing another one rebuilt the row and dropped keyboard focus.
            // biome-ignore lint/suspicious/noArrayIndexKey: rows are controlled, and only appended or removed
            <li key={index} className="utm-row">
              <select
                className="input select utm-key"
                value={row.key}
                aria-label={`Parameter ${index + 1}`}
                onChange={(event) => update(index, { key: event.target.value })}
              >
                {[row.key, ...unused].map((key) => (
                  <option key={key} value={key}>
                    {key}
                  </option>
                ))}
              </select>
              <span className="utm-equals" aria-hidden="true">
                =
              </span>
              <input
                className="input"
                value={row.value}
                aria-label={`${row.key} value`}
                aria-invalid={errors[`/utmParams/${row.key}`] ? true : undefined}
                placeholder={row.key === "utm_source" ? "partners" : row.key === "utm_medium" ? "affiliate" : ""}
                onChange={(event) => update(index, { value: event.target.value })}
              />
              <Button
                variant="ghost"
                size="sm"
                className="btn-icon"
                aria-label={`Remove ${row.key}`}
                onClick={() => onChange(rows.filter((_, i) => i !== index))}
              >
                <TrashIcon size={16} />
              </Button>
              {errors[`/utmParams/${row.key}`] && (
                <p className="field-error utm-error">{errors[`/utmParams/${row.key}`]}</p>
              )}
            </li>
          ))}
        </ul>
      )}
      {unused[0] && (
        <div>
          <Button
            size="sm"
            icon={<PlusIcon size={15} />}
            onClick={() => onChange([...rows, { key: unused[0] ?? "utm_source", value: "" }])}
          >
            Add parameter
          </Button>
        </div>
      )}
      {error && <p className="field-error">{error}</p>}
    </fieldset>
  );
}
