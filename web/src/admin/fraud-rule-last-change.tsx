import { formatDateTime, formatRelative } from "../shared/format.js";
import { UserIcon } from "../shared/icons.js";
import type { FraudRuleView } from "./fraud-rule-draft.js";

/**
 * Who last changed a rule for this program and when ("Changed by Ada Owner, 3 days ago", the exact time in the
 * tooltip), from the audit log through the API; or that the rule has its defaults and nobody ever changed it.
 */
export function FraudRuleLastChange({ view }: { view: FraudRuleView }) {
  const change = view.lastChanged;
  if (!change) {
    return (
      <span className="fraud-rule-changed">
        <UserIcon size={14} /> Default, never changed
      </span>
    );
  }
  // A saved change keeps the program's own settings: a rule changed but not customized was last reset.
  const what = view.customized ? "Changed" : "Reset to the defaults";
  return (
    <span className="fraud-rule-changed">
      <UserIcon size={14} />
      <span>
        {what} by <span title={change.actor.email ?? undefined}>{change.actor.name}</span>,{" "}
        <time dateTime={change.at} title={formatDateTime(change.at)}>
          {formatRelative(change.at)}
        </time>
      </span>
    </span>
  );
}
