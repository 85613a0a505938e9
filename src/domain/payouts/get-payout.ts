import { and, asc, eq, type SQL } from "drizzle-orm";
import { commissionEntries, payoutItems, payouts } from "../../db/schema/index.js";
import { AppError } from "../../lib/errors.js";
import type { Ctx } from "../context.js";
import { toPayoutView, toPortalPayoutView } from "./payout-view.js";
import type { PayoutDetailView } from "./payouts.schemas.js";

/** One payout with the ledger entries it is made of; a partner user finds only its own. */
export async function getPayout(ctx: Ctx, payoutId: string): Promise<PayoutDetailView> {
  const where: SQL[] = [eq(payouts.id, payoutId)];
  if (ctx.actor.type === "partner") where.push(eq(payouts.partnerId, ctx.actor.partnerId));
  const [payout] = await ctx.db
    .select()
    .from(payouts)
    .where(and(...where));
  if (!payout) throw new AppError("not_found", `payout ${payoutId} not found`);
  const items = await ctx.db
    .select({ item: payoutItems, entry: commissionEntries })
    .from(payoutItems)
    .innerJoin(commissionEntries, eq(commissionEntries.id, payoutItems.entryId))
    .where(eq(payoutItems.payoutId, payoutId))
    .orderBy(asc(commissionEntries.occurredAt), asc(commissionEntries.id));
  const view = ctx.actor.type === "partner" ? toPortalPayoutView(payout) : toPayoutView(payout);
  return {
    ...view,
    items: items.map(({ item, entry }) => ({
      entryId: item.entryId,
      kind: entry.kind,
      amount: Number(item.amountMinor),
      occurredAt: entry.occurredAt.toISOString(),
      conversionId: entry.conversionId,
      summary: entry.explanation.summary,
    })),
  };
}
