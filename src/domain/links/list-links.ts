import { and, desc, eq, type SQL } from "drizzle-orm";
import { couponCodes, links } from "../../db/schema/index.js";
import type { Ctx } from "../context.js";
import { toCouponView, toLinkView } from "./link-view.js";

export interface LinkFilter {
  programId?: string | undefined;
  partnerId?: string | undefined;
  enrollmentId?: string | undefined;
}

/** Partners see only their own links; the filter's partnerId is ignored for them. */
const scope = (ctx: Ctx, filter: LinkFilter, table: typeof links | typeof couponCodes): SQL[] => {
  const where: SQL[] = [];
  const partnerId = ctx.actor.type === "partner" ? ctx.actor.partnerId : filter.partnerId;
  if (partnerId) where.push(eq(table.partnerId, partnerId));
  if (filter.programId) where.push(eq(table.programId, filter.programId));
  if (filter.enrollmentId) where.push(eq(table.enrollmentId, filter.enrollmentId));
  return where;
};

export async function listLinks(ctx: Ctx, filter: LinkFilter) {
  const rows = await ctx.db
    .select()
    .from(links)
    .where(and(...scope(ctx, filter, links)))
    .orderBy(desc(links.isDefault), desc(links.id))
    .limit(1000);
  return rows.map(toLinkView);
}

export async function listCoupons(ctx: Ctx, filter: LinkFilter) {
  const rows = await ctx.db
    .select()
    .from(couponCodes)
    .where(and(...scope(ctx, filter, couponCodes)))
    .orderBy(desc(couponCodes.id))
    .limit(1000);
  return rows.map(toCouponView);
}
