import { Button } from "../shared/button.js";
import { CheckboxField } from "../shared/checkbox-field.js";
import { PlusIcon, TrashIcon } from "../shared/icons.js";
import { periodLabels, ruleEventLabels } from "../shared/labels.js";
import { MoneyField } from "../shared/money-field.js";
import { optionsFrom, SelectField } from "../shared/select-field.js";
import { TextField } from "../shared/text-field.js";
import type { RuleEvent, TierBasis } from "../shared/types.js";
import {
  type ConditionDraft,
  type ConditionField,
  type DraftErrors,
  type DurationChoice,
  type LevelDraft,
  newCondition,
  newLevel,
  type RuleDraft,
} from "./plan-draft.js";
import { RewardFields } from "./reward-fields.js";

const BASIS: { value: TierBasis; label: string }[] = [
  { value: "count", label: "Number of sales" },
  { value: "revenue", label: "Revenue" },
];

const DURATIONS: { value: DurationChoice; label: string }[] = [
  { value: "", label: "Every sale, no limit" },
  { value: "first_sale", label: "The customer's first sale only" },
  { value: "months", label: "For a number of months" },
  { value: "lifetime", label: "The customer's lifetime" },
];

const FIELDS: { value: ConditionField; label: string }[] = [
  { value: "product", label: "Product" },
  { value: "amount", label: "Sale amount" },
  { value: "country", label: "Customer country" },
  { value: "customer", label: "Customer" },
  { value: "partner_tier", label: "Partner tier" },
];

const OPS: Record<ConditionField, { value: string; label: string }[]> = {
  product: [
    { value: "in", label: "is one of" },
    { value: "not_in", label: "is none of" },
  ],
  amount: [
    { value: "gte", label: "is at least" },
    { value: "lte", label: "is at most" },
  ],
  country: [
    { value: "in", label: "is one of" },
    { value: "not_in", label: "is none of" },
  ],
  customer: [{ value: "is", label: "is" }],
  partner_tier: [
    { value: "in", label: "is one of" },
    { value: "not_in", label: "is none of" },
  ],
};

const VALUE_HINTS: Partial<Record<ConditionField, string>> = {
  product: "Product ids as sent with the sale, separated by commas",
  country: "Two-letter codes, e.g. US, CA",
  partner_tier: "Tier names, e.g. gold, silver",
};

function ConditionRow({
  condition,
  onChange,
  onRemove,
  currency,
  errors,
  pointer,
  label,
}: {
  condition: ConditionDraft;
  onChange: (c: ConditionDraft) => void;
  onRemove: () => void;
  currency: string;
  errors: DraftErrors;
  pointer: string;
  label: string;
}) {
  return (
    <div className="condition-row">
      <SelectField
        label={`${label} field`}
        value={condition.field}
        onChange={(field) => {
          const f = field as ConditionField;
          onChange({ ...condition, field: f, op: OPS[f][0]!.value, value: f === "customer" ? "new" : "" });
        }}
        options={FIELDS}
      />
      <SelectField
        label={`${label} test`}
        value={condition.op}
        onChange={(op) => onChange({ ...condition, op })}
        options={OPS[condition.field]}
      />
      {condition.field === "amount" ? (
        <MoneyField
          label={`${label} amount`}
          currency={currency}
          value={condition.value}
          onChange={(value) => onChange({ ...condition, value })}
          error={errors[`${pointer}/value`]}
        />
      ) : condition.field === "customer" ? (
        <SelectField
          label={`${label} value`}
          value={condition.value || "new"}
          onChange={(value) => onChange({ ...condition, value })}
          options={[
            { value: "new", label: "New (first sale)" },
            { value: "returning", label: "Returning (recurring sale)" },
          ]}
        />
      ) : (
        <TextField
          label={`${label} values`}
          value={condition.values}
          onChange={(values) => onChange({ ...condition, values })}
          placeholder={condition.field === "country" ? "US, CA" : condition.field === "product" ? "pro, team" : "gold"}
          hint={VALUE_HINTS[condition.field]}
          error={errors[`${pointer}/values`]}
        />
      )}
      <button
        type="button"
        className="icon-button icon-button-danger condition-remove"
        aria-label={`Remove ${label.toLowerCase()}`}
        onClick={onRemove}
      >
        <TrashIcon size={16} />
      </button>
    </div>
  );
}

