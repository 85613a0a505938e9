import { and, count, eq, gte, inArray, lt, type SQL, sql } from "drizzle-orm";
import { clicks, links } from "../../db/schema/index.js";
import { fieldError } from "../../lib/errors.js";
import type { Ctx } from "../context.js";
import { addCredits } from "./credited-counts.js";
import { creditsByTouch } from "./credits-by-touch.js";

export interface LinkCountsQuery {
  programId: string;
  /** A page of the program's links (the console lists them 50 at a time). */
  linkIds: string[];
  from: Date;
  to: Date;
}

export interface LinkCounts {
  linkId: string;
  clicks: number;
  leads: number;
  sales: number;
  /** The partner's share of credited revenue, net of refunds, per currency, minor units. */
  revenue: Record<string, number>;
}

const inList = (ids: string[]): SQL =>
  sql`(${sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  )})`;

/**
 * Clicks, leads, sales and revenue of some of a program's links, over a window: the figures beside each link of a
 * page of the console's list, which holds many partners' links. They count as the partner breakdown counts them
 * (a conversion for the link of the click that earned its credit), a row for each of the program's links asked
 * for, zeros included; ids of no link of the program have none.
 *
 * Clicks have no index on the link (one more index to write on every redirect): a link belongs to one partner,
 * so the page's clicks are read from its partners' ranges of (partner_id, at, program_id), and their credits from
 * (partner_id, occurred_at), never from the whole program's window.
 */
export async function linkCounts(ctx: Ctx, query: LinkCountsQuery): Promise<{ rows: LinkCounts[] }> {
  if (query.to <= query.from) throw fieldError("querystring:/to", "must be after from");
  const asked = [...new Set(query.linkIds)];
  const found = asked.length
    ? await ctx.db
        .select({ id: links.id, partnerId: links.partnerId })
        .from(links)
        .where(and(eq(links.programId, query.programId), inArray(links.id, asked)))
    : [];
  if (found.length === 0) return { rows: [] };
  const linkIds = found.map((l) => l.id);
  const partnerIds = [...new Set(found.map((l) => l.partnerId))];
  const clickRows = await ctx.db
    .select({ linkId: clicks.linkId, n: count() })
    .from(clicks)
    .where(
      and(
        inArray(clicks.partnerId, partnerIds),
        gte(clicks.at, query.from),
        lt(clicks.at, query.to),
        eq(clicks.programId, query.programId),
        inArray(clicks.linkId, linkIds),
      ),
    )
    .groupBy(clicks.linkId);
  const creditRows = await creditsByTouch(
    ctx.db,
    sql`earned.link_id`,
    sql`cc.partner_id in ${inList(partnerIds)} and cc.occurred_at >= ${query.from.toISOString()}::timestamptz
        and cc.occurred_at < ${query.to.toISOString()}::timestamptz and cc.program_id = ${query.programId}
        and earned.link_id in ${inList(linkIds)}`,
  );
  const rows = new Map<string, LinkCounts>(
    linkIds.map((linkId) => [linkId, { linkId, clicks: 0, leads: 0, sales: 0, revenue: {} }]),
  );
  for (const c of clickRows) {
    const row = c.linkId ? rows.get(c.linkId) : undefined;
    if (row) row.clicks += c.n;
  }
  for (const c of creditRows) {
    const row = c.key ? rows.get(c.key) : undefined;
    if (row) addCredits(row, c);
  }
  // In the order asked for: the page's.
  return { rows: asked.flatMap((id) => rows.get(id) ?? []) };
}
