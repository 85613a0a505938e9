import { eq, inArray, sql } from "drizzle-orm";
import { arrayLiteral } from "../../db/array-literal.js";
import { type Db, selectRows } from "../../db/client.js";
import { settings } from "../../db/schema/index.js";
import type { Clock } from "../../lib/clock.js";

/** Where the last run started reading arrivals (ISO time), shared by every instance. */
const THROUGH_KEY = "credit_partner_periods_through";
/**
 * Each run reads again the arrivals of this long before the last run: a batch's conversions get their ids when their
 * requests arrive and commit moments later, so some of them commit after a run that read past their ids. What the
 * intake still held is read back to as well (WAITING_KEY); anything later still is counted from conversions by the
 * readers until something else arrives on its day (conversion_days).
 */
const RECOUNT_MS = 60 * 60_000;
/**
 * When the oldest lead or sale still waiting in the intake was accepted, as the last run saw it (ISO time; absent
 * when none waited). Its conversion will get the id it was accepted with, however late it is recorded (a worker
 * stopped for hours), so the next run reads arrivals from there too: those days are recounted when they are
 * recorded, not read from conversions for ever because nothing else arrives on them. (A refused submission sent
 * again keeps its first id while its accepted time moves on: its day is still read from conversions until
 * something else arrives for it — right, only slower.)
 */
const WAITING_KEY = "credit_partner_periods_waiting";
/** Serializes runs, so a run's counts are never overwritten by an earlier snapshot's. */
const LOCK_KEY = 7_310_301;

const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
const DAY_MS = 86_400_000;

/** The smallest conversion id made at or after `at` (ids are the prefix and the time in ten base32 digits first). */
export function firstConversionIdAt(at: Date): string {
  let digits = "";
  for (let i = 0, t = at.getTime(); i < 10; i++, t = Math.floor(t / 32)) digits = ALPHABET[t % 32]! + digits;
  return `cnv_${digits}`;
}

/**
 * Recounts, for each program and ended UTC day that a conversion received since the last run (less RECOUNT_MS)
 * happened on, and each day that ended since the last run, its credited leads, sales and net revenue per partner
 * and currency into credit_partner_periods (days = 1), the day's week (days = 7, summed from its days) and the number of its conversions (conversion_days). Conversion
 * ids are time-sortable by when they were received, so what arrived is a range of the primary key, whatever the
 * time it happened (a sale dated last month, a refund, a lead an intake recorded late). Counts are exact and set,
 * never added to, so a run repeated is harmless; conversions and credits are only ever inserted, so a day's counts
 * only grow. The first run counts every conversion of the days that ended; whatever writes conversions received long ago (the demo's
 * history) says from when with `recountFrom`.
 */
