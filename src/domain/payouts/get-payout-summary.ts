import { and, desc, eq, inArray, notInArray, sql } from "drizzle-orm";
import { enrollments, partnerTaxForms, payoutMethods, payoutSkips, payouts, programs } from "../../db/schema/index.js";
import { minorToDecimal } from "../../lib/currency-digits.js";
import { emptyLedgerTotals, ledgerTotals } from "../commissions/ledger-totals.js";
import type { Ctx } from "../context.js";
import { actingPartnerId } from "./partner-of.js";
import { NO_METHOD_MESSAGE, taxFormBlock } from "./payout-rules.js";
import type { PayoutSummaryView } from "./payouts.schemas.js";

/**
 * For each of the signed-in partner's programs: what is approved and unpaid, what the schedule makes payable
 * now, what is in payouts on their way, and anything that stops the next payout (tax form, payout method,
 * minimum) — with the reason the last payout run gave when it skipped the partner.
 */
export async function getPayoutSummary(ctx: Ctx): Promise<PayoutSummaryView[]> {
  const partnerId = actingPartnerId(ctx.actor);
  const now = ctx.clock.now();
  const mine = await ctx.db
    .select({ program: programs })
    .from(enrollments)
    .innerJoin(programs, eq(programs.id, enrollments.programId))
    .where(and(eq(enrollments.partnerId, partnerId), notInArray(enrollments.status, ["applied", "rejected"])))
    .orderBy(programs.name);
  const [method] = await ctx.db.select().from(payoutMethods).where(eq(payoutMethods.partnerId, partnerId));
  const [taxForm] = await ctx.db.select().from(partnerTaxForms).where(eq(partnerTaxForms.partnerId, partnerId));
  const out: PayoutSummaryView[] = [];
  for (const { program } of mine) {
    // The balance is the ledger totals' for this program (one currency: the program's), so the rule of what a run
    // pays now is the one in payable-sql.ts, and this page says what the earnings tiles and the console say.
    const ledger =
      (await ledgerTotals(ctx, { programId: program.id, partnerId })).find((t) => t.currency === program.currency) ??
      emptyLedgerTotals(program.currency);
    // What is on its way is the payouts being sent, the ones listed on the same page, rather than the ledger's
    // approved entries that are in a payout: the two are the same unless an entry of a payout being sent was held
    // or rejected meanwhile, and the payout (perhaps a transfer already made) still carries that money.
    const [inFlight] = await ctx.db
      .select({ sum: sql<string>`coalesce(sum(${payouts.amountMinor}), 0)::text` })
      .from(payouts)
      .where(
        and(
          eq(payouts.programId, program.id),
          eq(payouts.partnerId, partnerId),
          inArray(payouts.status, ["pending", "processing"]),
        ),
      );
    const payable = BigInt(ledger.due);
    const blockers: PayoutSummaryView["blockers"] = [];
    const tax = program.requireTaxForm ? taxFormBlock(taxForm, now) : null;
    if (tax) blockers.push(tax);
    if (!method) blockers.push({ reason: "no_payout_method", message: NO_METHOD_MESSAGE });
    if (payable > 0n && payable < program.payoutMinimumMinor)
      blockers.push({
        reason: "below_minimum",
        message: `The program pays balances from ${minorToDecimal(program.payoutMinimumMinor, program.currency)} ${program.currency}; yours carries over until it reaches that.`,
      });
    const [skip] = await ctx.db
      .select()
      .from(payoutSkips)
      .where(and(eq(payoutSkips.partnerId, partnerId), eq(payoutSkips.programId, program.id)))
      .orderBy(desc(payoutSkips.createdAt))
      .limit(1);
    const [latestPayout] = await ctx.db
      .select({ createdAt: payouts.createdAt })
      .from(payouts)
      .where(and(eq(payouts.partnerId, partnerId), eq(payouts.programId, program.id)))
      .orderBy(desc(payouts.createdAt))
      .limit(1);
    const skipStillRelevant = skip && (!latestPayout || latestPayout.createdAt.getTime() < skip.createdAt.getTime());
    out.push({
      programId: program.id,
      programName: program.name,
      currency: program.currency,
      schedule: program.payoutSchedule,
      minimum: Number(program.payoutMinimumMinor),
      approvedUnpaid: ledger.payable,
      payableNow: ledger.due,
      notDueFrom: ledger.dueFrom,
      inPayouts: Number(inFlight?.sum ?? 0),
      blockers,
      lastSkip: skipStillRelevant
        ? {
            reason: skip.reason,
            message: skip.message,
            amount: Number(skip.amountMinor),
            at: skip.createdAt.toISOString(),
          }
        : null,
    });
  }
  return out;
}
