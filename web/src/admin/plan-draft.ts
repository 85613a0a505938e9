import { bpsToPercentText, moneyInput, type Parsed, parseMoney, parsePercent, parseWhole } from "../shared/money.js";
import type {
  Condition,
  Metric,
  PeriodKind,
  PlanBadge,
  PlanBonus,
  PlanDefinition,
  PlanRule,
  ReferralReward,
  Reward,
  RewardType,
  RuleEvent,
  TierBasis,
} from "../shared/types.js";

/*
 * The plan editor works on a draft of strings (what the inputs show) and turns it into a plan definition in
 * minor units and basis points only when saving. Errors are keyed by the same JSON pointers the server uses
 * (`/definition/rules/0/tiers/levels/1/upTo`), so a server problem lands next to the input it is about.
 */

let keySeq = 0;
const nextKey = () => `k${++keySeq}`;

export interface RewardDraft {
  type: RewardType;
  amount: string;
  percent: string;
}

export interface LevelDraft {
  key: string;
  upTo: string;
  reward: RewardDraft;
}

export type ConditionField = Condition["field"];

export interface ConditionDraft {
  key: string;
  field: ConditionField;
  op: string;
  /** Lists (products, countries, tiers), comma-separated. */
  values: string;
  /** Amount (money) or customer kind. */
  value: string;
}

export type DurationChoice = "" | "first_sale" | "months" | "lifetime";

export interface RuleDraft {
  key: string;
  /** Kept from the saved plan: commissions refer to their rule by id. Empty: made from the name on save. */
  id: string;
  name: string;
  event: RuleEvent;
  tiered: boolean;
  reward: RewardDraft;
  period: PeriodKind;
  basis: TierBasis;
  levels: LevelDraft[];
  duration: DurationChoice;
  months: string;
  conditions: ConditionDraft[];
}

export interface BonusDraft {
  key: string;
  id: string;
  name: string;
  metric: Metric;
  threshold: string;
  amount: string;
}

export interface BadgeDraft {
  key: string;
  id: string;
  name: string;
  metric: Metric;
  threshold: string;
  benefits: string;
}

export interface PlanDraft {
  rules: RuleDraft[];
  capOn: boolean;
  capAmount: string;
  capPeriod: PeriodKind;
  bonuses: BonusDraft[];
  /** Percent per level, level 1 first; empty: no overrides. */
  overrides: string[];
  referralKind: "" | ReferralReward["kind"];
  referralValue: string;
  badges: BadgeDraft[];
}

const emptyReward = (type: RewardType = "percent"): RewardDraft => ({ type, amount: "", percent: "" });

export const newLevel = (upTo = ""): LevelDraft => ({ key: nextKey(), upTo, reward: emptyReward() });

export const newCondition = (): ConditionDraft => ({
  key: nextKey(),
  field: "product",
  op: "in",
  values: "",
  value: "",
});

export const newRule = (name = ""): RuleDraft => ({
  key: nextKey(),
  id: "",
  name,
  event: "sale",
  tiered: false,
  reward: emptyReward(),
  period: "calendar_month",
  basis: "count",
  levels: [newLevel("5"), newLevel()],
  duration: "",
  months: "12",
  conditions: [],
});

export const newBonus = (): BonusDraft => ({
  key: nextKey(),
  id: "",
  name: "",
  metric: "sales_count",
  threshold: "",
  amount: "",
});

export const newBadge = (): BadgeDraft => ({
  key: nextKey(),
  id: "",
  name: "",
  metric: "sales_count",
  threshold: "",
  benefits: "",
});

export const emptyPlanDraft = (): PlanDraft => ({
  rules: [newRule("Sales")],
  capOn: false,
  capAmount: "",
  capPeriod: "calendar_month",
  bonuses: [],
  overrides: [],
  referralKind: "",
  referralValue: "",
  badges: [],
});

function rewardDraft(reward: Reward | undefined, currency: string): RewardDraft {
  if (!reward) return emptyReward();
  return {
    type: reward.type,
    amount: "amount" in reward ? moneyInput(reward.amount, currency) : "",
    percent: "bps" in reward ? bpsToPercentText(reward.bps) : "",
  };
}

function conditionDraft(condition: Condition): ConditionDraft {
  const base = { key: nextKey(), field: condition.field, op: condition.op, values: "", value: "" };
  if ("values" in condition) return { ...base, values: condition.values.join(", ") };
  if (condition.field === "amount") return { ...base, value: String(condition.value) };
  return { ...base, value: condition.value };
}