export async function rollUpCreditDays(
  deps: { db: Db; clock: Clock },
  options: { recountFrom?: Date } = {},
): Promise<{ days: number; weeks: number; from: string | null }> {
  return deps.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${LOCK_KEY})`);
    const saved = new Map(
      (
        await tx
          .select({ key: settings.key, value: settings.value })
          .from(settings)
          .where(inArray(settings.key, [THROUGH_KEY, WAITING_KEY]))
      ).map((s) => [s.key, new Date(s.value).getTime()]),
    );
    const now = deps.clock.now();
    const lastRun = saved.has(THROUGH_KEY) ? new Date(saved.get(THROUGH_KEY)!) : undefined;
    const from = lastRun
      ? new Date(
          Math.min(
            lastRun.getTime() - RECOUNT_MS,
            saved.get(WAITING_KEY) ?? Infinity,
            options.recountFrom?.getTime() ?? Infinity,
          ),
        )
      : undefined;
    // Read before the counts: whatever this run does not see recorded yet is still waiting here (or arrives later).
    const [waiting] = await selectRows<{ at_ms: number | null }>(
      tx,
      sql`select (extract(epoch from min(received_at)) * 1000)::float8 as at_ms
          from conversion_intake where status = 'queued'`,
    );
    const waitingSince = waiting?.at_ms == null ? undefined : new Date(waiting.at_ms).toISOString();
    await (waitingSince
      ? tx
          .insert(settings)
          .values({ key: WAITING_KEY, value: waitingSince })
          .onConflictDoUpdate({ target: settings.key, set: { value: waitingSince } })
      : tx.delete(settings).where(eq(settings.key, WAITING_KEY)));
    const today = new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS);
    const sinceLastRun = lastRun ? new Date(Math.floor(lastRun.getTime() / DAY_MS) * DAY_MS) : undefined;
    // One statement, one snapshot: a day's partner counts and its number of conversions are of the same conversions.
    // Only days that have ended: today is a ranking's partial last day, read from conversions whatever is rolled up,
    // and recounting it every run would read the whole of a busy program's day again and again. Its arrivals are
    // counted once it has ended, by the first run after (the days ended since the last run, for every program).
    const touched = await selectRows<{ program_id: string; day: string }>(
      tx,
      sql`with arrived as (
            select distinct program_id, date_trunc('day', occurred_at, 'UTC') as day from conversions
            where occurred_at < ${today.toISOString()}::timestamptz
              ${from ? sql`and id >= ${firstConversionIdAt(from)}` : sql``}
            ${
              sinceLastRun && sinceLastRun < today
                ? sql`union
                  select p.id, d.day from programs p
                  cross join generate_series(${sinceLastRun.toISOString()}::timestamptz,
                    ${new Date(today.getTime() - DAY_MS).toISOString()}::timestamptz, interval '24 hours') as d(day)`
                : sql``
            }
          ), touched as (
            -- A day counted with as many conversions as it has now is unchanged (conversions are only ever inserted):
            -- the hour read again each run, and the first hour after midnight above all, would recount it run after run.
            select a.program_id, a.day, n.conversions from arrived a
            cross join lateral (
              select count(*)::int as conversions from conversions c
              where c.program_id = a.program_id and c.occurred_at >= a.day and c.occurred_at < a.day + interval '24 hours'
            ) n
            left join conversion_days d on d.program_id = a.program_id and d.day = a.day
            where d.conversions is distinct from n.conversions
          ), counted as (
            select t.program_id, t.day, cc.partner_id, coalesce(c.currency, '') as currency,
              count(*) filter (where c.kind = 'lead')::int as leads,
              count(*) filter (where c.kind = 'sale')::int as sales,
              sum(cc.amount_minor) filter (where c.kind in ('sale', 'refund'))::bigint as amount
            from touched t
            cross join lateral (
              select id, kind, currency from conversions c
              where c.program_id = t.program_id and c.occurred_at >= t.day and c.occurred_at < t.day + interval '24 hours'
              offset 0
            ) c
            -- Each conversion's credits by key (as sets, a scan of every program's credits).
            cross join lateral (
              select partner_id, amount_minor from conversion_credits cc where cc.conversion_id = c.id offset 0
            ) cc
            group by 1, 2, 3, 4
          ), written as (
            insert into credit_partner_periods as p (program_id, days, start, partner_id, currency, leads, sales,
              amount_minor)
            select program_id, 1, day, partner_id, currency, leads, sales, amount from counted
            on conflict (program_id, days, start, partner_id, currency) do update
            set leads = excluded.leads, sales = excluded.sales, amount_minor = excluded.amount_minor
            where (p.leads, p.sales, p.amount_minor) is distinct from (excluded.leads, excluded.sales, excluded.amount_minor)
          ), numbered as (
            insert into conversion_days as d (program_id, day, conversions)
            select t.program_id, t.day, t.conversions from touched t
            on conflict (program_id, day) do update set conversions = excluded.conversions
          ), saved as (
            insert into settings (key, value) values (${THROUGH_KEY}, ${now.toISOString()})
            on conflict (key) do update set value = excluded.value
          )
          select program_id, day::text from touched`,
    );
    if (touched.length === 0) return { days: 0, weeks: 0, from: from?.toISOString() ?? null };
    // The days' weeks, from their days as just written (same transaction).
    const [weeks] = await selectRows<{ weeks: number }>(
      tx,
      sql`with weeks as (
            select distinct program_id, date_trunc('week', day, 'UTC') as start
            from unnest(${arrayLiteral(touched.map((t) => t.program_id))}::text[],
              ${arrayLiteral(touched.map((t) => t.day))}::timestamptz[]) as t(program_id, day)
          ), summed as (
            insert into credit_partner_periods as p (program_id, days, start, partner_id, currency, leads, sales,
              amount_minor)
            select w.program_id, 7, w.start, d.partner_id, d.currency, sum(d.leads)::int, sum(d.sales)::int,
              sum(d.amount_minor)::bigint
            from weeks w
            join credit_partner_periods d on d.program_id = w.program_id and d.days = 1 and d.start >= w.start
              and d.start < w.start + interval '168 hours'
            group by 1, 2, 3, 4, 5
            on conflict (program_id, days, start, partner_id, currency) do update
            set leads = excluded.leads, sales = excluded.sales, amount_minor = excluded.amount_minor
            where (p.leads, p.sales, p.amount_minor) is distinct from (excluded.leads, excluded.sales, excluded.amount_minor)
          )
          select count(*)::int as weeks from weeks`,
    );
    return { days: touched.length, weeks: weeks?.weeks ?? 0, from: from?.toISOString() ?? null };
  });
}
