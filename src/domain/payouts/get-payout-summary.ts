import { and, desc, eq, inArray, isNull, like, lt, notInArray, or, sql } from "drizzle-orm";
import {
  commissionEntries,
  enrollments,
  partnerTaxForms,
  payoutMethods,
  payoutSkips,
  payouts,
  programs,
} from "../../db/schema/index.js";
import { minorToDecimal } from "../../lib/currency-digits.js";
import type { Ctx } from "../context.js";
import { actingPartnerId } from "./partner-of.js";
import {
  NO_METHOD_MESSAGE,
  payableFrom,
  payoutCutoff,
  RETURNED_TRANSFER_KEY_LIKE,
  taxFormBlock,
} from "./payout-rules.js";
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
    const cutoff = payoutCutoff(program.payoutSchedule, now);
    const dated = cutoff.basis === "approved" ? commissionEntries.statusChangedAt : commissionEntries.occurredAt;
    const unpaid = and(
      eq(commissionEntries.programId, program.id),
      eq(commissionEntries.partnerId, partnerId),
      eq(commissionEntries.status, "approved"),
      isNull(commissionEntries.payoutId),
    );
    const payableNow = or(
      lt(commissionEntries.amountMinor, 0n),
      lt(dated, cutoff.before),
      like(commissionEntries.dedupeKey, RETURNED_TRANSFER_KEY_LIKE),
    );
    const [sums] = await ctx.db
      .select({
        approved: sql<string>`coalesce(sum(${commissionEntries.amountMinor}), 0)::text`,
        payable: sql<string>`coalesce(sum(${commissionEntries.amountMinor}) filter (where ${payableNow}), 0)::text`,
        // The earliest date among what the schedule has not made payable yet: it becomes payable a period later.
        firstNotDue: sql<Date | null>`min(${dated}) filter (where not (${payableNow}))`.mapWith(
          (v: string | Date | null) => (v === null ? null : new Date(v)),
        ),
      })
      .from(commissionEntries)
      .where(unpaid);
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
    const payable = BigInt(sums?.payable ?? "0");
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
      approvedUnpaid: Number(sums?.approved ?? 0),
      payableNow: Number(payable),
      notDueFrom: sums?.firstNotDue ? payableFrom(program.payoutSchedule, sums.firstNotDue).toISOString() : null,
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
