import { isDeepStrictEqual } from "node:util";
import { sql } from "drizzle-orm";
import { selectRows } from "../src/db/client.js";
import { rollUpClickHours } from "../src/domain/stats/click-hours.js";
import { rollUpCreditDays } from "../src/domain/stats/credit-days.js";
import { creditsByPartner } from "../src/domain/stats/credits-by-partner.js";
import { partnerRanking } from "../src/domain/stats/partner-ranking.js";
import { ManualClock } from "../src/lib/clock.js";
import { runScript, systemCtx } from "../test/helpers/seeded-db.js";
import { creditsOfPartners, straightforwardCredits } from "../test/helpers/straightforward-credits.js";
import { openVolumeDatabase, timed } from "./volume-database.js";

/**
 * Top partners at volume, on PostgreSQL: 560,000 conversions received over 100 days, 336,000 of them (300,000 in the last 90 days) in one program
 * (prg_big) among nine others, 2 M clicks, 2,000 partners (three with a tenth each), a fifth of the conversions split
 * between two partners, a quarter leads, a twentieth refunds, a tenth in EUR, 3 % recorded up to a month after they
 * happened. Times partnerRanking over 7, 30 and 90 days (median of 5) and the conversions half alone, against the
 * straightforward read of the program's conversions and their credits (whose answer it must equal).
 *
 * Usage: DATABASE_URL=postgres://… tsx bench/partner-ranking-bench.ts — keeps its database (BENCH_DB, default
 * h_ranking_fast_bench) for the next run, which skips the seeding; RESEED=1 seeds it again.
 */
const url = process.env.DATABASE_URL;
if (!url) throw new Error("DATABASE_URL is required");
const NAME = process.env.BENCH_DB ?? "h_ranking_fast_bench";
const NOW = new Date("2026-06-30T12:00:00Z");
const DAY_MS = 86_400_000;
const CONVERSIONS = 560_000;
const CLICKS = 2_000_000;

/** Time-sorted ids as newId makes them: the prefix, ten base32 digits of the epoch milliseconds, a unique tail. */
const ID_FUNCTION = `
  create or replace function pg_temp.tid(prefix text, t timestamptz, n bigint) returns text language sql immutable as $$
    select prefix || '_' || string_agg(substr('0123456789abcdefghjkmnpqrstvwxyz',
      ((m.ms / (32::bigint ^ (9 - i))::bigint) % 32)::int + 1, 1), '' order by i) || lpad(to_hex(n), 16, '0')
    from generate_series(0, 9) i, (select (extract(epoch from t) * 1000)::bigint as ms) m
  $$;`;

