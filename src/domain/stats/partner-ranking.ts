import { eq, inArray, type SQL, sql } from "drizzle-orm";
import { type Db, selectRows } from "../../db/client.js";
import { partners, programs } from "../../db/schema/index.js";
import { AppError, fieldError } from "../../lib/errors.js";
import type { Ctx } from "../context.js";
import { rolledUpDays } from "./click-hours.js";
import { reportRows } from "./credited-counts.js";
import { creditsByPartner } from "./credits-by-partner.js";

export interface PartnerRankingQuery {
  programId: string;
  from: Date;
  to: Date;
}

export interface RankedPartner {
  partnerId: string;
  /** The partner's display name when the row was read. */
  partnerName: string;
  clicks: number;
  leads: number;
  sales: number;
  /** The partner's share of credited revenue, net of refunds, per currency, minor units. */
  revenue: Record<string, number>;
}

export interface PartnerRanking {
  /** Partners with a click or a credited conversion in the window, all of them, however many rows are returned. */
  active: number;
  rows: RankedPartner[];
}

/** A leaderboard, not an export: the busiest partners of a program with thousands of them. */
const MAX_ROWS = 100;

/**
 * Which of a program's partners drive its results over a window: each partner's clicks, credited leads and sales,
 * and its share of credited revenue net of refunds, best first — by revenue in the program's currency, then sales,
 * leads and clicks. A conversion counts for every partner it credits (a sale split between two partners is a sale of
 * each) and a refund against its sale's partners, so the revenue shares add up to the program's credited revenue.
 *
 * Both reads are the program's own window, whatever the other programs hold: its clicks per partner and day from
 * click_partner_days (program_id, day) and the partial days at the ends through (program_id, at), its credited
 * conversions per partner, day and week from credit_partner_periods and the rest counted (creditsByPartner).
 */
export async function partnerRanking(ctx: Ctx, query: PartnerRankingQuery): Promise<PartnerRanking> {
  if (query.to <= query.from) throw fieldError("querystring:/to", "must be after from");
  const [program] = await ctx.db
    .select({ currency: programs.currency })
    .from(programs)
    .where(eq(programs.id, query.programId));
  if (!program) throw new AppError("not_found", `program ${query.programId} not found`);
  const clickRows = await clicksByPartner(ctx.db, query);
  const creditRows = await creditsByPartner(ctx.db, query);
  const byPartner = reportRows((partnerId: string) => ({ partnerId }));
  for (const c of clickRows) byPartner.addClicks(c.partner_id, c.n);
  for (const c of creditRows) {
    // Leads, sales and the net of sales and refunds: what addCredits takes from each kind's group.
    const currency = c.currency || null;
    byPartner.addCredits(c.partner_id, { kind: "lead", currency, n: c.leads, amount: null });
    byPartner.addCredits(c.partner_id, { kind: "sale", currency, n: c.sales, amount: c.amount });
  }
  const inCurrency = (r: { revenue: Record<string, number> }) => r.revenue[program.currency] ?? 0;
  const best = [...byPartner.rows.values()]
    .sort(
      (a, b) =>
        inCurrency(b) - inCurrency(a) ||
        b.sales - a.sales ||
        b.leads - a.leads ||
        b.clicks - a.clicks ||
        a.partnerId.localeCompare(b.partnerId),
    )
    .slice(0, MAX_ROWS);
  const names = best.length
    ? await ctx.db
        .select({ id: partners.id, name: partners.name })
        .from(partners)
        .where(
          inArray(
            partners.id,
            best.map((r) => r.partnerId),
          ),
        )
    : [];
  const nameOf = new Map(names.map((p) => [p.id, p.name]));
  return {
    active: byPartner.rows.size,
    rows: best.map((r) => ({ ...r, partnerName: nameOf.get(r.partnerId) ?? r.partnerId })),
  };
}

/**
 * Each partner's clicks in the program over the window: the whole UTC days rolled up from click_partner_days (a
 * program's 90 days of clicks, counted one by one, were a visit of the table for each click: its index in time
 * order has no partner), the partial days at the ends and the days not rolled up yet counted one by one.
 */
async function clicksByPartner(db: Db, query: PartnerRankingQuery) {
  const span = await rolledUpDays(db, query.from, query.to);
  const counted = (from: Date, to: Date): SQL =>
    sql`select partner_id, count(*)::int as n from clicks
        where program_id = ${query.programId} and at >= ${from.toISOString()}::timestamptz
          and at < ${to.toISOString()}::timestamptz
        group by 1`;
  if (!span) return selectRows<{ partner_id: string; n: number }>(db, counted(query.from, query.to));
  return selectRows<{ partner_id: string; n: number }>(
    db,
    sql`select partner_id, sum(n)::int as n from (
          select partner_id, sum(clicks) as n from click_partner_days
          where program_id = ${query.programId} and day >= ${span.start.toISOString()}::timestamptz
            and day < ${span.end.toISOString()}::timestamptz
          group by 1
          union all (${counted(query.from, span.start)})
          union all (${counted(span.end, query.to)})
        ) parts
        group by 1`,
  );
}