export function draftFromDefinition(definition: PlanDefinition, currency: string): PlanDraft {
  return {
    rules: definition.rules.map((rule) => ({
      ...newRule(rule.name),
      id: rule.id,
      event: rule.event,
      tiered: Boolean(rule.tiers),
      reward: rewardDraft(rule.reward, currency),
      period: rule.tiers?.period ?? "calendar_month",
      basis: rule.tiers?.basis ?? "count",
      levels: rule.tiers
        ? rule.tiers.levels.map((level) => ({
            key: nextKey(),
            upTo:
              level.upTo === null
                ? ""
                : rule.tiers?.basis === "revenue"
                  ? moneyInput(level.upTo, currency)
                  : String(level.upTo),
            reward: rewardDraft(level.reward, currency),
          }))
        : [newLevel("5"), newLevel()],
      duration: rule.duration?.type ?? "",
      months: rule.duration?.type === "months" ? String(rule.duration.months) : "12",
      conditions: (rule.conditions ?? []).map((c) =>
        c.field === "amount" ? { ...conditionDraft(c), value: moneyInput(c.value, currency) } : conditionDraft(c),
      ),
    })),
    capOn: Boolean(definition.cap),
    capAmount: definition.cap ? moneyInput(definition.cap.amount, currency) : "",
    capPeriod: definition.cap?.period ?? "calendar_month",
    bonuses: (definition.bonuses ?? []).map((b) => ({
      key: nextKey(),
      id: b.id,
      name: b.name,
      metric: b.metric,
      threshold: b.metric === "revenue" ? moneyInput(b.threshold, currency) : String(b.threshold),
      amount: moneyInput(b.amount, currency),
    })),
    overrides: (definition.overrides?.levels ?? []).map(bpsToPercentText),
    referralKind: definition.referralReward?.kind ?? "",
    referralValue: !definition.referralReward
      ? ""
      : definition.referralReward.kind === "discount_percent"
        ? bpsToPercentText(definition.referralReward.bps)
        : moneyInput(definition.referralReward.amount, currency),
    badges: (definition.badges ?? []).map((b) => ({
      key: nextKey(),
      id: b.id,
      name: b.name,
      metric: b.metric,
      threshold: b.metric === "revenue" ? moneyInput(b.threshold, currency) : String(b.threshold),
      benefits: b.benefits.join("\n"),
    })),
  };
}