function TierLevels({
  rule,
  onChange,
  currency,
  errors,
  pointer,
}: {
  rule: RuleDraft;
  onChange: (rule: RuleDraft) => void;
  currency: string;
  errors: DraftErrors;
  pointer: string;
}) {
  const setLevel = (i: number, level: LevelDraft) =>
    onChange({ ...rule, levels: rule.levels.map((l, j) => (j === i ? level : l)) });
  const previousUpTo = (i: number) => (i === 0 ? "" : rule.levels[i - 1]!.upTo);
  const range = (i: number) => {
    const last = i === rule.levels.length - 1;
    if (rule.basis === "count") {
      const from = i === 0 ? 1 : Number(previousUpTo(i)) + 1;
      const start = Number.isFinite(from) && from > 0 ? from : "…";
      return last ? `Sale ${start} and beyond` : `Sales ${start} to`;
    }
    return last ? "Beyond that" : i === 0 ? "Revenue below" : "Then below";
  };
  return (
    <div className="tier-levels">
      <div className="tier-levels-head" aria-hidden="true">
        <span>{rule.basis === "count" ? "Sales in the period" : "Revenue in the period"}</span>
        <span>Reward</span>
      </div>
      <ol className="tier-level-list">
        {rule.levels.map((level, i) => {
          const last = i === rule.levels.length - 1;
          const at = `${pointer}/tiers/levels/${i}`;
          return (
            <li key={level.key} className="tier-level">
              <div className="tier-level-range">
                <span className="tier-level-label">{range(i)}</span>
                {!last &&
                  (rule.basis === "count" ? (
                    <TextField
                      label={`Level ${i + 1} up to sale`}
                      value={level.upTo}
                      onChange={(upTo) => setLevel(i, { ...level, upTo })}
                      inputMode="numeric"
                      placeholder="5"
                      className="field-narrow visually-hidden-label"
                      error={errors[`${at}/upTo`]}
                    />
                  ) : (
                    <MoneyField
                      label={`Level ${i + 1} up to revenue`}
                      currency={currency}
                      value={level.upTo}
                      onChange={(upTo) => setLevel(i, { ...level, upTo })}
                      placeholder="5000"
                      className="visually-hidden-label"
                      error={errors[`${at}/upTo`]}
                    />
                  ))}
              </div>
              <RewardFields
                reward={level.reward}
                onChange={(reward) => setLevel(i, { ...level, reward })}
                currency={currency}
                errors={errors}
                pointer={`${at}/reward`}
                label={`Level ${i + 1}`}
                hideLabels
              />
              {rule.levels.length > 1 && (
                <button
                  type="button"
                  className="icon-button icon-button-danger"
                  aria-label={`Remove level ${i + 1}`}
                  onClick={() => onChange({ ...rule, levels: rule.levels.filter((_, j) => j !== i) })}
                >
                  <TrashIcon size={16} />
                </button>
              )}
            </li>
          );
        })}
      </ol>
      <Button
        size="sm"
        variant="ghost"
        icon={<PlusIcon size={14} />}
        onClick={() =>
          onChange({ ...rule, levels: [...rule.levels.slice(0, -1), newLevel(), ...rule.levels.slice(-1)] })
        }
      >
        Add a level
      </Button>
      {errors[`${pointer}/tiers/levels`] && <p className="field-error">{errors[`${pointer}/tiers/levels`]}</p>}
    </div>
  );
}

