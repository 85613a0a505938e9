import { and, eq, gte, lt, type SQL, sql } from "drizzle-orm";
import { type Db, selectRows } from "../../db/client.js";
import { clicks } from "../../db/schema/index.js";
import { fieldError } from "../../lib/errors.js";
import type { Ctx } from "../context.js";
import { type RolledUpSpan, rolledUpPartnerHours, rolledUpSpan } from "./click-hours.js";
import { addCredits, type CreditGroup } from "./credited-counts.js";

export interface SeriesQuery {
  programId?: string | undefined;
  partnerId?: string | undefined;
  from: Date;
  to: Date;
  interval: "hour" | "day";
  /**
   * The IANA time zone whose days the day buckets are (default UTC): a viewer in New York reads "21 Nov" as its
   * own 21 November, as the lists' date filters do. Hours are the same instants everywhere (whole-hour zones).
   */
  timeZone?: string | undefined;
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
 * An IANA zone name both the runtime and PostgreSQL read alike ("Europe/Paris", "UTC", "Etc/GMT+5"). An offset
 * such as "+05:00" is refused: PostgreSQL reads it as a POSIX zone, five hours the other way.
 */
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/;

function isTimeZone(name: string): boolean {
  if (!ZONE_NAME.test(name)) return false;
  try {
    new Intl.DateTimeFormat("en", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

const ZONE_MESSAGE = "must be an IANA time zone name, such as Europe/Paris";

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
  if (query.timeZone !== undefined && !isTimeZone(query.timeZone))
    throw fieldError("querystring:/timeZone", ZONE_MESSAGE);
  const unit = sql.raw(`'${query.interval}'`);
  const timeZone = query.interval === "day" ? (query.timeZone ?? "UTC") : "UTC";
  // First: a zone the runtime knows and the database does not is refused before anything is counted.
  const starts = await bucketStarts(ctx.db, query, step, timeZone);
  const clickRows = await seriesClicks(ctx.db, unit, timeZone, query);
  const creditRows = await selectRows<CreditGroup & { bucket: Date | string }>(
    ctx.db,
    query.partnerId ? partnerCredits(unit, timeZone, query, query.partnerId) : programCredits(unit, timeZone, query),
  );
  const points = new Map<number, SeriesPoint>();
  for (const t of starts)
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
  return {
    interval: query.interval,
    timeZone,
    from: query.from.toISOString(),
    to: query.to.toISOString(),
    series,
    totals,
  };
}

/**
 * Where each bucket from the one `from` falls in up to `to` starts. UTC days and hours are steps of a fixed length;
 * another zone's days are 23 to 25 hours long around a change of clocks, so the database, which buckets the rows
 * with the same rules, names them: from the range's hours (a day has at least 23) and its last instant.
 */
async function bucketStarts(db: Db, query: SeriesQuery, step: number, timeZone: string): Promise<number[]> {
  if (timeZone === "UTC") {
    const starts: number[] = [];
    for (let t = Math.floor(query.from.getTime() / step) * step; t < query.to.getTime(); t += step) starts.push(t);
    return starts;
  }
  const from = query.from.toISOString();
  const to = query.to.toISOString();
  const rows = await selectRows<{ bucket: Date | string }>(
    db,
    sql`select distinct date_trunc('day', t, ${timeZone}) as bucket
        from (select generate_series(${from}::timestamptz, ${to}::timestamptz, interval '1 hour') as t
              union all select ${to}::timestamptz - interval '1 millisecond') instants
        where t < ${to}::timestamptz
        order by 1`,
  ).catch((error: unknown) => {
    if (error instanceof Error && /time zone .* not recognized/.test(error.message))
      throw fieldError("querystring:/timeZone", ZONE_MESSAGE);
    throw error;
  });
  return rows.map((r) => new Date(r.bucket).getTime());
}

type Unit = ReturnType<typeof sql.raw>;
type Buckets = { bucket: Date | string; n: number }[];

/** The clicks the query names, as conditions on clicks: a program's, a partner's (in one program or all), or all. */
function clicksOf(query: SeriesQuery): SQL[] {
  const where: SQL[] = [];
  if (query.programId) where.push(eq(clicks.programId, query.programId));
  if (query.partnerId) where.push(eq(clicks.partnerId, query.partnerId));
  // The whole account: every program's range of (program_id, at), as the roll-up counts them.
  if (where.length === 0) where.push(sql`${clicks.programId} = any(array(select id from programs))`);
  return where;
}

/** Clicks counted one by one, per bucket, between two times. */
function countClicks(db: Db, unit: Unit, timeZone: string, query: SeriesQuery, from: Date, to: Date): Promise<Buckets> {
  return selectRows(
    db,
    sql`select date_trunc(${unit}, ${clicks.at}, ${timeZone}) as bucket, count(*)::int as n from ${clicks}
        where ${and(...clicksOf(query), gte(clicks.at, from), lt(clicks.at, to))} group by 1`,
  );
}

/**
 * The rolled-up hours within a span, as (hour, clicks) rows: a partner's from click_partner_hours, a range of
 * (partner_id, hour) in one program or all; a program's from click_hours, a range of (program_id, hour); the whole
 * account's from click_hours too, a range per program.
 */
function rolledUpRows(query: SeriesQuery, span: RolledUpSpan<Date>): SQL {
  const start = span.start.toISOString();
  const end = span.end.toISOString();
  if (query.partnerId) {
    const program = query.programId ? sql`and program_id = ${query.programId}` : sql``;
    return sql`select hour, clicks from click_partner_hours where partner_id = ${query.partnerId}
      and hour >= ${start}::timestamptz and hour < ${end}::timestamptz ${program}`;
  }
  const programs = query.programId ? sql`= ${query.programId}` : sql`= any(array(select id from programs))`;
  return sql`select hour, clicks from click_hours where program_id ${programs}
    and hour >= ${start}::timestamptz and hour < ${end}::timestamptz`;
}

/**
 * The query's clicks per bucket: the whole hours already rolled up (a partner's from click_partner_hours, a
 * program's or the account's from click_hours: one row an hour, however busy), the partial hours at the window's
 * start and end and the hours not rolled up yet counted one by one. Every case gives the row-by-row count
 * (test/stats/series-clicks.test.ts): a UTC hour is read whole into the viewer's day it starts in only when it also
 * ends in that day; an hour a local midnight falls within (a zone half an hour off UTC, such as India) is counted
 * one by one, its clicks each in its own day, so the program's, the partner's and the account's charts all bucket
 * alike.
 */
async function seriesClicks(db: Db, unit: Unit, timeZone: string, query: SeriesQuery): Promise<Buckets> {
  const span = query.partnerId
    ? await rolledUpPartnerHours(db, query.from, query.to)
    : await rolledUpSpan(db, query.from, query.to);
  if (!span) return countClicks(db, unit, timeZone, query, query.from, query.to);
  // UTC days and hours hold whole UTC hours; another zone's days may start within one.
  const split = timeZone !== "UTC";
  const whole = split ? sql`where not ${straddles(sql`hour`, timeZone)}` : sql``;
  const [head, rolled, tail, straddling] = await Promise.all([
    countClicks(db, unit, timeZone, query, query.from, span.start),
    selectRows<Buckets[number]>(
      db,
      sql`select date_trunc(${unit}, hour, ${timeZone}) as bucket, sum(clicks)::int as n
          from (${rolledUpRows(query, span)}) rolled ${whole}
          group by 1`,
    ),
    countClicks(db, unit, timeZone, query, span.end, query.to),
    split ? straddlingHours(db, unit, timeZone, query, span) : [],
  ]);
  return [...head, ...rolled, ...tail, ...straddling];
}

/** Whether a local day starts within the UTC hour from `hour`: its last instant is in another day than its first. */
const straddles = (hour: SQL, timeZone: string) =>
  sql`(date_trunc('day', ${hour}, ${timeZone}) <> date_trunc('day', ${hour} + interval '1 hour' - interval '1 microsecond', ${timeZone}))`;

/**
 * The clicks of the span's hours that a local midnight falls within, counted one by one: none in a zone a whole
 * number of hours off UTC (the hours are listed and none is kept), one a day in a zone half an hour off. Each hour is
 * its own range of the clicks' index, looked up from the hour (offset 0: never a join over all of them).
 */
function straddlingHours(
  db: Db,
  unit: Unit,
  timeZone: string,
  query: SeriesQuery,
  span: RolledUpSpan<Date>,
): Promise<Buckets> {
  return selectRows(
    db,
    sql`select date_trunc(${unit}, c.at, ${timeZone}) as bucket, count(*)::int as n
        from generate_series(${span.start.toISOString()}::timestamptz,
          ${span.end.toISOString()}::timestamptz - interval '1 hour', interval '1 hour') h(t)
        cross join lateral (select ${clicks.at} as at from ${clicks} where ${and(...clicksOf(query))}
          and ${clicks.at} >= h.t and ${clicks.at} < h.t + interval '1 hour' offset 0) c
        where ${straddles(sql`h.t`, timeZone)}
        group by 1`,
  );
}

/**
 * A partner's credited conversions and its shares, from its credits (partner_id, occurred_at), each conversion
 * looked up by key: joined by a hash, the planner read every conversion once the partner's credits seemed many.
 */
function partnerCredits(unit: Unit, timeZone: string, query: SeriesQuery, partnerId: string): SQL {
  const program = query.programId ? sql`and cc.program_id = ${query.programId}` : sql``;
  return sql`select date_trunc(${unit}, cc.occurred_at, ${timeZone}) as bucket, c.kind, c.currency,
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
function programCredits(unit: Unit, timeZone: string, query: SeriesQuery): SQL {
  const program = query.programId ? sql`and program_id = ${query.programId}` : sql``;
  return sql`select date_trunc(${unit}, occurred_at, ${timeZone}) as bucket, kind, currency, count(*)::int as n,
      sum(case when kind = 'refund' then -amount_minor else amount_minor end)::text as amount
    from conversions
    where attributed and occurred_at >= ${query.from.toISOString()}::timestamptz
      and occurred_at < ${query.to.toISOString()}::timestamptz ${program}
    group by 1, 2, 3`;
}
