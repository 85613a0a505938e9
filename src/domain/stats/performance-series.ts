import { and, eq, gte, lt, type SQL, sql } from "drizzle-orm";
import { type Db, selectRows } from "../../db/client.js";
import { clicks } from "../../db/schema/index.js";
import { fieldError } from "../../lib/errors.js";
import type { Ctx } from "../context.js";
import { ceilHour, clickHoursThrough, floorHour } from "./click-hours.js";
import { addCredits, type CreditGroup } from "./credited-counts.js";

export interface SeriesQuery {
  programId?: string | undefined;
  partnerId?: string | undefined;
  from: Date;
  to: Date;
  interval: "hour" | "day";
}

export interface SeriesPoint {
  bucket: string;
  clicks: number;
  leads: number;
  sales: number;
  /** Credited revenue (a partner's share when filtered by partner), net of refunds, per currency, minor units. */
  revenue: Record<string, number>;
}

const MAX_BUCKETS = 1_000;

/**
 * Clicks, leads, sales and revenue per hour or day. Leads and sales count credited conversions once each (a sale
 * split between two partners is one sale); revenue sums the credited shares, so a partner's series shows its share
 * and a program's the whole amount.
 */
export async function performanceSeries(ctx: Ctx, query: SeriesQuery) {
  const step = query.interval === "hour" ? 3_600_000 : 86_400_000;
  if (query.to <= query.from) throw fieldError("querystring:/to", "must be after from");
  if ((query.to.getTime() - query.from.getTime()) / step > MAX_BUCKETS) {
    throw fieldError("querystring:/interval", `too many ${query.interval}s in the range (at most ${MAX_BUCKETS})`);
  }
  const unit = sql.raw(`'${query.interval}'`);
  const clickRows =
    query.programId && !query.partnerId
      ? await programClicks(ctx.db, unit, query, query.programId)
      : await countClicks(ctx.db, unit, query, query.from, query.to);
  const creditRows = await selectRows<CreditGroup & { bucket: Date | string }>(
    ctx.db,
    query.partnerId ? partnerCredits(unit, query, query.partnerId) : programCredits(unit, query),
  );
  const points = new Map<number, SeriesPoint>();
  const start = Math.floor(query.from.getTime() / step) * step;
  for (let t = start; t < query.to.getTime(); t += step)
    points.set(t, { bucket: new Date(t).toISOString(), clicks: 0, leads: 0, sales: 0, revenue: {} });
  const at = (b: Date | string) => points.get(new Date(b).getTime());
  for (const r of clickRows) {
    const p = at(r.bucket);
    if (p) p.clicks += r.n;
  }
  for (const r of creditRows) {
    const p = at(r.bucket);
    if (p) addCredits(p, r);
  }
  const series = [...points.values()];
  const totals = series.reduce(
    (t, p) => {
      t.clicks += p.clicks;
      t.leads += p.leads;
      t.sales += p.sales;
      for (const [c, v] of Object.entries(p.revenue)) t.revenue[c] = (t.revenue[c] ?? 0) + v;
      return t;
    },
    { clicks: 0, leads: 0, sales: 0, revenue: {} as Record<string, number> },
  );
  return { interval: query.interval, from: query.from.toISOString(), to: query.to.toISOString(), series, totals };
}

type Unit = ReturnType<typeof sql.raw>;
type Buckets = { bucket: Date | string; n: number }[];

/** Clicks counted one by one, per bucket, between two times (with the query's program and partner). */
function countClicks(db: Db, unit: Unit, query: SeriesQuery, from: Date, to: Date): Promise<Buckets> {
  const where: SQL[] = [gte(clicks.at, from), lt(clicks.at, to)];
  if (query.programId) where.push(eq(clicks.programId, query.programId));
  if (query.partnerId) where.push(eq(clicks.partnerId, query.partnerId));
  return selectRows(
    db,
    sql`select date_trunc(${unit}, ${clicks.at}, 'UTC') as bucket, count(*)::int as n from ${clicks} where ${and(...where)} group by 1`,
  );
}

/**
 * A program's clicks: the whole hours already rolled up from click_hours (one row an hour, however busy the
 * program), the partial hours at the window's start and end and the hours not rolled up yet counted one by one.
 */
async function programClicks(db: Db, unit: Unit, query: SeriesQuery, programId: string): Promise<Buckets> {
  const through = await clickHoursThrough(db);
  const start = ceilHour(query.from.getTime());
  const end = Math.min(floorHour(query.to.getTime()), through?.getTime() ?? start);
  if (end <= start) return countClicks(db, unit, query, query.from, query.to);
  const [head, rolled, tail] = await Promise.all([
    countClicks(db, unit, query, query.from, new Date(start)),
    selectRows<Buckets[number]>(
      db,
      sql`select date_trunc(${unit}, hour, 'UTC') as bucket, sum(clicks)::int as n from click_hours
          where program_id = ${programId} and hour >= ${new Date(start).toISOString()}::timestamptz
            and hour < ${new Date(end).toISOString()}::timestamptz
          group by 1`,
    ),
    countClicks(db, unit, query, new Date(end), query.to),
  ]);
  return [...head, ...rolled, ...tail];
}

/**
 * A partner's credited conversions and its shares, from its credits (partner_id, occurred_at), each conversion
 * looked up by key: joined by a hash, the planner read every conversion once the partner's credits seemed many.
 */
function partnerCredits(unit: Unit, query: SeriesQuery, partnerId: string): SQL {
  const program = query.programId ? sql`and cc.program_id = ${query.programId}` : sql``;
  return sql`select date_trunc(${unit}, cc.occurred_at, 'UTC') as bucket, c.kind, c.currency,
      count(distinct cc.conversion_id)::int as n, sum(cc.amount_minor)::text as amount
    from conversion_credits cc
    cross join lateral (select kind, currency from conversions c where c.id = cc.conversion_id offset 0) c
    where cc.partner_id = ${partnerId} and cc.occurred_at >= ${query.from.toISOString()}::timestamptz
      and cc.occurred_at < ${query.to.toISOString()}::timestamptz ${program}
    group by 1, 2, 3`;
}

/**
 * A program's credited conversions and revenue, from its conversions (program_id, occurred_at) alone: an
 * attributed conversion's credits split its whole amount (a refund's negatively), so their sum is the amount.
 * Credits have no program index; filtered on their own they were a scan of every credit of every program.
 */
function programCredits(unit: Unit, query: SeriesQuery): SQL {
  const program = query.programId ? sql`and program_id = ${query.programId}` : sql``;
  return sql`select date_trunc(${unit}, occurred_at, 'UTC') as bucket, kind, currency, count(*)::int as n,
      sum(case when kind = 'refund' then -amount_minor else amount_minor end)::text as amount
    from conversions
    where attributed and occurred_at >= ${query.from.toISOString()}::timestamptz
      and occurred_at < ${query.to.toISOString()}::timestamptz ${program}
    group by 1, 2, 3`;
}
