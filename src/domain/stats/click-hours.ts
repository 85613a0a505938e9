import { and, eq, gte, lt, type SQL, sql } from "drizzle-orm";
import { type Db, selectRows } from "../../db/client.js";
import { clickHours, clickPartnerDays, settings } from "../../db/schema/index.js";
import type { Clock } from "../../lib/clock.js";

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** The end of the last hour rolled up into click_hours (ISO time), shared by every instance. */
const THROUGH_KEY = "click_hours_through";
/** The same for click_partner_hours: its own, so its first run on an installation with click_hours counts all. */
const PARTNER_HOURS_THROUGH_KEY = "click_partner_hours_through";
/** The end of the last UTC day rolled up into click_partner_days (ISO time): its own, so its first run counts all. */
const DAYS_THROUGH_KEY = "click_partner_days_through";
/** Serializes runs of the job (roll-up-credit-days has its own key). */
const LOCK_KEY = 7_310_302;
/** An hour is rolled up once it ended this long ago: a batch of clicks commits within seconds of its redirects. */
const SETTLE_MS = 5 * 60_000;
/** Each run counts the last two rolled-up hours again, so a batch that committed late is counted all the same. */
const RECOUNT_MS = 2 * HOUR_MS;

const floorHour = (ms: number) => Math.floor(ms / HOUR_MS) * HOUR_MS;
const floorDay = (ms: number) => Math.floor(ms / DAY_MS) * DAY_MS;

async function savedTime(db: Db, key: string): Promise<Date | undefined> {
  const [row] = await db.select({ value: settings.value }).from(settings).where(eq(settings.key, key));
  return row ? new Date(row.value) : undefined;
}

/** Where click_hours ends: hours before it are rolled up; undefined before the first run. */
export const clickHoursThrough = (db: Db) => savedTime(db, THROUGH_KEY);

/** Where click_partner_hours ends: the same as click_hours once the job has run since it was added. */
const clickPartnerHoursThrough = (db: Db) => savedTime(db, PARTNER_HOURS_THROUGH_KEY);

/** Which hours of [from, to) a partner's clicks can be read from click_partner_hours, as rolledUpSpan says. */
export async function rolledUpPartnerHours(db: Db, from: Date, to: Date): Promise<RolledUpSpan<Date> | undefined> {
  return spanWithin(await clickPartnerHoursThrough(db), HOUR_MS, from, to) as RolledUpSpan<Date> | undefined;
}

/** The whole hours (days) of a range that a roll-up holds: [start, end); no start, all rolled up before end. */
export interface RolledUpSpan<Start extends Date | undefined = Date | undefined> {
  start: Start;
  end: Date;
}

/**
 * Which hours of [from, to) a program's clicks can be read from click_hours rather than counted one by one: the
 * first hour that starts at or after `from` (with no `from`, the first click) up to the last that ends by `to`
 * and has been rolled up. The clicks before `start` and from `end` on are for the caller to count. Undefined
 * when there is no such hour (nothing rolled up yet, or a range within an hour or two): count them all.
 */
export async function rolledUpSpan(db: Db, from: Date, to?: Date): Promise<RolledUpSpan<Date> | undefined>;
export async function rolledUpSpan(db: Db, from?: Date, to?: Date): Promise<RolledUpSpan | undefined>;
export async function rolledUpSpan(db: Db, from?: Date, to?: Date): Promise<RolledUpSpan | undefined> {
  return spanWithin(await clickHoursThrough(db), HOUR_MS, from, to);
}

/**
 * Which whole UTC days of [from, to) a partner's clicks can be read from click_partner_days, as rolledUpSpan says
 * of hours: the clicks before `start` and from `end` on are for the caller to count one by one.
 */