const seedScript = (start: string) => `
  ${ID_FUNCTION}
  set session_replication_role = replica;
  insert into programs (id, name, slug, type, status, currency, cookie_window_days, allowed_domains, created_at, updated_at)
    select p, p, p, 'affiliate', 'active', case when p = 'prg_o3' then 'EUR' else 'USD' end, 30, '{}', now(), now()
    from unnest(array['prg_big', 'prg_o1', 'prg_o2', 'prg_o3', 'prg_o4']) p;
  insert into partners (id, name, type, created_at, updated_at)
    select 'ptn_' || g, 'Partner ' || g, 'affiliate', now(), now() from generate_series(1, 2000) g;
  insert into enrollments (id, program_id, partner_id, status, source, applied_at, status_changed_at, created_at, updated_at)
    select 'enr_' || p || '_' || g, p, 'ptn_' || g, 'approved', 'manual', now(), now(), now(), now()
    from generate_series(1, 2000) g, unnest(array['prg_big', 'prg_o1', 'prg_o2', 'prg_o3', 'prg_o4']) p;
  create temporary table seed as
    select g, pg_temp.tid('cnv', r, g) as id,
      case when g % 10 < 6 then 'prg_big' else 'prg_o' || (1 + g % 4) end as program_id,
      case when g % 20 = 0 then 'refund' when g % 20 <= 5 then 'lead' else 'sale' end as kind,
      r as received_at,
      -- Most a few minutes before they arrive; 3 % up to a month before.
      case when g % 100 < 3 then r - (g % 30) * interval '1 day' - (g % 1440) * interval '1 minute'
        else r - (g % 7) * interval '1 minute' end as occurred_at,
      case when (g / 10) % 10 = 3 then 'EUR' else 'USD' end as currency,
      1000 + (g * 37) % 9000 as amount,
      case when (g * 7919) % 100 < 30 then 'ptn_' || (1 + (g * 7919) % 100 / 10)
        else 'ptn_' || (4 + (g * 104729) % 1997) end as partner_id,
      case when (g * 31) % 5 = 0 then 'ptn_' || (4 + (g * 13) % 1997) end as second_partner_id
    from generate_series(1::bigint, ${CONVERSIONS}) g,
      lateral (select timestamptz '${start}' + g * (interval '100 days' / ${CONVERSIONS}) as r) t;
  insert into conversions (id, program_id, kind, idempotency_key, amount_minor, currency, attributed, decision,
    occurred_at, received_at)
    select id, program_id, kind, kind || '-' || g, case when kind <> 'lead' then amount end,
      case when kind <> 'lead' then currency end, true,
      jsonb_build_object('summary', 'credited by the last click within 30 days of ' || partner_id,
        'touchpoints', jsonb_build_array(jsonb_build_object('partnerId', partner_id, 'clickId', 'clk_' || g,
          'at', occurred_at, 'eligible', true, 'weightBps', 10000)), 'rule', 'last_click', 'windowDays', 30),
      occurred_at, received_at
    from seed order by g;
  insert into conversion_credits (conversion_id, program_id, partner_id, enrollment_id, weight_bps, amount_minor, occurred_at)
    select id, program_id, p.partner_id, 'enr_' || program_id || '_' || substr(p.partner_id, 5), p.weight,
      case when kind = 'lead' then null when kind = 'refund' then -(amount * p.weight / 10000)
        else amount * p.weight / 10000 end, occurred_at
    from seed, lateral (
      select partner_id, case when second_partner_id is null then 10000 else 5000 end as weight
      union all select second_partner_id, 5000 where second_partner_id is not null
    ) p
    order by g
    on conflict do nothing;
  insert into clicks (id, program_id, partner_id, link_id, at, source)
    select pg_temp.tid('clk', a, g), case when g % 10 < 7 then 'prg_big' else 'prg_o' || (1 + g % 4) end,
      case when (g * 7919) % 100 < 30 then 'ptn_' || (1 + (g * 7919) % 100 / 10) else 'ptn_' || (4 + (g * 104729) % 1997) end,
      null, a, 'redirect'
    from generate_series(1::bigint, ${CLICKS}) g,
      lateral (select timestamptz '${start}' + g * (interval '100 days' / ${CLICKS}) as a) t;
  set session_replication_role = origin;`;

async function main() {
  const { database, fresh } = await openVolumeDatabase(url!, NAME, "conversions", 2);
  const clock = new ManualClock(NOW);
  const ctx = systemCtx(database, clock);
  if (fresh) {
    const started = performance.now();
    await runScript(database, seedScript(new Date(NOW.getTime() - 100 * DAY_MS).toISOString()));
    console.log(JSON.stringify({ seeded: `${Math.round((performance.now() - started) / 1000)} s` }));
    await rollUpClickHours({ db: database.db, clock });
    await runScript(database, "vacuum analyze");
  }
  // The first run counts every conversion; a later one, the last hour's arrivals and the days they happened on.
  for (const at of [NOW, new Date(NOW.getTime() + 5 * 60_000)]) {
    clock.set(at);
    const started = performance.now();
    const rolled = await rollUpCreditDays({ db: database.db, clock });
    console.log(JSON.stringify({ rollUpCreditDays: rolled, ms: Math.round(performance.now() - started) }));
  }
  for (const table of ["credit_partner_periods", "conversion_days"])
    await runScript(database, `vacuum analyze ${table}`);
  clock.set(NOW);
  const big = await selectRows<{ conversions: number; credits: number }>(
    database.db,
    sql.raw(`select (select count(*)::int from conversions where program_id = 'prg_big'
        and occurred_at >= '${new Date(NOW.getTime() - 90 * DAY_MS).toISOString()}') as conversions,
      (select count(*)::int from conversion_credits) as credits`),
  );
  console.log(JSON.stringify({ prg_big_conversions_90_days: big[0]?.conversions, all_credits: big[0]?.credits }));
  for (const days of [7, 30, 90]) {
    const query = { programId: "prg_big", from: new Date(NOW.getTime() - days * DAY_MS), to: NOW };
    const ranking = await timed(() => partnerRanking(ctx, query));
    const credits = await timed(() => creditsByPartner(database.db, query));
    const reference = await timed(() => straightforwardCredits(database.db, query));
    console.log(
      JSON.stringify({
        days,
        partnerRanking_ms: ranking.ms,
        conversions_half_ms: credits.ms,
        conversions_read_one_by_one_ms: reference.ms,
        equal: isDeepStrictEqual(creditsOfPartners(credits.result), reference.result),
      }),
    );
  }
  await database.close();
}

await main();
