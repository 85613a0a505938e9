import { and, desc, eq, exists, ilike, lt, or, type SQL, sql } from "drizzle-orm";
import { containsPattern } from "../../db/like-pattern.js";
import { couponCodes, links, partners, programs } from "../../db/schema/index.js";
import { fieldError } from "../../lib/errors.js";
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

export interface LinkPageQuery extends LinkFilter {
  /** Part of the link's slug or of its partner's name, case-insensitive. */
  q?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

const LINK_ID = /^lnk_[0-9a-z]+$/;

/** Links with their program's link domain, which each link's address is on. */
const withLinkDomain = (ctx: Ctx) =>
  ctx.db
    .select({ link: links, linkDomain: programs.linkDomain })
    .from(links)
    .innerJoin(programs, eq(programs.id, links.programId));

/**
 * A page of links, newest first (a program's from its (program_id, id) index, a partner's from (partner_id)),
 * found by slug or partner name. The cursor is the last link's id.
 */
export async function listLinkPage(ctx: Ctx, query: LinkPageQuery) {
  const where = scope(ctx, query, links);
  const q = query.q?.trim();
  if (q) {
    const pattern = containsPattern(q);
    const byPartner = ctx.db
      .select({ one: sql`1` })
      .from(partners)
      .where(and(eq(partners.id, links.partnerId), ilike(partners.name, pattern)));
    where.push(or(ilike(links.slug, pattern), exists(byPartner))!);
  }
  if (query.cursor) {
    if (!LINK_ID.test(query.cursor)) throw fieldError("querystring:/cursor", "is not a cursor this list returned");
    where.push(lt(links.id, query.cursor));
  }
  const rows = await withLinkDomain(ctx)
    .where(and(...where))
    .orderBy(desc(links.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  return {
    items: page.map((r) => toLinkView(r.link, r.linkDomain)),
    nextCursor: rows.length > query.limit ? (page.at(-1)?.link.id ?? null) : null,
  };
}

/** Every link of the filter (the portal: a partner's own, a handful per program), default links first. */
export async function listLinks(ctx: Ctx, filter: LinkFilter) {
  const rows = await withLinkDomain(ctx)
    .where(and(...scope(ctx, filter, links)))
    .orderBy(desc(links.isDefault), desc(links.id))
    .limit(1000);
  return rows.map((r) => toLinkView(r.link, r.linkDomain));
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
