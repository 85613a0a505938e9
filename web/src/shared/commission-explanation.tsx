import { Fragment } from "react";
import { readableNote, withPageMoney } from "./note-text.js";
import { sentenceCase } from "./sentence-case.js";
import type { CommissionExplanation as Explanation } from "./types.js";

const INPUT_LABELS: Record<string, string> = {
  event: "Event",
  saleAmount: "Sale amount",
  creditedAmount: "Credited amount",
  creditShare: "Credit share",
  products: "Products",
  country: "Country",
  partnerTier: "Partner tier",
  plan: "Plan",
};

const inputLabel = (key: string) =>
  INPUT_LABELS[key] ?? sentenceCase(key.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase());

const inputValue = (value: unknown): string =>
  Array.isArray(value)
    ? value.join(", ")
    : value !== null && typeof value === "object"
      ? JSON.stringify(value)
      : withPageMoney(String(value));

/**
 * How the engine arrived at an amount: its summary, the arithmetic step by step, the facts it used and the rules
 * it passed over. The same view in the console's ledger and preview and in the partner's earnings.
 */
export function CommissionExplanationView({
  explanation,
  showInputs = true,
  showSkipped = true,
  showSummary = true,
}: {
  explanation: Explanation;
  showInputs?: boolean;
  showSkipped?: boolean;
  showSummary?: boolean;
}) {
  const inputs = Object.entries(explanation.inputs ?? {});
  const skipped = explanation.skipped ?? [];
  return (
    <div className="explanation">
      {showSummary && <p className="explanation-summary">{readableNote(explanation.summary)}</p>}
      {explanation.steps.length > 0 && (
        <ol className="explanation-steps" aria-label="How it was calculated">
          {explanation.steps.map((step, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: steps are a fixed, ordered list and may repeat
            <li key={i}>{readableNote(step)}</li>
          ))}
        </ol>
      )}
      {showInputs && inputs.length > 0 && (
        <dl className="details details-compact explanation-inputs">
          {inputs.map(([key, value]) => (
            <Fragment key={key}>
              <dt>{inputLabel(key)}</dt>
              <dd>{inputValue(value)}</dd>
            </Fragment>
          ))}
        </dl>
      )}
      {showSkipped && skipped.length > 0 && (
        <div className="explanation-skipped">
          <h4 className="explanation-heading">Rules that did not apply</h4>
          <ul>
            {skipped.map((s) => (
              <li key={s.ruleId}>
                <strong>{s.ruleName}</strong> <span className="muted">— {s.reason}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
