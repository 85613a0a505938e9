import { sql } from "drizzle-orm";
import { selectRows } from "../src/db/client.js";
import { rollUpClickHours } from "../src/domain/stats/click-hours.js";
import { performanceSeries, type SeriesQuery } from "../src/domain/stats/performance-series.js";
import { ManualClock } from "../src/lib/clock.js";
import { runScript, systemCtx } from "../test/helpers/seeded-db.js";
import { openVolumeDatabase, timed } from "./volume-database.js";

/**
 * The performance chart's clicks at volume, on PostgreSQL: 1.7 M clicks over 100 days in five programs, 2,000
 * partners, one of them (ptn_1) with a fifth of them (about 306,000 in the last 90 days, most in prg_big). Times the
 * portal's chart of ptn_1 (all programs, and prg_big alone) and the console's chart of the whole account over 30
 * and 90 days, in UTC, New York and India days (median of 5): with the hours rolled up (click_partner_hours,
 * click_hours) against every click counted one by one, as before (the roll-ups' ends removed for the run), and
 * checks both give the same series.
 *
 * Usage: DATABASE_URL=postgres://… tsx bench/partner-chart-bench.ts — keeps its database (BENCH_DB, default
 * h_charts_bench) for the next run, which skips the seeding; RESEED=1 seeds it again.
 */
const url = process.env.DATABASE_URL;
if (!url) throw new Error("DATABASE_URL is required");
const NAME = process.env.BENCH_DB ?? "h_charts_bench";
const NOW = new Date("2026-06-30T12:07:00Z");
const DAY_MS = 86_400_000;
const CLICKS = 1_700_000;

const seedScript = (start: string) => `
  set session_replication_role = replica;
  insert into programs (id, name, slug, type, status, currency, cookie_window_days, allowed_domains, created_at, updated_at)
    select p, p, p, 'affiliate', 'active', 'USD', 30, '{}', now(), now()
    from unnest(array['prg_big', 'prg_o1', 'prg_o2', 'prg_o3', 'prg_o4']) p;
  insert into partners (id, name, type, created_at, updated_at)
    select 'ptn_' || g, 'Partner ' || g, 'affiliate', now(), now() from generate_series(1, 2000) g;
  insert into clicks (id, program_id, partner_id, link_id, at, source)
    select 'clk_' || lpad(g::text, 12, '0'), case when g % 10 < 7 then 'prg_big' else 'prg_o' || (1 + g % 4) end,
      case when (g * 7919) % 5 = 0 then 'ptn_1' else 'ptn_' || (2 + (g * 104729) % 1999) end,
      null, a, 'redirect'
    from generate_series(1::bigint, ${CLICKS}) g,
      lateral (select timestamptz '${start}' + g * (interval '100 days' / ${CLICKS}) as a) t;
  set session_replication_role = origin;`;

const clicksOf = (series: Awaited<ReturnType<typeof performanceSeries>>) =>
  series.series.map((p) => `${p.bucket} ${p.clicks}`).join(",");

async function main() {
  const { database, fresh } = await openVolumeDatabase(url!, NAME, "clicks", 4);
  const clock = new ManualClock(NOW);
  const ctx = systemCtx(database, clock);
  if (fresh) {
    const started = performance.now();
    await runScript(database, seedScript(new Date(NOW.getTime() - 100 * DAY_MS).toISOString()));
    await runScript(database, "vacuum analyze");
    console.log(JSON.stringify({ seeded: `${Math.round((performance.now() - started) / 1000)} s` }));
  }
  // The first run counts every click (an upgraded installation's); a later one, the last hours again.
  await runScript(database, "truncate click_hours, click_partner_hours, click_partner_days");
  await runScript(database, "delete from settings where key like 'click_%'");
  for (const at of [NOW, new Date(NOW.getTime() + 5 * 60_000), new Date(NOW.getTime() + 60 * 60_000)]) {
    clock.set(at);
    const started = performance.now();
    const rolled = await rollUpClickHours({ db: database.db, clock });
    console.log(JSON.stringify({ rollUpClickHours: rolled, ms: Math.round(performance.now() - started) }));
  }
  for (const table of ["click_hours", "click_partner_hours", "click_partner_days"])
    await runScript(database, `vacuum analyze ${table}`);
  const [sizes] = await selectRows<Record<string, string | number>>(
    database.db,
    sql.raw(`select (select count(*)::int from click_partner_hours) as partner_hour_rows,
      pg_size_pretty(pg_total_relation_size('click_partner_hours')) as partner_hours_size,
      (select count(*)::int from clicks where partner_id = 'ptn_1'
        and at >= '${new Date(NOW.getTime() - 90 * DAY_MS).toISOString()}') as ptn_1_clicks_90_days`),
  );
  console.log(JSON.stringify(sizes));
  const saved = await selectRows<{ key: string; value: string }>(
    database.db,
    sql.raw("select key, value from settings where key in ('click_hours_through', 'click_partner_hours_through')"),
  );
  const charts: [string, Partial<SeriesQuery>][] = [
    ["portal, ptn_1, all programs", { partnerId: "ptn_1" }],
    ["portal, ptn_1 in prg_big", { partnerId: "ptn_1", programId: "prg_big" }],
    ["console, whole account", {}],
  ];
  for (const [name, who] of charts)
    for (const days of [30, 90])
      for (const timeZone of [undefined, "America/New_York", "Asia/Kolkata"]) {
        const query = { ...who, interval: "day", timeZone, from: new Date(NOW.getTime() - days * DAY_MS), to: NOW };
        const rolled = await timed(() => performanceSeries(ctx, query as SeriesQuery));
        await runScript(
          database,
          "delete from settings where key in ('click_hours_through', 'click_partner_hours_through')",
        );
        const counted = await timed(() => performanceSeries(ctx, query as SeriesQuery));
        for (const s of saved)
          await runScript(database, `insert into settings (key, value) values ('${s.key}', '${s.value}')`);
        console.log(
          JSON.stringify({
            chart: name,
            days,
            timeZone: timeZone ?? "UTC",
            clicks: rolled.result.totals.clicks,
            counted_one_by_one_ms: counted.ms,
            rolled_up_ms: rolled.ms,
            equal: clicksOf(rolled.result) === clicksOf(counted.result),
          }),
        );
      }
  await database.close();
}

await main();
