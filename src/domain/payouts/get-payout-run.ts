import { asc, eq } from "drizzle-orm";
import { partners, payoutMethods, payoutRuns, payoutSkips, payouts } from "../../db/schema/index.js";
import { AppError } from "../../lib/errors.js";
import type { Ctx } from "../context.js";
import { toPayoutRunRecord } from "./list-payout-runs.js";
import { toPayoutView } from "./payout-view.js";
import type { PayoutRunDetailView } from "./payouts.schemas.js";

/** How many payouts and skipped partners a run's page lists; the run's counts say how many there are in all. */
export const RUN_DETAIL_LIMIT = 1000;

/**
 * One payout run: the payouts it created, as they stand now (paid, sent, held, transfer failed), and the
 * partners it did not pay with the reason (below the minimum, no payout method, tax form), largest first.
 */
export async function getPayoutRun(ctx: Ctx, runId: string): Promise<PayoutRunDetailView> {
  const [run] = await ctx.db.select().from(payoutRuns).where(eq(payoutRuns.id, runId));
  if (!run) throw new AppError("not_found", `payout run ${runId} not found`);
  const made = await ctx.db
    .select({ payout: payouts, partnerName: partners.name, methodAttention: payoutMethods.attentionReason })
    .from(payouts)
    .innerJoin(partners, eq(partners.id, payouts.partnerId))
    .leftJoin(payoutMethods, eq(payoutMethods.partnerId, payouts.partnerId))
    .where(eq(payouts.runId, runId))
    .orderBy(asc(partners.name), asc(payouts.id))
    .limit(RUN_DETAIL_LIMIT);
  const skipped = await ctx.db
    .select({ skip: payoutSkips, partnerName: partners.name })
    .from(payoutSkips)
    .innerJoin(partners, eq(partners.id, payoutSkips.partnerId))
    .where(eq(payoutSkips.runId, runId))
    .orderBy(asc(payoutSkips.reason), asc(partners.name))
    .limit(RUN_DETAIL_LIMIT);
  return {
    ...toPayoutRunRecord(run),
    payouts: made.map((r) => toPayoutView(r.payout, r.partnerName, r.methodAttention)),
    skipped: skipped.map(({ skip, partnerName }) => ({
      programId: skip.programId,
      partnerId: skip.partnerId,
      partnerName,
      reason: skip.reason,
      message: skip.message,
      amount: Number(skip.amountMinor),
      currency: skip.currency,
    })),
  };
}
