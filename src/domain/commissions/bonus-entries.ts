import { formatMinor } from "../../lib/money.js";
import type { PeriodTotals } from "./compute-commission.js";
import { minorDigits } from "./fx.js";
import type { ActivePlan, ProgramTerms } from "./load-calculation-context.js";
import { addDays, monthOf } from "./periods.js";
import type { NewEntry } from "./write-ledger-batch.js";

/**
 * The plan's monthly bonuses a partner has reached. Each is keyed by plan, bonus, partner and month, so the
 * ledger takes it once per period however often this is evaluated.
 */
export function bonusEntries(
  plan: ActivePlan,
  program: ProgramTerms,
  partner: { partnerId: string; enrollmentId: string | null },
  month: PeriodTotals,
  at: Date,
): Omit<NewEntry, "id">[] {
  const money = (a: bigint) => formatMinor(a, program.currency, minorDigits(program.currency));
  const entries: Omit<NewEntry, "id">[] = [];
  for (const bonus of plan.definition.bonuses ?? []) {
    const value = bonus.metric === "sales_count" ? BigInt(month.salesCount) : month.revenueMinor;
    if (value < BigInt(bonus.threshold)) continue;
    const shown = bonus.metric === "sales_count" ? `${value} sales` : money(value);
    const wanted = bonus.metric === "sales_count" ? `${bonus.threshold} sales` : money(BigInt(bonus.threshold));
    entries.push({
      programId: program.id,
      partnerId: partner.partnerId,
      enrollmentId: partner.enrollmentId,
      kind: "bonus",
      amountMinor: BigInt(bonus.amount),
      currency: program.currency,
      status: "pending",
      conversionId: null,
      sourceEntryId: null,
      planVersionId: plan.versionId,
      ruleId: bonus.id,
      dedupeKey: `bonus:${plan.planId}:${bonus.id}:${partner.partnerId}:${monthOf(at)}`,
      occurredAt: at,
      holdUntil: addDays(at, program.holdingDays),
      explanation: {
        summary: `${bonus.name}: ${money(BigInt(bonus.amount))} for ${monthOf(at)}`,
        steps: [`${shown} in ${monthOf(at)} ≥ ${wanted}`],
      },
    });
  }
  return entries;
}