export async function rolledUpDays(db: Db, from: Date, to?: Date): Promise<RolledUpSpan<Date> | undefined>;
export async function rolledUpDays(db: Db, from?: Date, to?: Date): Promise<RolledUpSpan | undefined>;
export async function rolledUpDays(db: Db, from?: Date, to?: Date): Promise<RolledUpSpan | undefined> {
  return spanWithin(await savedTime(db, DAYS_THROUGH_KEY), DAY_MS, from, to);
}

/** The whole units (hours, days) of [from, to) that start at or after `from`, end by `to` and end by `through`. */
function spanWithin(through: Date | undefined, unit: number, from?: Date, to?: Date): RolledUpSpan | undefined {
  if (!through) return undefined;
  const start = from ? Math.ceil(from.getTime() / unit) * unit : undefined;
  const end = Math.min(to ? Math.floor(to.getTime() / unit) * unit : Number.POSITIVE_INFINITY, through.getTime());
  if (end <= (start ?? Number.NEGATIVE_INFINITY)) return undefined;
  return { start: start === undefined ? undefined : new Date(start), end: new Date(end) };
}

/** Rolled-up days within a span, as conditions on click_partner_days (with the partner's or program's key). */
export const rolledUpDaysWithin = (span: RolledUpSpan): SQL[] => [
  ...(span.start ? [gte(clickPartnerDays.day, span.start)] : []),
  lt(clickPartnerDays.day, span.end),
];

/** A program's rolled-up hours within a span, as a condition on click_hours (a range of its primary key). */
export const rolledUpHours = (programId: string, span: RolledUpSpan): SQL =>
  and(
    eq(clickHours.programId, programId),
    ...(span.start ? [gte(clickHours.hour, span.start)] : []),
    lt(clickHours.hour, span.end),
  )!;

/**
 * Counts each program's clicks per UTC hour into click_hours, and each partner's per UTC hour and program into
 * click_partner_hours, for the hours that have ended, from where the last run ended (less RECOUNT_MS), or from the
 * first click on the first run. Counts are exact and set, not added to, so a run repeated or overlapping another is
 * harmless. Program by program: each count is a range of (program_id, at). Both tables come from one grouping of
 * the clicks, per program, partner and hour (a program's hour is the sum of its partners'), so the clicks are read
 * once for the two; click_partner_days needs the link and whole days, so it keeps its own pass. Clicks are written
 * as they happen; whatever writes clicks of hours long past (the demo's history) says from when with
 * `recountFrom`, or the charts and the clicks list's total would never count them. Then the same for each
 * partner's clicks per link and UTC day (rollUpPartnerDays), by the same rules.
 */
export async function rollUpClickHours(
  deps: { db: Db; clock: Clock },
  options: { recountFrom?: Date } = {},
): Promise<{ hours: number; partnerHours: number; through: string; partnerDays: number }> {
  return deps.db.transaction(async (tx) => {
    // One run at a time. A first run counts every click (an upgraded installation's too): on a big one it outlasts
    // the job's 15-minute expiry, and the retries would each start counting all of them again alongside it. Waiting,
    // a retry finds where the first ended and counts its last hours only.
    await tx.execute(sql`select pg_advisory_xact_lock(${LOCK_KEY})`);
    return rollUp(tx, deps.clock, options);
  });
}

