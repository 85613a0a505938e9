import { and, eq, gte, lt, type SQL, sql } from "drizzle-orm";
import { type Db, selectRows } from "../../db/client.js";
import { clickHours, settings } from "../../db/schema/index.js";
import type { Clock } from "../../lib/clock.js";

const HOUR_MS = 3_600_000;
/** The end of the last hour rolled up into click_hours (ISO time), shared by every instance. */
const THROUGH_KEY = "click_hours_through";
/** An hour is rolled up once it ended this long ago: a batch of clicks commits within seconds of its redirects. */
const SETTLE_MS = 5 * 60_000;
/** Each run counts the last two rolled-up hours again, so a batch that committed late is counted all the same. */
const RECOUNT_MS = 2 * HOUR_MS;

const floorHour = (ms: number) => Math.floor(ms / HOUR_MS) * HOUR_MS;
const ceilHour = (ms: number) => Math.ceil(ms / HOUR_MS) * HOUR_MS;

/** Where click_hours ends: hours before it are rolled up; undefined before the first run. */
export async function clickHoursThrough(db: Db): Promise<Date | undefined> {
  const [row] = await db.select({ value: settings.value }).from(settings).where(eq(settings.key, THROUGH_KEY));
  return row ? new Date(row.value) : undefined;
}

/** The whole hours of a range that click_hours holds: [start, end); no start, every hour rolled up before end. */
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
  const through = await clickHoursThrough(db);
  if (!through) return undefined;
  const start = from ? ceilHour(from.getTime()) : undefined;
  const end = Math.min(to ? floorHour(to.getTime()) : Number.POSITIVE_INFINITY, through.getTime());
  if (end <= (start ?? Number.NEGATIVE_INFINITY)) return undefined;
  return { start: start === undefined ? undefined : new Date(start), end: new Date(end) };
}

/** A program's rolled-up hours within a span, as a condition on click_hours (a range of its primary key). */
export const rolledUpHours = (programId: string, span: RolledUpSpan): SQL =>
  and(
    eq(clickHours.programId, programId),
    ...(span.start ? [gte(clickHours.hour, span.start)] : []),
    lt(clickHours.hour, span.end),
  )!;

/**
 * Counts each program's clicks per UTC hour for the hours that have ended, from where the last run ended (less
 * RECOUNT_MS), or from the first click on the first run. Counts are exact and set, not added to, so a run
 * repeated or overlapping another is harmless. Program by program: each count is a range of (program_id, at).
 * Clicks are written as they happen; whatever writes clicks of hours long past (the demo's history) says from
 * when with `recountFrom`, or the charts and the clicks list's total would never count them.
 */
export async function rollUpClickHours(
  deps: { db: Db; clock: Clock },
  options: { recountFrom?: Date } = {},
): Promise<{ hours: number; through: string }> {
  const previous = await clickHoursThrough(deps.db);
  const through = new Date(Math.max(floorHour(deps.clock.now().getTime() - SETTLE_MS), previous?.getTime() ?? 0));
  // Whole hours: an hour's count is set, so it must be all of the hour's clicks.
  const from = previous
    ? new Date(Math.min(previous.getTime() - RECOUNT_MS, floorHour(options.recountFrom?.getTime() ?? Infinity)))
    : undefined;
  // One statement: the counts and where they now end are stored together.
  const [row] = await selectRows<{ hours: number }>(
    deps.db,
    sql`with counted as (
          insert into click_hours (program_id, hour, clicks)
          select program_id, date_trunc('hour', at, 'UTC'), count(*)::int from clicks
          where program_id = any(array(select id from programs)) and at < ${through.toISOString()}::timestamptz
            ${from ? sql`and at >= ${from.toISOString()}::timestamptz` : sql``}
          group by 1, 2
          on conflict (program_id, hour) do update set clicks = excluded.clicks
          returning hour
        ), saved as (
          insert into settings (key, value) values (${THROUGH_KEY}, ${through.toISOString()})
          on conflict (key) do update set value = excluded.value
        )
        select count(*)::int as hours from counted`,
  );
  return { hours: row?.hours ?? 0, through: through.toISOString() };
}
