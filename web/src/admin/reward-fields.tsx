import { MoneyField, PercentField } from "../shared/money-field.js";
import { SelectField } from "../shared/select-field.js";
import type { RewardType } from "../shared/types.js";
import type { DraftErrors, RewardDraft } from "./plan-draft.js";

const REWARD_TYPES: { value: RewardType; label: string }[] = [
  { value: "percent", label: "Percentage of the sale" },
  { value: "flat", label: "Flat amount (CPA)" },
  { value: "hybrid", label: "Flat + percentage" },
];

// A lead has no amount to take a percentage of.
const LEAD_TYPES: RewardType[] = ["flat"];

/**
 * A reward: a flat amount, a percentage or both. `label` names the reward for screen readers and tests when
 * several sit side by side ("Level 2 percentage"); `pointer` is where its errors are keyed.
 */
export function RewardFields({
  reward,
  onChange,
  currency,
  errors,
  pointer,
  label = "",
  leadOnly = false,
  hideLabels = false,
}: {
  reward: RewardDraft;
  onChange: (reward: RewardDraft) => void;
  currency: string;
  errors: DraftErrors;
  pointer: string;
  label?: string;
  leadOnly?: boolean;
  /** In a table whose header already says "Reward": the labels stay for screen readers only. */
  hideLabels?: boolean;
}) {
  const fieldClass = hideLabels ? "visually-hidden-label" : undefined;
  const name = (text: string) => (label ? `${label} ${text.toLowerCase()}` : text);
  return (
    <div className="reward-fields">
      <SelectField
        label={name("Reward")}
        value={reward.type}
        onChange={(type) => onChange({ ...reward, type: type as RewardType })}
        options={
          leadOnly ? REWARD_TYPES.filter((t) => LEAD_TYPES.includes(t.value) || t.value === reward.type) : REWARD_TYPES
        }
        error={errors[`${pointer}/type`]}
        className={fieldClass}
      />
      {reward.type !== "percent" && (
        <MoneyField
          label={name("Amount")}
          currency={currency}
          value={reward.amount}
          onChange={(amount) => onChange({ ...reward, amount })}
          placeholder="25.00"
          error={errors[`${pointer}/amount`]}
          className={fieldClass}
        />
      )}
      {reward.type !== "flat" && (
        <PercentField
          label={name("Percentage")}
          value={reward.percent}
          onChange={(percent) => onChange({ ...reward, percent })}
          placeholder="10"
          error={errors[`${pointer}/bps`]}
          className={fieldClass}
        />
      )}
    </div>
  );
}
