import { TextField } from "../shared/text-field.js";
import { UTM_KEYS, type UtmKey } from "../shared/utm-keys.js";
import type { FixedUtm } from "./redirect-landing.js";
import { UTM_FIELDS, utmValueProblem } from "./utm-tags.js";

const SET_BY: Record<FixedUtm["by"], string> = {
  program: "Set by the program",
  link: "Set in the link's destination",
  page: "Set in the page to land on",
  "click-id": "The program's click id",
};

/**
 * The link builder's UTM parameters. One the landing address sets already is shown with the value the visitor
 * will land with, read-only and saying who set it: the redirect would drop the partner's own.
 */
export function UtmFields({
  values,
  onChange,
  fixed,
}: {
  values: Partial<Record<UtmKey, string>>;
  onChange: (key: UtmKey, value: string) => void;
  fixed: Partial<Record<UtmKey, FixedUtm>>;
}) {
  return (
    <fieldset className="tagged-link-utm">
      <legend className="field-label">UTM tags</legend>
      <p className="field-hint">
        Passed on to the page the visitor lands on, for the site's analytics; your reports here go by sub-id.
      </p>
      <div className="tagged-link-utm-fields">
        {UTM_KEYS.map((key) => {
          const set = fixed[key];
          const typed = values[key] ?? "";
          return (
            <TextField
              key={key}
              label={UTM_FIELDS[key].label}
              value={set ? set.value : typed}
              onChange={(value) => onChange(key, value)}
              readOnly={Boolean(set)}
              // Who set it instead of the parameter's name: both would wrap in a fifth of the card (the title has both).
              hint={set ? SET_BY[set.by] : key}
              title={set ? `${key}: ${SET_BY[set.by].toLowerCase()}` : undefined}
              placeholder={set ? undefined : UTM_FIELDS[key].example}
              error={set ? undefined : utmValueProblem(typed)}
              optional={!set}
            />
          );
        })}
      </div>
    </fieldset>
  );
}