async function rollUp(
  db: Db,
  clock: Clock,
  options: { recountFrom?: Date },
): Promise<{ hours: number; partnerHours: number; through: string; partnerDays: number }> {
  const previous = await clickHoursThrough(db);
  const through = new Date(Math.max(floorHour(clock.now().getTime() - SETTLE_MS), previous?.getTime() ?? 0));
  // Whole hours: an hour's count is set, so it must be all of the hour's clicks.
  const hoursFrom = previous
    ? new Date(Math.min(previous.getTime() - RECOUNT_MS, floorHour(options.recountFrom?.getTime() ?? Infinity)))
    : undefined;
  // An installation whose click_hours predate click_partner_hours has no end of its own for the latter: all again.
  const from = (await clickPartnerHoursThrough(db)) ? hoursFrom : undefined;
  // One statement: the counts and where they now end are stored together. A partner's hour is written only when
  // its count changed (most of a recount's rows did not); a program's is one row an hour, rewritten.
  const [row] = await selectRows<{ hours: number; partner_hours: number }>(
    db,
    sql`with grouped as materialized (
          select program_id, partner_id, date_trunc('hour', at, 'UTC') as hour, count(*)::int as clicks from clicks
          where program_id = any(array(select id from programs)) and at < ${through.toISOString()}::timestamptz
            ${from ? sql`and at >= ${from.toISOString()}::timestamptz` : sql``}
          group by 1, 2, 3
        ), partner_hours as (
          insert into click_partner_hours (partner_id, hour, program_id, clicks)
          select partner_id, hour, program_id, clicks from grouped
          on conflict (partner_id, hour, program_id) do update set clicks = excluded.clicks
            where click_partner_hours.clicks <> excluded.clicks
          returning 1
        ), counted as (
          insert into click_hours (program_id, hour, clicks)
          select program_id, hour, sum(clicks)::int from grouped group by 1, 2
          on conflict (program_id, hour) do update set clicks = excluded.clicks
          returning hour
        ), saved as (
          insert into settings (key, value)
          values (${THROUGH_KEY}, ${through.toISOString()}), (${PARTNER_HOURS_THROUGH_KEY}, ${through.toISOString()})
          on conflict (key) do update set value = excluded.value
        )
        select (select count(*)::int from counted) as hours, (select count(*)::int from partner_hours) as partner_hours`,
  );
  const partnerDays = await rollUpPartnerDays(db, through, hoursFrom);
  return {
    hours: row?.hours ?? 0,
    partnerHours: row?.partner_hours ?? 0,
    through: through.toISOString(),
    partnerDays,
  };
}

/**
 * Counts each partner's clicks per program, link and UTC day into click_partner_days, for the days that ended by
 * `hoursThrough` (where click_hours now ends). A day's count is set, so it is counted whole again when the hours
 * click_hours recounts (`hoursFrom`: a late batch, `recountFrom`) fall in it, and so are the days since the last
 * run; other runs count nothing (most of them: a day ends once a day). Only changed counts are written, so the
 * runs that recount yesterday after midnight rewrite none of its rows unless a late click changed them. Undefined
 * `hoursFrom` or no earlier run of its own: every click. Returns how many day counts it wrote.
 */
async function rollUpPartnerDays(db: Db, hoursThrough: Date, hoursFrom: Date | undefined): Promise<number> {
  const previous = await savedTime(db, DAYS_THROUGH_KEY);
  const through = new Date(Math.max(floorDay(hoursThrough.getTime()), previous?.getTime() ?? 0));
  const from =
    previous && hoursFrom ? new Date(floorDay(Math.min(previous.getTime(), hoursFrom.getTime()))) : undefined;
  const [row] = await selectRows<{ days: number }>(
    db,
    sql`with counted as (
          insert into click_partner_days (program_id, day, partner_id, link_id, clicks)
          select program_id, date_trunc('day', at, 'UTC'), partner_id, coalesce(link_id, ''), count(*)::int
          from clicks
          where program_id = any(array(select id from programs)) and at < ${through.toISOString()}::timestamptz
            ${from ? sql`and at >= ${from.toISOString()}::timestamptz` : sql``}
          group by 1, 2, 3, 4
          on conflict (program_id, day, partner_id, link_id) do update set clicks = excluded.clicks
            where click_partner_days.clicks <> excluded.clicks
          returning 1
        ), saved as (
          insert into settings (key, value) values (${DAYS_THROUGH_KEY}, ${through.toISOString()})
          on conflict (key) do update set value = excluded.value
        )
        select count(*)::int as days from counted`,
  );
  return row?.days ?? 0;
}
