import type { ReactNode } from "react";
import { Button } from "../shared/button.js";
import { CheckboxField } from "../shared/checkbox-field.js";
import { PlusIcon, TrashIcon } from "../shared/icons.js";
import { metricLabels, periodLabels, referralRewardLabels } from "../shared/labels.js";
import { MoneyField, PercentField } from "../shared/money-field.js";
import { optionsFrom, SelectField } from "../shared/select-field.js";
import { TextField } from "../shared/text-field.js";
import { TextAreaField } from "../shared/textarea-field.js";
import type { Metric, PeriodKind } from "../shared/types.js";
import {
  type BadgeDraft,
  type BonusDraft,
  type DraftErrors,
  newBadge,
  newBonus,
  type PlanDraft,
} from "./plan-draft.js";

const MAX_OVERRIDE_LEVELS = 3;

function Part({ title, description, children }: { title: string; description: ReactNode; children: ReactNode }) {
  return (
    <section className="plan-part" aria-label={title}>
      <div className="plan-part-intro">
        <h3 className="plan-part-title">{title}</h3>
        <p className="muted small">{description}</p>
      </div>
      <div className="stack">{children}</div>
    </section>
  );
}

function RemoveButton({ label, onClick }: { label: string; onClick: () => void }) {
  return (
    <button type="button" className="icon-button icon-button-danger" aria-label={label} onClick={onClick}>
      <TrashIcon size={16} />
    </button>
  );
}

/** The threshold of a bonus or badge: a number of sales or an amount of revenue. */
function ThresholdField({
  metric,
  value,
  onChange,
  currency,
  label,
  error,
}: {
  metric: Metric;
  value: string;
  onChange: (value: string) => void;
  currency: string;
  label: string;
  error?: string;
}) {
  return metric === "revenue" ? (
    <MoneyField label={label} currency={currency} value={value} onChange={onChange} error={error} />
  ) : (
    <TextField label={label} value={value} onChange={onChange} inputMode="numeric" suffix="sales" error={error} />
  );
}

function BonusRow({
  bonus,
  index,
  onChange,
  onRemove,
  currency,
  errors,
}: {
  bonus: BonusDraft;
  index: number;
  onChange: (b: BonusDraft) => void;
  onRemove: () => void;
  currency: string;
  errors: DraftErrors;
}) {
  const at = `/definition/bonuses/${index}`;
  const label = `Bonus ${index + 1}`;
  return (
    <div className="plan-row plan-row-3">
      <TextField
        label={`${label} name`}
        value={bonus.name}
        onChange={(name) => onChange({ ...bonus, name })}
        placeholder="10 sales in a month"
        error={errors[`${at}/name`] ?? errors[`${at}/id`]}
        className="plan-row-full"
      />
      <SelectField
        label={`${label} when`}
        value={bonus.metric}
        onChange={(metric) => onChange({ ...bonus, metric: metric as Metric, threshold: "" })}
        options={optionsFrom(metricLabels)}
      />
      <ThresholdField
        label={`${label} reaches`}
        metric={bonus.metric}
        value={bonus.threshold}
        onChange={(threshold) => onChange({ ...bonus, threshold })}
        currency={currency}
        error={errors[`${at}/threshold`]}
      />
      <MoneyField
        label={`${label} pays`}
        currency={currency}
        value={bonus.amount}
        onChange={(amount) => onChange({ ...bonus, amount })}
        error={errors[`${at}/amount`]}
      />
      <RemoveButton label={`Remove bonus ${index + 1}`} onClick={onRemove} />
    </div>
  );
}

function BadgeRow({
  badge,
  index,
  onChange,
  onRemove,
  currency,
  errors,
}: {
  badge: BadgeDraft;
  index: number;
  onChange: (b: BadgeDraft) => void;
  onRemove: () => void;
  currency: string;
  errors: DraftErrors;
}) {
  const at = `/definition/badges/${index}`;
  const label = `Badge ${index + 1}`;
  return (
    <div className="plan-badge-row">
      <div className="plan-row plan-row-3">
        <TextField
          label={`${label} name`}
          value={badge.name}
          onChange={(name) => onChange({ ...badge, name })}
          placeholder="Expert partner"
          error={errors[`${at}/name`] ?? errors[`${at}/id`]}
          className="plan-row-full"
        />
        <SelectField
          label={`${label} earned by`}
          value={badge.metric}
          onChange={(metric) => onChange({ ...badge, metric: metric as Metric, threshold: "" })}
          options={optionsFrom(metricLabels)}
          hint="Lifetime, in this program"
        />
        <ThresholdField
          label={`${label} reaching`}
          metric={badge.metric}
          value={badge.threshold}
          onChange={(threshold) => onChange({ ...badge, threshold })}
          currency={currency}
          error={errors[`${at}/threshold`]}
        />
        <RemoveButton label={`Remove badge ${index + 1}`} onClick={onRemove} />
      </div>
      <TextAreaField
        label={`${label} benefits`}
        value={badge.benefits}
        onChange={(benefits) => onChange({ ...badge, benefits })}
        rows={2}
        placeholder={"Premium support\nEarly beta access"}
        hint="One per line: what the partner unlocks."
        error={errors[`${at}/benefits`]}
      />
    </div>
  );
}