/** "Tiered sales" → "tiered_sales", unique among `taken`; the server accepts [a-z0-9_-]{1,40}. */
function idFromName(name: string, taken: Set<string>, fallback: string): string {
  const base =
    name
      .toLowerCase()
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/[^a-z0-9]+/g, "_")
      .replace(/^_+|_+$/g, "")
      .slice(0, 34) || fallback;
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}_${n}`;
  taken.add(id);
  return id;
}

export type DraftErrors = Record<string, string>;

/** Reads one field; a failure is recorded under `pointer` and the value is a placeholder. */
function reader(errors: DraftErrors) {
  return (pointer: string, parsed: Parsed): number => {
    if (parsed.ok) return parsed.value;
    errors[pointer] ??= parsed.error;
    return 0;
  };
}

function buildReward(d: RewardDraft, at: string, currency: string, read: ReturnType<typeof reader>): Reward {
  if (d.type === "flat") return { type: "flat", amount: read(`${at}/amount`, parseMoney(d.amount, currency)) };
  if (d.type === "percent") return { type: "percent", bps: read(`${at}/bps`, parsePercent(d.percent)) };
  return {
    type: "hybrid",
    amount: read(`${at}/amount`, parseMoney(d.amount, currency)),
    bps: read(`${at}/bps`, parsePercent(d.percent)),
  };
}

const list = (text: string) =>
  text
    .split(/[,\n]/)
    .map((v) => v.trim())
    .filter(Boolean);

function buildCondition(d: ConditionDraft, at: string, currency: string, errors: DraftErrors): Condition {
  const read = reader(errors);
  const values = list(d.values);
  const needValues = () => {
    if (values.length === 0) errors[`${at}/values`] ??= "Add at least one value";
  };
  switch (d.field) {
    case "amount":
      return {
        field: "amount",
        op: d.op === "lte" ? "lte" : "gte",
        value: read(`${at}/value`, parseMoney(d.value, currency)),
      };
    case "customer":
      return { field: "customer", op: "is", value: d.value === "returning" ? "returning" : "new" };
    case "country": {
      needValues();
      const codes = values.map((v) => v.toUpperCase());
      const bad = codes.find((c) => !/^[A-Z]{2}$/.test(c));
      if (bad) errors[`${at}/values`] ??= `${bad} is not a two-letter country code`;
      return { field: "country", op: d.op === "not_in" ? "not_in" : "in", values: codes };
    }
    case "partner_tier":
      needValues();
      return {
        field: "partner_tier",
        op: d.op === "not_in" ? "not_in" : "in",
        values: values.map((v) => v.toLowerCase()),
      };
    default:
      needValues();
      return { field: "product", op: d.op === "not_in" ? "not_in" : "in", values };
  }
}

function buildRule(d: RuleDraft, at: string, currency: string, errors: DraftErrors, id: string): PlanRule {
  const read = reader(errors);
  if (!d.name.trim()) errors[`${at}/name`] = "Give the rule a name";
  const rule: PlanRule = { id, name: d.name.trim(), event: d.event };
  if (d.tiered) {
    rule.tiers = {
      period: d.period,
      basis: d.basis,
      levels: d.levels.map((level, i) => {
        const last = i === d.levels.length - 1;
        const pointer = `${at}/tiers/levels/${i}`;
        const upTo = last
          ? null
          : read(
              `${pointer}/upTo`,
              d.basis === "revenue" ? parseMoney(level.upTo, currency) : parseWhole(level.upTo, { min: 1 }),
            );
        return { upTo, reward: buildReward(level.reward, `${pointer}/reward`, currency, read) };
      }),
    };
  } else {
    rule.reward = buildReward(d.reward, `${at}/reward`, currency, read);
  }
  if (d.event !== "lead" && d.duration) {
    rule.duration =
      d.duration === "months"
        ? { type: "months", months: read(`${at}/duration/months`, parseWhole(d.months, { min: 1, max: 600 })) }
        : { type: d.duration };
  }
  if (d.conditions.length > 0)
    rule.conditions = d.conditions.map((c, i) => buildCondition(c, `${at}/conditions/${i}`, currency, errors));
  return rule;
}

/** The draft as a plan definition, or the errors that stop it (keyed by `/definition/...` pointers). */
export function definitionFromDraft(
  draft: PlanDraft,
  currency: string,
): { definition: PlanDefinition; errors: DraftErrors } {
  const errors: DraftErrors = {};
  const read = reader(errors);
  const at = "/definition";
  if (draft.rules.length === 0) errors[`${at}/rules`] = "Add at least one rule";
  const ruleIds = new Set(draft.rules.map((r) => r.id).filter(Boolean));
  const definition: PlanDefinition = {
    rules: draft.rules.map((r, i) =>
      buildRule(r, `${at}/rules/${i}`, currency, errors, r.id || idFromName(r.name, ruleIds, `rule_${i + 1}`)),
    ),
  };
  if (draft.capOn)
    definition.cap = {
      amount: read(`${at}/cap/amount`, parseMoney(draft.capAmount, currency)),
      period: draft.capPeriod,
    };
  if (draft.bonuses.length > 0) {
    const ids = new Set(draft.bonuses.map((b) => b.id).filter(Boolean));
    definition.bonuses = draft.bonuses.map((b, i): PlanBonus => {
      const pointer = `${at}/bonuses/${i}`;
      if (!b.name.trim()) errors[`${pointer}/name`] = "Give the bonus a name";
      return {
        id: b.id || idFromName(b.name, ids, `bonus_${i + 1}`),
        name: b.name.trim(),
        metric: b.metric,
        threshold: read(
          `${pointer}/threshold`,
          b.metric === "revenue" ? parseMoney(b.threshold, currency) : parseWhole(b.threshold, { min: 1 }),
        ),
        amount: read(`${pointer}/amount`, parseMoney(b.amount, currency)),
      };
    });
  }
  if (draft.overrides.length > 0)
    definition.overrides = {
      levels: draft.overrides.map((p, i) => read(`${at}/overrides/levels/${i}`, parsePercent(p))),
    };
  if (draft.referralKind) {
    const pointer = `${at}/referralReward`;
    definition.referralReward =
      draft.referralKind === "discount_percent"
        ? { kind: "discount_percent", bps: read(`${pointer}/bps`, parsePercent(draft.referralValue)) }
        : { kind: draft.referralKind, amount: read(`${pointer}/amount`, parseMoney(draft.referralValue, currency)) };
  }
  if (draft.badges.length > 0) {
    const ids = new Set(draft.badges.map((b) => b.id).filter(Boolean));
    definition.badges = draft.badges.map((b, i): PlanBadge => {
      const pointer = `${at}/badges/${i}`;
      if (!b.name.trim()) errors[`${pointer}/name`] = "Give the badge a name";
      return {
        id: b.id || idFromName(b.name, ids, `badge_${i + 1}`),
        name: b.name.trim(),
        metric: b.metric,
        threshold: read(
          `${pointer}/threshold`,
          b.metric === "revenue" ? parseMoney(b.threshold, currency) : parseWhole(b.threshold, { min: 1 }),
        ),
        benefits: b.benefits
          .split("\n")
          .map((line) => line.trim())
          .filter(Boolean),
      };
    });
  }
  return { definition, errors };
}
