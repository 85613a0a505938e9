import { periodLabels, ruleEventLabels } from "./labels.js";
import { formatMoney, formatRate } from "./money.js";
import type { PlanDefinition, PlanRule, Reward, Tiers } from "./types.js";

/** "10%", "$25.00", "$5.00 + 10%". */
function describeReward(reward: Reward, currency: string): string {
  if (reward.type === "flat") return formatMoney(reward.amount, currency);
  if (reward.type === "percent") return formatRate(reward.bps);
  return `${formatMoney(reward.amount, currency)} + ${formatRate(reward.bps)}`;
}

const PER: Record<Tiers["period"], string> = { calendar_month: "a month", rolling_30_days: "per 30 days" };

/** "10% for the first 5 sales a month, then 15%". */
function describeTiers(tiers: Tiers, currency: string): string {
  const parts: string[] = [];
  let from: number | null = 0;
  tiers.levels.forEach((level, i) => {
    const reward = describeReward(level.reward, currency);
    if (i === 0 && level.upTo !== null) {
      parts.push(
        tiers.basis === "count"
          ? `${reward} for the first ${level.upTo} sales ${PER[tiers.period]}`
          : `${reward} on the first ${formatMoney(level.upTo, currency)} of revenue ${PER[tiers.period]}`,
      );
    } else if (level.upTo === null) {
      parts.push(i === 0 ? reward : `then ${reward}`);
    } else {
      parts.push(
        tiers.basis === "count"
          ? `${reward} for sales ${(from ?? 0) + 1}–${level.upTo}`
          : `${reward} up to ${formatMoney(level.upTo, currency)}`,
      );
    }
    from = level.upTo;
  });
  return parts.join(", ");
}

/** One line per rule: "Any sale: 10% for the first 5 sales a month, then 15% · for 12 months". */
export function describeRule(rule: PlanRule, currency: string): string {
  const what = rule.tiers
    ? describeTiers(rule.tiers, currency)
    : rule.reward
      ? describeReward(rule.reward, currency)
      : "no reward";
  const extras: string[] = [];
  if (rule.duration?.type === "first_sale") extras.push("first sale only");
  if (rule.duration?.type === "months") extras.push(`for ${rule.duration.months} months`);
  if (rule.duration?.type === "lifetime") extras.push("customer lifetime");
  if (rule.conditions?.length)
    extras.push(`${rule.conditions.length} condition${rule.conditions.length > 1 ? "s" : ""}`);
  return `${ruleEventLabels[rule.event]}: ${what}${extras.length ? ` · ${extras.join(" · ")}` : ""}`;
}

/** What the plan has beyond its rules: "cap $500.00 a month · 2 bonuses · overrides 5% / 2% · 3 badges". */
export function describeExtras(definition: PlanDefinition, currency: string): string[] {
  const out: string[] = [];
  if (definition.cap)
    out.push(
      `cap ${formatMoney(definition.cap.amount, currency)} per ${periodLabels[definition.cap.period].toLowerCase()}`,
    );
  if (definition.bonuses?.length)
    out.push(`${definition.bonuses.length} bonus${definition.bonuses.length > 1 ? "es" : ""}`);
  if (definition.overrides?.levels.length)
    out.push(`overrides ${definition.overrides.levels.map((bps) => formatRate(bps)).join(" / ")}`);
  if (definition.referralReward) {
    const r = definition.referralReward;
    out.push(
      `referred customer gets ${r.kind === "discount_percent" ? `${formatRate(r.bps)} off` : r.kind === "discount_amount" ? `${formatMoney(r.amount, currency)} off` : `${formatMoney(r.amount, currency)} credit`}`,
    );
  }
  if (definition.badges?.length)
    out.push(`${definition.badges.length} badge${definition.badges.length > 1 ? "s" : ""}`);
  return out;
}