/** One rule of a plan: which event, the reward or volume tiers, how long it pays, and when it applies. */
export function PlanRuleEditor({
  rule,
  index,
  onChange,
  onRemove,
  currency,
  errors,
}: {
  rule: RuleDraft;
  index: number;
  onChange: (rule: RuleDraft) => void;
  onRemove?: () => void;
  currency: string;
  errors: DraftErrors;
}) {
  const pointer = `/definition/rules/${index}`;
  const lead = rule.event === "lead";
  return (
    <fieldset className="rule-card" aria-label={`Rule ${index + 1}`}>
      <legend className="visually-hidden">Rule {index + 1}</legend>
      <div className="rule-card-head">
        <span className="rule-number">{index + 1}</span>
        <TextField
          label="Rule name"
          value={rule.name}
          onChange={(name) => onChange({ ...rule, name })}
          placeholder="Sales"
          error={errors[`${pointer}/name`] ?? errors[`${pointer}/id`]}
          hint={rule.id ? <span className="mono">{rule.id}</span> : undefined}
          required
        />
        <SelectField
          label="Pays on"
          value={rule.event}
          onChange={(event) => {
            const next = event as RuleEvent;
            onChange({
              ...rule,
              event: next,
              ...(next === "lead"
                ? { tiered: false, duration: "" as const, reward: { ...rule.reward, type: "flat" as const } }
                : {}),
            });
          }}
          options={optionsFrom(ruleEventLabels)}
          error={errors[`${pointer}/event`]}
        />
        {onRemove && (
          <button
            type="button"
            className="icon-button icon-button-danger rule-remove"
            aria-label={`Remove rule ${index + 1}`}
            onClick={onRemove}
          >
            <TrashIcon size={16} />
          </button>
        )}
      </div>

      {!lead && (
        <CheckboxField
          label="Volume tiers"
          description="The rate depends on how much the partner sold in the period (e.g. 10% for the first 5 sales a month, 15% beyond)."
          checked={rule.tiered}
          onChange={(tiered) => onChange({ ...rule, tiered })}
        />
      )}
      {rule.tiered && !lead ? (
        <div className="stack">
          <div className="grid-2">
            <SelectField
              label="Tier period"
              value={rule.period}
              onChange={(period) => onChange({ ...rule, period: period as RuleDraft["period"] })}
              options={optionsFrom(periodLabels)}
            />
            <SelectField
              label="Tiers count"
              value={rule.basis}
              onChange={(basis) => onChange({ ...rule, basis: basis as TierBasis })}
              options={BASIS}
            />
          </div>
          <TierLevels rule={rule} onChange={onChange} currency={currency} errors={errors} pointer={pointer} />
        </div>
      ) : (
        <RewardFields
          reward={rule.reward}
          onChange={(reward) => onChange({ ...rule, reward })}
          currency={currency}
          errors={errors}
          pointer={`${pointer}/reward`}
          leadOnly={lead}
        />
      )}
      {errors[`${pointer}/reward`] && <p className="field-error">{errors[`${pointer}/reward`]}</p>}

      {!lead && (
        <div className="grid-2">
          <SelectField
            label="Pays for"
            value={rule.duration}
            onChange={(duration) => onChange({ ...rule, duration: duration as DurationChoice })}
            options={DURATIONS}
            hint="Recurring sales of a customer earn only while this lasts."
            error={errors[`${pointer}/duration`]}
          />
          {rule.duration === "months" && (
            <TextField
              label="Months after the first sale"
              value={rule.months}
              onChange={(months) => onChange({ ...rule, months })}
              inputMode="numeric"
              suffix="months"
              error={errors[`${pointer}/duration/months`]}
            />
          )}
        </div>
      )}

      <div className="conditions">
        <div className="conditions-head">
          <h4 className="explanation-heading">Conditions</h4>
          <span className="muted small">
            {rule.conditions.length === 0
              ? `None: the rule applies to every ${lead ? "lead" : "sale"}`
              : "All must hold"}
          </span>
        </div>
        {rule.conditions.map((condition, i) => (
          <ConditionRow
            key={condition.key}
            condition={condition}
            label={`Condition ${i + 1}`}
            onChange={(c) => onChange({ ...rule, conditions: rule.conditions.map((x, j) => (j === i ? c : x)) })}
            onRemove={() => onChange({ ...rule, conditions: rule.conditions.filter((_, j) => j !== i) })}
            currency={currency}
            errors={errors}
            pointer={`${pointer}/conditions/${i}`}
          />
        ))}
        <Button
          size="sm"
          variant="ghost"
          icon={<PlusIcon size={14} />}
          onClick={() => onChange({ ...rule, conditions: [...rule.conditions, newCondition()] })}
        >
          Add a condition
        </Button>
      </div>
    </fieldset>
  );
}
