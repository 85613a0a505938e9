import { and, desc, eq, lt, type SQL } from "drizzle-orm";
import { partners, payoutMethods, payouts } from "../../db/schema/index.js";
import type { Ctx } from "../context.js";
import { toPayoutView, toPortalPayoutView } from "./payout-view.js";
import type { PayoutFilter } from "./payouts.schemas.js";

/** Payouts, newest first, keyset-paginated; a partner user sees only its organisation's. */
export async function listPayouts(ctx: Ctx, filter: PayoutFilter) {
  const limit = filter.limit ?? 100;
  const where: SQL[] = [];
  const partnerView = ctx.actor.type === "partner";
  if (ctx.actor.type === "partner") where.push(eq(payouts.partnerId, ctx.actor.partnerId));
  else if (filter.partnerId) where.push(eq(payouts.partnerId, filter.partnerId));
  if (filter.programId) where.push(eq(payouts.programId, filter.programId));
  if (filter.batchId && !partnerView) where.push(eq(payouts.batchId, filter.batchId));
  if (filter.status) where.push(eq(payouts.status, filter.status));
  if (filter.cursor) where.push(lt(payouts.id, filter.cursor));
  const rows = await ctx.db
    .select({ payout: payouts, partnerName: partners.name, methodAttention: payoutMethods.attentionReason })
    .from(payouts)
    .innerJoin(partners, eq(partners.id, payouts.partnerId))
    .leftJoin(payoutMethods, eq(payoutMethods.partnerId, payouts.partnerId))
    .where(and(...where))
    .orderBy(desc(payouts.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const view = partnerView ? toPortalPayoutView : toPayoutView;
  return {
    items: page.map((r) => view(r.payout, r.partnerName, r.methodAttention)),
    nextCursor: rows.length > limit ? (page.at(-1)?.payout.id ?? null) : null,
  };
}
