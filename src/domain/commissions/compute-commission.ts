import {
  amount as amountOf,
  type ExplanationRecipe,
  moneyIn,
  type PeriodCode,
  renderInputs,
  renderRecipe,
  type StepToken,
} from "../../db/explanation-recipe.js";
import type { CommissionExplanation, RuleSelection } from "../../db/schema/index.js";
import { percentOf } from "../../lib/money.js";
import { addMonths } from "./periods.js";
import type { Condition, PeriodKind, PlanDefinition, Reward, Rule } from "./plan-definition.js";

export interface PeriodTotals {
  salesCount: number;
  revenueMinor: bigint;
  commissionMinor: bigint;
}

/** Everything the engine needs about one credited conversion, amounts already in the program currency. */
export interface CommissionInput {
  event: "lead" | "sale";
  /** A renewal: sent as recurring, or the customer bought before. */
  recurring: boolean;
  /** The customer's first sale, for recurring durations; undefined when this sale is the first. */
  firstSaleAt?: Date | undefined;
  occurredAt: Date;
  /** The whole sale (conditions compare against it). */
  saleAmount?: bigint | undefined;
  /** This partner's share of the sale (percentages apply to it). */
  creditedAmount?: bigint | undefined;
  /** This partner's share in basis points (flat amounts are split by it). */
  weightBps: number;
  products: string[];
  country?: string | null | undefined;
  partnerTier?: string | null | undefined;
  currency: string;
  /** The partner's totals in the period around this conversion, before it. */
  totalsBefore: (period: PeriodKind) => PeriodTotals;
}

export type CommissionResult =
  | { earns: true; rule: Rule; amount: bigint; explanation: CommissionExplanation; recipe: ExplanationRecipe }
  | { earns: false; explanation: CommissionExplanation };

type Candidate = { rule: Rule; amount: bigint; steps: StepToken[] };

/**
 * What a conversion earns a partner under a plan, and why: the matching rule (first in order, or the best for
 * the partner), its tier level, the split by credit share, then the period cap. Pure: the ledger stores the
 * explanation it returns.
 */
export function computeCommission(
  plan: PlanDefinition,
  selection: RuleSelection,
  input: CommissionInput,
): CommissionResult {
  const money = moneyIn(input.currency);
  const skipped: NonNullable<CommissionExplanation["skipped"]> = [];
  const candidates: Candidate[] = [];
  for (const rule of plan.rules) {
    const reason = whyRuleDoesNotApply(rule, input);
    if (reason) {
      skipped.push({ ruleId: rule.id, ruleName: rule.name, reason });
      continue;
    }
    candidates.push(evaluateRule(rule, input));
    if (selection === "first_match") break;
  }
  const described = describeInputs(input);
  if (candidates.length === 0) {
    return {
      earns: false,
      explanation: {
        summary: "no rule of the plan applies to this conversion",
        steps: [],
        inputs: renderInputs({ ...described, plan: null }, money),
        skipped,
      },
    };
  }
  const best = candidates.reduce((a, b) => (b.amount > a.amount ? b : a));
  for (const other of candidates) {
    if (other !== best) {
      skipped.push({
        ruleId: other.rule.id,
        ruleName: other.rule.name,
        reason: `pays less (${money(other.amount)}) than "${best.rule.name}"`,
      });
    }
  }
  const steps = [...best.steps];
  let amount = best.amount;
  if (plan.cap && amount > 0n) {
    const earned = input.totalsBefore(plan.cap.period).commissionMinor;
    const room = BigInt(plan.cap.amount) - earned;
    if (amount > room) {
      const capped = room > 0n ? room : 0n;
      steps.push([
        "k",
        amountOf(BigInt(plan.cap.amount)),
        periodCode(plan.cap.period),
        amountOf(earned),
        amountOf(amount),
        amountOf(capped),
      ]);
      amount = capped;
    }
  }
  const recipe: ExplanationRecipe = {
    currency: input.currency,
    ruleName: best.rule.name,
    amount: amountOf(amount),
    steps,
    ...described,
    plan: null,
    skipped,
  };
  return {
    earns: true,
    rule: best.rule,
    amount,
    recipe,
    // Rendered when read: the engine stores the recipe and needs the text only for a preview.
    get explanation() {
      return renderRecipe(recipe);
    },
  };
}

function whyRuleDoesNotApply(rule: Rule, input: CommissionInput): string | undefined {
  if (rule.event === "lead" && input.event !== "lead") return "rule is for leads";
  if (rule.event !== "lead" && input.event !== "sale") return "rule is for sales";
  if (rule.event === "first_sale" && input.recurring) return "rule is for first sales; this is a recurring sale";
  if (rule.event === "recurring_sale" && !input.recurring) return "rule is for recurring sales; this is a first sale";
  if (input.event === "sale" && rule.duration && input.recurring) {
    const duration = rule.duration;
    if (duration.type === "first_sale") return "rule pays on the customer's first sale only";
    if (duration.type === "months" && input.firstSaleAt) {
      const end = addMonths(input.firstSaleAt, duration.months);
      if (input.occurredAt >= end) {
        return `rule pays for ${duration.months} months after the first sale (${input.firstSaleAt.toISOString().slice(0, 10)}); that ended ${end.toISOString().slice(0, 10)}`;
      }
    }
  }
  for (const condition of rule.conditions ?? []) {
    const failed = failedCondition(condition, input);
    if (failed) return failed;
  }
  return undefined;
}

