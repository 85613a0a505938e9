import { and, desc, eq, gte, inArray, lt, type SQL } from "drizzle-orm";
import { clicks, links } from "../../db/schema/index.js";
import { decodeTimeCursor, encodeTimeCursor, olderThan } from "../../db/time-cursor.js";
import { fieldError } from "../../lib/errors.js";
import type { Ctx } from "../context.js";

/**
 * Counted clicks, newest first, paged by time. Each filter is read from an index in time order, so a page costs
 * the same however many clicks the table holds: a program's clicks from (program_id, at), a partner's from
 * (partner_id, at, program_id), and a link's from its partner's range, since a link belongs to one partner and
 * program (clicks have no index on the link: it would be one more index to write on every redirect).
 */
export async function listClicks(
  ctx: Ctx,
  query: {
    programId?: string | undefined;
    partnerId?: string | undefined;
    linkId?: string | undefined;
    /** Clicks at or after this time. */
    from?: string | undefined;
    /** Clicks before this time: a page of an earlier day, read from there backwards. */
    before?: string | undefined;
    limit: number;
    cursor?: string | undefined;
  },
) {
  // A range that ends before it starts is a mistake to say, not an empty list (the console's From … Up to).
  if (query.from && query.before && Date.parse(query.from) >= Date.parse(query.before))
    throw fieldError("querystring:/from", "must be before `before`");
  const where: SQL[] = [];
  if (query.linkId) {
    const [link] = await ctx.db
      .select({ programId: links.programId, partnerId: links.partnerId })
      .from(links)
      .where(eq(links.id, query.linkId));
    if (!link) return { items: [], nextCursor: null };
    where.push(
      eq(clicks.linkId, query.linkId),
      eq(clicks.partnerId, link.partnerId),
      eq(clicks.programId, link.programId),
    );
  }
  if (query.programId) where.push(eq(clicks.programId, query.programId));
  if (query.partnerId) where.push(eq(clicks.partnerId, query.partnerId));
  if (query.from) where.push(gte(clicks.at, new Date(query.from)));
  if (query.before) where.push(lt(clicks.at, new Date(query.before)));
  if (query.cursor) {
    where.push(...olderThan(clicks.at, clicks.id, decodeTimeCursor(query.cursor, "clk_")));
  }
  // Clicks are only kept in time order per program and per partner: all programs' together would be sorted
  // whole for every page.
  if (!query.programId && !query.partnerId && !query.linkId)
    throw fieldError("querystring:/programId", "choose a program, a partner or a link");
  const rows = await ctx.db
    .select()
    .from(clicks)
    .where(and(...where))
    .orderBy(desc(clicks.at), desc(clicks.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  // The slug of each click's link, by primary key: a list of clicks names its links, whatever the program holds.
  const linkIds = [...new Set(page.flatMap((c) => (c.linkId ? [c.linkId] : [])))];
  const slugs = linkIds.length
    ? await ctx.db.select({ id: links.id, slug: links.slug }).from(links).where(inArray(links.id, linkIds))
    : [];
  const slugOf = new Map(slugs.map((l) => [l.id, l.slug]));
  return {
    items: page.map((c) => ({
      ...c,
      at: c.at.toISOString(),
      linkSlug: c.linkId ? (slugOf.get(c.linkId) ?? null) : null,
    })),
    nextCursor: rows.length > query.limit && last ? encodeTimeCursor(last.at, last.id) : null,
  };
}
