import { and, asc, eq, inArray, type SQL } from "drizzle-orm";
import { commissionEntries, payoutItems, payoutMethods, payouts } from "../../db/schema/index.js";
import { AppError } from "../../lib/errors.js";
import type { Ctx } from "../context.js";
import { payoutHistory } from "./payout-history.js";
import { toPayoutView, toPortalPayoutView } from "./payout-view.js";
import type { PayoutDetailView } from "./payouts.schemas.js";

/**
 * One payout with the ledger entries it is made of; a partner user finds only its own. The team also gets its
 * history (who did what), which names team members and so is not the partner's to see.
 */
export async function getPayout(ctx: Ctx, payoutId: string): Promise<PayoutDetailView> {
  const where: SQL[] = [eq(payouts.id, payoutId)];
  if (ctx.actor.type === "partner") where.push(eq(payouts.partnerId, ctx.actor.partnerId));
  const [found] = await ctx.db
    .select({ payout: payouts, methodAttention: payoutMethods.attentionReason })
    .from(payouts)
    .leftJoin(payoutMethods, eq(payoutMethods.partnerId, payouts.partnerId))
    .where(and(...where));
  const payout = found?.payout;
  if (!found || !payout) throw new AppError("not_found", `payout ${payoutId} not found`);
  const [list] = await ctx.db.select().from(payoutItems).where(eq(payoutItems.payoutId, payoutId));
  const amounts = new Map(list?.entryIds.map((id, i) => [id, list.amountsMinor[i]!]) ?? []);
  const entries = amounts.size
    ? await ctx.db
        .select()
        .from(commissionEntries)
        .where(inArray(commissionEntries.id, [...amounts.keys()]))
        .orderBy(asc(commissionEntries.occurredAt), asc(commissionEntries.id))
    : [];
  const view =
    ctx.actor.type === "partner"
      ? toPortalPayoutView(payout, undefined, found.methodAttention)
      : toPayoutView(payout, undefined, found.methodAttention);
  return {
    ...view,
    items: entries.map((entry) => ({
      entryId: entry.id,
      kind: entry.kind,
      amount: Number(amounts.get(entry.id)),
      occurredAt: entry.occurredAt.toISOString(),
      conversionId: entry.conversionId,
      summary: entry.explanation.summary,
    })),
    ...(ctx.actor.type === "partner" ? {} : { history: await payoutHistory(ctx.db, payout.id) }),
  };
}
