import { and, desc, inArray, type SQL } from "drizzle-orm";
import { clicks, links } from "../../db/schema/index.js";
import { decodeTimeCursor, encodeTimeCursor, olderThan } from "../../db/time-cursor.js";
import type { Ctx } from "../context.js";
import { type ClickFilterQuery, clickFilter, clicksBetween } from "./click-filter.js";

/**
 * Counted clicks, newest first, paged by time. Each filter is read from an index in time order, so a page costs
 * the same however many clicks the table holds: a program's clicks from (program_id, at), a partner's from
 * (partner_id, at, program_id), and a link's from its partner's range, since a link belongs to one partner and
 * program (clicks have no index on the link: it would be one more index to write on every redirect).
 */
export async function listClicks(
  ctx: Ctx,
  query: ClickFilterQuery & {
    limit: number;
    cursor?: string | undefined;
  },
) {
  const after = query.cursor ? decodeTimeCursor(query.cursor, "clk_") : undefined;
  const filter = await clickFilter(ctx, query);
  if (!filter) return { items: [], nextCursor: null };
  const where: SQL[] = [...filter.whose, ...clicksBetween(filter.from, filter.before)];
  if (after) where.push(...olderThan(clicks.at, clicks.id, after));
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