/** Each condition compares typed values: amounts as integers, lists as exact codes. */
function failedCondition(condition: Condition, input: CommissionInput): string | undefined {
  switch (condition.field) {
    case "product": {
      const hit = input.products.some((p) => condition.values.includes(p));
      if (condition.op === "in" && !hit) return `no product in ${condition.values.join(", ")}`;
      if (condition.op === "not_in" && hit) return `has a product in ${condition.values.join(", ")}`;
      return undefined;
    }
    case "amount": {
      const amount = input.saleAmount;
      if (amount === undefined) return "no sale amount to compare";
      const limit = BigInt(condition.value);
      if (condition.op === "gte" && amount < limit) return `amount ${amount} is below ${limit}`;
      if (condition.op === "lte" && amount > limit) return `amount ${amount} is above ${limit}`;
      return undefined;
    }
    case "country": {
      const hit = input.country ? condition.values.includes(input.country) : false;
      if (condition.op === "in" && !hit)
        return `country ${input.country ?? "unknown"} not in ${condition.values.join(", ")}`;
      if (condition.op === "not_in" && hit) return `country ${input.country} is excluded`;
      return undefined;
    }
    case "customer": {
      const actual = input.recurring ? "returning" : "new";
      return actual === condition.value ? undefined : `customer is ${actual}, rule wants ${condition.value}`;
    }
    case "partner_tier": {
      const hit = input.partnerTier ? condition.values.includes(input.partnerTier) : false;
      if (condition.op === "in" && !hit)
        return `partner tier ${input.partnerTier ?? "none"} not in ${condition.values.join(", ")}`;
      if (condition.op === "not_in" && hit) return `partner tier ${input.partnerTier} is excluded`;
      return undefined;
    }
  }
}

function evaluateRule(rule: Rule, input: CommissionInput): Candidate {
  const steps: StepToken[] = [];
  let reward: Reward | undefined = rule.reward;
  if (rule.tiers) {
    const totals = input.totalsBefore(rule.tiers.period);
    const period = periodCode(rule.tiers.period);
    let index: number;
    if (rule.tiers.basis === "count") {
      const position = totals.salesCount + 1;
      index = rule.tiers.levels.findIndex((l) => l.upTo === null || position <= l.upTo);
      steps.push(["c", position, period, index, ...levelRange(rule.tiers.levels, index)]);
    } else {
      const before = totals.revenueMinor;
      index = rule.tiers.levels.findIndex((l) => l.upTo === null || before < BigInt(l.upTo));
      steps.push(["r", amountOf(before), period, index]);
    }
    // Past the last bounded level the last level applies.
    if (index < 0) index = rule.tiers.levels.length - 1;
    reward = rule.tiers.levels[index]!.reward;
  }
  if (!reward) return { rule, amount: 0n, steps: [...steps, ["n"]] };
  const amount = applyReward(reward, input, steps);
  return { rule, amount, steps };
}

function applyReward(reward: Reward, input: CommissionInput, steps: StepToken[]): bigint {
  const base = input.creditedAmount ?? 0n;
  const share = input.weightBps;
  const flatPart = (flat: number) => {
    const full = BigInt(flat);
    if (share === 10_000) {
      steps.push(["f", amountOf(full)]);
      return full;
    }
    const split = percentOf(full, share);
    steps.push(["s", amountOf(full), share, amountOf(split)]);
    return split;
  };
  const percentPart = (bps: number) => {
    const value = percentOf(base, bps);
    steps.push(["p", bps, amountOf(base), amountOf(value)]);
    return value;
  };
  switch (reward.type) {
    case "flat":
      return flatPart(reward.amount);
    case "percent":
      return percentPart(reward.bps);
    case "hybrid": {
      const total = flatPart(reward.amount) + percentPart(reward.bps);
      steps.push(["t", amountOf(total)]);
      return total;
    }
  }
}

/** The first and last sale of a level (last null: open-ended); -1 when no level applies. */
function levelRange(levels: { upTo: number | null }[], index: number): [number, number | null] {
  if (index < 0) return [-1, null];
  const from = index === 0 ? 1 : (levels[index - 1]!.upTo ?? 0) + 1;
  return [from, levels[index]!.upTo];
}

const periodCode = (period: PeriodKind): PeriodCode => (period === "calendar_month" ? 0 : 1);

function describeInputs(input: CommissionInput) {
  return {
    event: input.event === "lead" ? "lead" : input.recurring ? "recurring sale" : "first sale",
    saleAmount: input.saleAmount !== undefined ? amountOf(input.saleAmount) : null,
    creditedAmount: input.creditedAmount !== undefined ? amountOf(input.creditedAmount) : null,
    shareBps: input.weightBps,
    products: input.products.length ? input.products : null,
    country: input.country || null,
    partnerTier: input.partnerTier || null,
  };
}