/** Everything a plan has besides its rules: cap, bonuses, second-tier overrides, the referred customer's reward, badges. */
export function PlanExtrasEditor({
  draft,
  onChange,
  currency,
  errors,
}: {
  draft: PlanDraft;
  onChange: (draft: PlanDraft) => void;
  currency: string;
  errors: DraftErrors;
}) {
  const set = <K extends keyof PlanDraft>(key: K, value: PlanDraft[K]) => onChange({ ...draft, [key]: value });
  return (
    <div className="plan-parts">
      <Part title="Cap" description="The most a partner earns from this plan's rules in a period.">
        <CheckboxField label="Cap each partner's earnings" checked={draft.capOn} onChange={(v) => set("capOn", v)} />
        {draft.capOn && (
          <div className="grid-2">
            <MoneyField
              label="Cap amount"
              currency={currency}
              value={draft.capAmount}
              onChange={(v) => set("capAmount", v)}
              error={errors["/definition/cap/amount"]}
            />
            <SelectField
              label="Cap period"
              value={draft.capPeriod}
              onChange={(v) => set("capPeriod", v as PeriodKind)}
              options={optionsFrom(periodLabels)}
            />
          </div>
        )}
      </Part>

      <Part
        title="Performance bonuses"
        description="Paid once per calendar month when a partner reaches the threshold."
      >
        {draft.bonuses.map((bonus, i) => (
          <BonusRow
            key={bonus.key}
            bonus={bonus}
            index={i}
            currency={currency}
            errors={errors}
            onChange={(b) =>
              set(
                "bonuses",
                draft.bonuses.map((x, j) => (j === i ? b : x)),
              )
            }
            onRemove={() =>
              set(
                "bonuses",
                draft.bonuses.filter((_, j) => j !== i),
              )
            }
          />
        ))}
        <div>
          <Button
            size="sm"
            variant="ghost"
            icon={<PlusIcon size={14} />}
            onClick={() => set("bonuses", [...draft.bonuses, newBonus()])}
          >
            Add a bonus
          </Button>
        </div>
      </Part>

      <Part
        title="Second-tier overrides"
        description="The partner who recruited a partner earns a share of that partner's commissions, up to three levels up."
      >
        {draft.overrides.length > 0 && (
          <div className="plan-row plan-row-3">
            {draft.overrides.map((percent, i) => (
              <PercentField
                // biome-ignore lint/suspicious/noArrayIndexKey: a level is its position
                key={i}
                label={i === 0 ? "Level 1 (direct recruiter)" : `Level ${i + 1}`}
                value={percent}
                onChange={(v) =>
                  set(
                    "overrides",
                    draft.overrides.map((x, j) => (j === i ? v : x)),
                  )
                }
                error={errors[`/definition/overrides/levels/${i}`]}
              />
            ))}
          </div>
        )}
        <div className="action-row">
          {draft.overrides.length < MAX_OVERRIDE_LEVELS && (
            <Button
              size="sm"
              variant="ghost"
              icon={<PlusIcon size={14} />}
              onClick={() => set("overrides", [...draft.overrides, ""])}
            >
              {draft.overrides.length === 0 ? "Add overrides" : "Add a level"}
            </Button>
          )}
          {draft.overrides.length > 0 && (
            <Button size="sm" variant="ghost" onClick={() => set("overrides", draft.overrides.slice(0, -1))}>
              Remove level {draft.overrides.length}
            </Button>
          )}
        </div>
      </Part>

      <Part
        title="Referred customer's reward"
        description="Two-sided referrals: the customer a partner refers gets a discount or credit code, issued with their first sale."
      >
        <div className="grid-2">
          <SelectField
            label="Reward for the referred customer"
            value={draft.referralKind}
            onChange={(v) => onChange({ ...draft, referralKind: v as PlanDraft["referralKind"], referralValue: "" })}
            options={optionsFrom(referralRewardLabels)}
            placeholder="None"
          />
          {draft.referralKind === "discount_percent" && (
            <PercentField
              label="Discount"
              value={draft.referralValue}
              onChange={(v) => set("referralValue", v)}
              error={errors["/definition/referralReward/bps"]}
            />
          )}
          {(draft.referralKind === "discount_amount" || draft.referralKind === "credit") && (
            <MoneyField
              label={draft.referralKind === "credit" ? "Credit" : "Discount"}
              currency={currency}
              value={draft.referralValue}
              onChange={(v) => set("referralValue", v)}
              error={errors["/definition/referralReward/amount"]}
            />
          )}
        </div>
      </Part>

      <Part title="Badges" description="Milestones that unlock benefits, shown to the partner in the portal.">
        {draft.badges.map((badge, i) => (
          <BadgeRow
            key={badge.key}
            badge={badge}
            index={i}
            currency={currency}
            errors={errors}
            onChange={(b) =>
              set(
                "badges",
                draft.badges.map((x, j) => (j === i ? b : x)),
              )
            }
            onRemove={() =>
              set(
                "badges",
                draft.badges.filter((_, j) => j !== i),
              )
            }
          />
        ))}
        <div>
          <Button
            size="sm"
            variant="ghost"
            icon={<PlusIcon size={14} />}
            onClick={() => set("badges", [...draft.badges, newBadge()])}
          >
            Add a badge
          </Button>
        </div>
      </Part>
    </div>
  );
}
