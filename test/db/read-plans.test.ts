import { afterAll, beforeAll, expect, test } from "vitest";
import type { Database } from "../../src/db/client.js";
import { evaluateBonuses } from "../../src/domain/commissions/evaluate-bonuses.js";
import { ledgerTotals } from "../../src/domain/commissions/ledger-totals.js";
import { listCommissions } from "../../src/domain/commissions/list-commissions.js";
import { releaseHoldings } from "../../src/domain/commissions/release-holdings.js";
import type { Ctx } from "../../src/domain/context.js";
import { listConversions } from "../../src/domain/conversions/list-conversions.js";
import { listReviewQueue } from "../../src/domain/fraud/list-review-queue.js";
import { listSubmissions } from "../../src/domain/intake/list-submissions.js";
import { listLinkPage, listLinks } from "../../src/domain/links/list-links.js";
import { runPayouts } from "../../src/domain/payouts/run-payouts.js";
import { listMyConversions } from "../../src/domain/portal/list-my-conversions.js";
import { integrationStatus } from "../../src/domain/programs/integration-status.js";
import { rollUpClickHours } from "../../src/domain/stats/click-hours.js";
import { countClicks } from "../../src/domain/stats/count-clicks.js";
import { couponCounts } from "../../src/domain/stats/coupon-counts.js";
import { rollUpCreditDays } from "../../src/domain/stats/credit-days.js";
import { linkCounts } from "../../src/domain/stats/link-counts.js";
import { listClicks } from "../../src/domain/stats/list-clicks.js";
import { partnerBreakdown } from "../../src/domain/stats/partner-breakdown.js";
import { partnerRanking } from "../../src/domain/stats/partner-ranking.js";
import { performanceSeries } from "../../src/domain/stats/performance-series.js";
import { ManualClock } from "../../src/lib/clock.js";
import { leadingColumns, rowsOf, seqScansOf, unkeyedIndexScans } from "../helpers/plans.js";
import { runScript, systemCtx } from "../helpers/seeded-db.js";
import { createTestDb } from "../helpers/test-db.js";

/**
 * The console's and the portal's partner-scoped reads must stay index ranges as the tables grow: each use case
 * runs against a seeded, analyzed database, its statements are captured as the driver receives them, and their
 * plans (with the same parameters) may neither scan a large table nor walk an index without its first column.
 */
const LARGE = [
  "links",
  "clicks",
  "commission_entries",
  "commission_daily_totals",
  "conversions",
  "conversion_credits",
  "fraud_reviews",
  "click_hours",
  "click_partner_days",
  "click_partner_hours",
  "conversion_intake",
  "credit_partner_periods",
  "conversion_days",
];
const NOW = new Date("2026-06-30T00:00:00Z");

let database: Database;
let ctx: Ctx;
let leading: Map<string, string>;

beforeAll(async () => {
  database = await createTestDb();
  ctx = systemCtx(database, new ManualClock(NOW));
  // Two programs, 200 partners, one of them (ptn_0) with a fifth of everything; foreign keys are not what this
  // test is about, so the rows go in as a replica would apply them.
  await seed(`
    set session_replication_role = replica;
    insert into programs (id, name, slug, type, status, currency, cookie_window_days, allowed_domains, created_at,
      updated_at)
      select p, p, p, 'affiliate', 'active', 'USD', 30, '{}', now(), now() from unnest(array['prg_big', 'prg_small']) p;
    insert into partners (id, name, type, created_at, updated_at)
      select 'ptn_' || g, 'Partner ' || g, 'affiliate', now(), now() from generate_series(0, 199) g;
    insert into links (id, program_id, partner_id, enrollment_id, slug, created_at, updated_at)
      values ('lnk_quiet', 'prg_big', 'ptn_0', 'enr_0', 'quiet', now(), now());
    insert into links (id, program_id, partner_id, enrollment_id, slug, created_at, updated_at)
      select 'lnk_' || g, case when g % 10 = 0 then 'prg_small' else 'prg_big' end, 'ptn_' || g % 200,
        'enr_' || g % 200, 'link-' || g, now(), now()
      from generate_series(1, 20000) g;
    insert into clicks (id, program_id, partner_id, link_id, at, source)
      select 'clk_' || lpad(g::text, 8, '0'), case when g % 10 = 0 then 'prg_small' else 'prg_big' end,
        'ptn_' || case when g % 5 = 0 then 0 else g % 200 end, case when g = 7 then 'lnk_quiet' end,
        timestamptz '2026-05-01' + (g * interval '1 minute'), 'redirect'
      from generate_series(1, 60000) g;
    insert into conversions (id, program_id, kind, idempotency_key, attributed, decision, occurred_at, received_at)
      select 'cnv_' || lpad(g::text, 8, '0'), case when g % 10 = 0 then 'prg_small' else 'prg_big' end, 'sale',
        'order-' || g, true, '{}', timestamptz '2026-05-01' + (g * interval '3 minutes'),
        timestamptz '2026-05-01' + (g * interval '3 minutes')
      from generate_series(1, 20000) g;
    insert into conversion_credits (conversion_id, program_id, partner_id, weight_bps, amount_minor, occurred_at)
      select id, program_id, 'ptn_' || case when g % 5 = 0 then 0 else g % 200 end, 10000, 4900, occurred_at
      from conversions, lateral (select substr(id, 5)::int as g) n;
    -- A partner whose only sale is months old, in the middle of everyone else's.
    insert into conversion_credits (conversion_id, program_id, partner_id, weight_bps, amount_minor, occurred_at)
      select id, program_id, 'ptn_quiet', 10000, 4900, occurred_at from conversions where id = 'cnv_00000003';
    insert into commission_entries (id, program_id, partner_id, kind, amount_minor, currency, status, explanation,
        dedupe_key, occurred_at, created_at, status_changed_at, conversion_id)
      select 'com_' || lpad(g::text, 8, '0'), case when g % 10 = 0 then 'prg_small' else 'prg_big' end,
        'ptn_' || case when g % 5 = 0 then 0 else g % 200 end, 'commission', 490, 'USD',
        case when g % 50 = 0 then 'held' else (array['pending', 'approved', 'paid'])[1 + g % 3] end, '{}', 'sale:' || g,
        timestamptz '2026-05-01' + (g * interval '3 minutes'), now(), now(), 'cnv_' || lpad(g::text, 8, '0')
      from generate_series(1, 20000) g;
    insert into commission_final_totals (program_id, partner_id, currency, paid_minor, rejected_minor)
      select program_id, partner_id, currency, sum(amount_minor), 0 from commission_entries where status = 'paid'
      group by 1, 2, 3;
    insert into commission_daily_totals (program_id, partner_id, day, sales_count, revenue_minor, commission_minor)
      select p, 'ptn_' || n, date '2026-05-01' + d, 3, 14700, 1470
      from unnest(array['prg_big', 'prg_small']) p, generate_series(0, 199) n, generate_series(0, 59) d;
    insert into commission_monthly_totals (program_id, partner_id, month, sales_count, revenue_minor, commission_minor)
      select p, 'ptn_' || n, m, 90, 441000, 44100
      from unnest(array['prg_big', 'prg_small']) p, generate_series(0, 199) n,
        unnest(array[date '2026-05-01', date '2026-06-01']) m;
    insert into fraud_reviews (conversion_id, program_id, partner_id, action, status, rules, opened_at, updated_at)
      select 'cnv_' || lpad((g * 5)::text, 8, '0'), case when g % 10 = 0 then 'prg_small' else 'prg_big' end,
        'ptn_' || g % 200, 'hold', case when g % 8 = 0 then 'open' else 'resolved' end, '{velocity}',
        timestamptz '2026-05-01' + (g * interval '15 minutes'), now()
      from generate_series(1, 4000) g;
    -- Other programs' rolled-up hours: a quarter of a year of 40 programs.
    insert into click_hours (program_id, hour, clicks)
      select 'prg_other_' || p, timestamptz '2026-04-01' + (h * interval '1 hour'), 10
      from generate_series(1, 40) p, generate_series(0, 2199) h;
    -- And their partners' rolled-up hours: a quarter of a year of 20 partners in each.
    insert into click_partner_hours (partner_id, hour, program_id, clicks)
      select 'ptn_other_' || n, timestamptz '2026-04-01' + (h * interval '1 hour'), 'prg_other_' || p, 1
      from generate_series(1, 40) p, generate_series(0, 2199) h, generate_series(1, 20) n where (h + n + p) % 4 = 0;
    -- And their partners' rolled-up days: a quarter of a year of 20 partners in each.
    insert into click_partner_days (program_id, day, partner_id, link_id, clicks)
      select 'prg_other_' || p, timestamptz '2026-04-01' + (d * interval '1 day'), 'ptn_other_' || n, '', 10
      from generate_series(1, 40) p, generate_series(0, 89) d, generate_series(1, 20) n;
    -- And their credited conversions per partner and day, and their number a day.
    insert into credit_partner_periods (program_id, days, start, partner_id, currency, leads, sales, amount_minor)
      select 'prg_other_' || p, 1, timestamptz '2026-04-01' + (d * interval '1 day'), 'ptn_other_' || n, 'USD', 1, 2, 9800
      from generate_series(1, 40) p, generate_series(0, 89) d, generate_series(1, 20) n;
    insert into conversion_days (program_id, day, conversions)
      select 'prg_other_' || p, timestamptz '2026-04-01' + (d * interval '1 day'), 60
      from generate_series(1, 40) p, generate_series(0, 89) d;
    -- The async intake as a broken integration leaves it: a month of refused sales, mostly the big program's, and
    -- a few waiting.
    insert into conversion_intake (id, program_id, kind, idempotency_key, input, actor, received_at, status, refusal,
        processed_at)
      select 'cnv_i' || lpad(g::text, 8, '0'), case when g % 10 = 0 then 'prg_small' else 'prg_big' end, 'sale',
        'order-i' || g, '{}', '{}', timestamptz '2026-06-01' + (g * interval '2 minutes'),
        case when g % 1000 = 0 then 'queued' else 'refused' end,
        case when g % 1000 = 0 then null else '{"code":"conflict","message":"differs"}'::jsonb end,
        case when g % 1000 = 0 then null else timestamptz '2026-06-01' + (g * interval '2 minutes') end
      from generate_series(1, 20000) g;
    set session_replication_role = origin;
  `);
  for (const table of LARGE) await rowsOf(database, `vacuum analyze ${table}`);
  leading = await leadingColumns(database, LARGE);
});
afterAll(async () => database?.close());

const seed = (script: string) => runScript(database, script);

/** The statements `run` sends, as the driver receives them (text and parameters), in transactions too. */
async function statementsOf(run: () => Promise<unknown>): Promise<{ text: string; values: unknown[] }[]> {
  type Query = (...args: unknown[]) => unknown;
  const seen: { text: string; values: unknown[] }[] = [];
  const recording = (query: Query): Query =>
    function (this: unknown, ...args: unknown[]) {
      const [first, second] = args;
      const config = typeof first === "string" ? { text: first, values: second } : (first as { text: string });
      const values = (config as { values?: unknown[] }).values ?? (Array.isArray(second) ? second : []);
      seen.push({ text: config.text, values });
      return query.apply(this, args);
    };
  const restores: (() => void)[] = [];
  const wrap = <T>(target: T, key: keyof T, wrapper: (original: Query) => Query) => {
    const original = target[key] as Query;
    target[key] = wrapper(original) as T[keyof T];
    restores.push(() => {
      target[key] = original as T[keyof T];
    });
  };
  if (database.pglite) {
    wrap(database.pglite, "query", recording);
    // A transaction's statements go through the handle it is given.
    wrap(
      database.pglite,
      "transaction",
      (transaction) =>
        function (this: unknown, callback: unknown, ...rest: unknown[]) {
          const recorded = (tx: { query: Query }) => {
            tx.query = recording(tx.query);
            return (callback as (tx: unknown) => unknown)(tx);
          };
          return transaction.call(this, recorded, ...rest);
        } as Query,
    );
  } else {
    const pool = database.pool!;
    wrap(pool, "query", recording);
    // A transaction's statements go through a connection of its own (pool.query's callback form records itself).
    wrap(
      pool,
      "connect",
      (connect) =>
        function (this: unknown, ...args: unknown[]) {
          if (typeof args[0] === "function") return connect.apply(this, args);
          return (connect.apply(this, args) as Promise<{ query: Query }>).then((client) => {
            wrap(client, "query", recording);
            return client;
          });
        },
    );
  }
  try {
    await run();
  } finally {
    for (const restore of restores.reverse()) restore();
  }
  return seen;
}

/** The plans of what `run` sends, each explained with its own parameters. */
async function plansOf(run: () => Promise<unknown>): Promise<string[]> {
  const plans: string[] = [];
  for (const { text, values } of await statementsOf(run)) {
    if (!/^\s*(select|update|insert|with)/i.test(text)) continue;
    const rows = await rowsOf<Record<string, string>>(database, `explain ${text}`, values);
    plans.push(rows.map((r) => r["QUERY PLAN"]).join("\n"));
  }
  expect(plans.length).toBeGreaterThan(0);
  return plans;
}

function expectKeyed(plans: string[]) {
  for (const plan of plans) {
    expect(seqScansOf(plan, LARGE), plan).toEqual([]);
    expect(unkeyedIndexScans(plan, leading), plan).toEqual([]);
  }
}

const lastMonth = { from: new Date("2026-06-01T00:00:00Z"), to: NOW, interval: "day" as const };

test("a partner's performance in one program counts its clicks from the index alone", async () => {
  const plans = await plansOf(() => performanceSeries(ctx, { ...lastMonth, partnerId: "ptn_0", programId: "prg_big" }));
  expectKeyed(plans);
  expect(plans.join("\n")).toMatch(/Index Only Scan using clicks_partner_at_program_idx/);
});

test("a program's performance is read from its own clicks and conversions, whatever the others hold", async () => {
  expectKeyed(await plansOf(() => performanceSeries(ctx, { ...lastMonth, programId: "prg_small" })));
});

test("a partner's performance across programs is a range of its own clicks", async () => {
  expectKeyed(await plansOf(() => performanceSeries(ctx, { ...lastMonth, partnerId: "ptn_7" })));
});

test("a partner's earnings across programs (the portal's default) are keyed by the partner", async () => {
  expectKeyed(await plansOf(() => ledgerTotals(ctx, { partnerId: "ptn_7" })));
  expectKeyed(await plansOf(() => listCommissions(ctx, { partnerId: "ptn_7", limit: 50 })));
});

test("the commission summary sums only the live entries of a partner or a program, through the live index", async () => {
  const plans = await plansOf(() => ledgerTotals(ctx, { programId: "prg_big", partnerId: "ptn_0" }));
  expectKeyed(plans);
  expect(plans.join("\n")).toMatch(/commission_entries_live_idx/);
  expectKeyed(await plansOf(() => ledgerTotals(ctx, { programId: "prg_small" })));
});

test("the fraud review queue is read newest first up to its page, for all programs or one", async () => {
  expectKeyed(await plansOf(() => listReviewQueue(ctx, { limit: 200 })));
  expectKeyed(await plansOf(() => listReviewQueue(ctx, { programId: "prg_small", limit: 200 })));
});

test("the clicks list reads a program's, a partner's or a link's clicks in time order", async () => {
  expectKeyed(await plansOf(() => listClicks(ctx, { programId: "prg_small", limit: 100 })));
  expectKeyed(await plansOf(() => listClicks(ctx, { partnerId: "ptn_7", limit: 100 })));
  // A link with one click, early in the table's history: the page must not walk the program to find it.
  expectKeyed(await plansOf(() => listClicks(ctx, { programId: "prg_big", linkId: "lnk_quiet", limit: 100 })));
});

test("the holding release reads only the pending entries that are due, program by program", async () => {
  // Run at a time before any entry is due, so it changes nothing: its plan is what matters.
  const plans = await plansOf(() =>
    releaseHoldings({ db: database.db, clock: new ManualClock("2026-01-01T00:00:00Z") }),
  );
  expectKeyed(plans);
  expect(plans.join("\n")).toMatch(/commission_entries_status_idx/);
});

// Paid and rejected entries, most of a ledger, are not in the status index (no entry to write as they reach those
// statuses): its readers ask for entries still moving (the holding release above), so they still read it.
test("a payout run's balances and a program's totals read the status index, which holds only moving entries", async () => {
  const [index] = await rowsOf<{ predicate: string | null }>(
    database,
    `select pg_get_expr(indpred, indrelid) as predicate from pg_index
     where indexrelid = 'commission_entries_status_idx'::regclass`,
  );
  expect(index?.predicate).toMatch(/'pending'.*'approved'.*'held'/);
  // Nothing is payable yet: the run reads the balances and pays nothing.
  const early: Ctx = { ...ctx, clock: new ManualClock("2026-01-01T00:00:00Z") };
  for (const reader of [() => runPayouts(early, {}), () => ledgerTotals(ctx, { programId: "prg_small" })]) {
    const plans = await plansOf(reader);
    expectKeyed(plans);
    expect(plans.join("\n")).toMatch(/commission_entries_status_idx/);
  }
});

// The monthly totals hold one row per partner and month: reading them is the point, not a range of them.
test("the monthly bonus check reads this month's totals, not a month of daily rows of every program", async () => {
  expectKeyed(await plansOf(() => evaluateBonuses({ db: database.db, clock: new ManualClock(NOW) })));
});

test("a partner's conversions in the portal are a range of its own credits, even when its last sale is old", async () => {
  const partner: Ctx = { ...ctx, actor: { type: "partner", id: "pus_1", partnerId: "ptn_quiet", label: "quiet" } };
  const plans = await plansOf(() => listMyConversions(partner, { limit: 50 }));
  expectKeyed(plans);
  expect(plans.join("\n")).toMatch(/conversion_credits_partner_idx/);
});

test("the console's conversions of a small program or one partner are ranges of their own rows", async () => {
  expectKeyed(await plansOf(() => listConversions(ctx, { programId: "prg_small", limit: 50 })));
  expectKeyed(await plansOf(() => listConversions(ctx, { programId: "prg_small", attributed: false, limit: 50 })));
  expectKeyed(await plansOf(() => listConversions(ctx, { partnerId: "ptn_quiet", limit: 50 })));
  const range = { from: "2026-05-10T00:00:00.000Z", before: "2026-05-20T00:00:00.000Z", limit: 50 };
  expectKeyed(await plansOf(() => listConversions(ctx, { programId: "prg_big", ...range })));
  expectKeyed(await plansOf(() => listConversions(ctx, { partnerId: "ptn_0", ...range })));
});

test("finding a big program's conversions by an order or a customer id is a key lookup", async () => {
  const plans = await plansOf(() => listConversions(ctx, { programId: "prg_big", q: "order-123", limit: 25 }));
  expectKeyed(plans);
  // Both ids by their index: the unique key (program, kind, id) and the customer's conversions.
  expect(plans[0]).toMatch(/Index Scan on conversions_idempotency_key/);
  expect(plans[0]).toMatch(/Index Scan on conversions_customer_occurred_idx/);
});

test("the hourly click rollup counts each program's clicks from its own range, and each partner's days", async () => {
  // The first run counts every click once, per partner and hour and per partner and day: the planner may well read
  // the whole table for each.
  const first = await plansOf(() => rollUpClickHours({ db: database.db, clock: new ManualClock(NOW) }));
  const everyClick = /Insert on click_partner_(days|hours)/;
  expect(first.filter((plan) => everyClick.test(plan))).toHaveLength(2);
  expectKeyed(first.filter((plan) => !everyClick.test(plan)));
  // Just after midnight a run recounts the hours since the last and the day that ended (the hours it recounts fall in
  // it): a range per program.
  const later = await plansOf(() =>
    rollUpClickHours({ db: database.db, clock: new ManualClock(new Date(NOW.getTime() + 10 * 60_000)) }),
  );
  expect(later.join("\n")).toMatch(/Insert on click_partner_days/);
  expect(later.join("\n")).toMatch(/Insert on click_partner_hours/);
  expectKeyed(later);
  await rowsOf(database, "vacuum analyze click_partner_days");
});

test("a chart's ended hours are read from the roll-ups: a partner's range of click_partner_hours, each program's of click_hours", async () => {
  await rollUpClickHours({ db: database.db, clock: new ManualClock(NOW) });
  for (const table of ["click_hours", "click_partner_hours"]) await rowsOf(database, `vacuum analyze ${table}`);
  // Partial hours at both ends, counted from the clicks; the whole hours between, from the roll-ups.
  const window = {
    from: new Date("2026-05-10T00:30:00Z"),
    to: new Date("2026-06-05T12:30:00Z"),
    interval: "day" as const,
  };
  for (const partner of [
    { partnerId: "ptn_0" },
    { partnerId: "ptn_0", programId: "prg_big" },
    { partnerId: "ptn_7" },
  ]) {
    // In India a local midnight falls within a UTC hour: those hours are counted, each a range of the partner's clicks.
    for (const timeZone of [undefined, "America/New_York", "Asia/Kolkata"]) {
      const plans = await plansOf(() => performanceSeries(ctx, { ...window, ...partner, timeZone }));
      expectKeyed(plans);
      expect(plans.join("\n"), JSON.stringify({ partner, timeZone })).toMatch(
        /Scan (using|on) click_partner_hours_partner_id_hour_program_id_pk/,
      );
    }
  }
  for (const timeZone of [undefined, "Asia/Kolkata"]) {
    // The account's conversions of the month are most of them: only its clicks are the point here.
    const account = (await plansOf(() => performanceSeries(ctx, { ...window, timeZone }))).filter((plan) =>
      /click/.test(plan),
    );
    expect(account.length).toBeGreaterThanOrEqual(3);
    expectKeyed(account);
    expect(account.join("\n")).toMatch(/click_hours_program_id_hour_pk/);
  }
});

test("the clicks list's total reads a program's ended hours from click_hours, a partner's or link's clicks from their range", async () => {
  await rollUpClickHours({ db: database.db, clock: new ManualClock(NOW) });
  await rowsOf(database, "analyze click_hours");
  // Partial hours at both ends, counted from the program's clicks; the whole hours between, from click_hours.
  const range = { from: "2026-05-10T00:30:00.000Z", before: "2026-06-05T12:30:00.000Z" };
  const program = await plansOf(() => countClicks(ctx, { programId: "prg_small", ...range }));
  expectKeyed(program);
  expect(program.join("\n")).toMatch(/click_hours_program_id_hour_pk/);
  expectKeyed(await plansOf(() => countClicks(ctx, { programId: "prg_big" })));
  const partner = await plansOf(() => countClicks(ctx, { partnerId: "ptn_0", ...range }));
  expectKeyed(partner);
  expect(partner.join("\n")).toMatch(/Index Only Scan using clicks_partner_at_program_idx/);
  expectKeyed(await plansOf(() => countClicks(ctx, { programId: "prg_big", partnerId: "ptn_0" })));
  expectKeyed(await plansOf(() => countClicks(ctx, { programId: "prg_big", linkId: "lnk_quiet" })));
});

test("a partner's or a link's total reads the partner's ended days from click_partner_days, the rest from its range", async () => {
  await rollUpClickHours({ db: database.db, clock: new ManualClock(NOW) });
  await rowsOf(database, "vacuum analyze click_partner_days");
  const range = { from: "2026-05-10T00:30:00.000Z", before: "2026-06-05T12:30:00.000Z" };
  for (const query of [
    { partnerId: "ptn_0" },
    { partnerId: "ptn_0", ...range },
    { programId: "prg_big", partnerId: "ptn_0", ...range },
    { linkId: "lnk_quiet" },
    { linkId: "lnk_7", ...range },
  ]) {
    const plans = await plansOf(() => countClicks(ctx, query));
    expectKeyed(plans);
    expect(plans.join("\n"), JSON.stringify(query)).toMatch(/Scan (using|on) click_partner_days_partner_idx/);
  }
});

test("a partner's links in the portal are read through the partner", async () => {
  const partner: Ctx = { ...ctx, actor: { type: "partner", id: "pus_1", partnerId: "ptn_7", label: "seven" } };
  expectKeyed(await plansOf(() => listLinks(partner, {})));
});

test("the console's links of a small program or one partner are pages of their own rows, newest first", async () => {
  const small = await plansOf(() => listLinkPage(ctx, { programId: "prg_small", limit: 100 }));
  expectKeyed(small);
  expect(small.join("\n")).toMatch(/links_program_id_idx/);
  expectKeyed(await plansOf(() => listLinkPage(ctx, { programId: "prg_small", limit: 100, cursor: "lnk_5000" })));
  expectKeyed(await plansOf(() => listLinkPage(ctx, { partnerId: "ptn_7", limit: 100 })));
});

// A common status is found soon walking the ledger backwards; a rare one (held, for review) is what needs the index.
test("the console's held commissions are read newest first through the status, in a program or all", async () => {
  expectKeyed(await plansOf(() => listCommissions(ctx, { status: "held", limit: 50 })));
  expectKeyed(await plansOf(() => listCommissions(ctx, { programId: "prg_big", status: "held", limit: 50 })));
});

// Ordered by id, a date range early in the ledger walked the primary key backwards past every newer entry.
test("the console's commissions filtered by date are a page of each program's or partner's range, newest first", async () => {
  const early = { from: "2026-05-02T00:00:00.000Z", to: "2026-05-05T00:00:00.000Z", limit: 50 };
  const filters = [
    {},
    { programId: "prg_big" },
    { programId: "prg_small" },
    { partnerId: "ptn_0" },
    { partnerId: "ptn_7" },
    { programId: "prg_small", partnerId: "ptn_0" },
    { status: "held" as const },
    { programId: "prg_big", kind: "commission" as const },
  ];
  for (const filter of filters) {
    expectKeyed(await plansOf(() => listCommissions(ctx, { ...filter, ...early })));
    expectKeyed(await plansOf(() => listCommissions(ctx, { ...filter, to: early.to, limit: 50 })));
  }
  // The next page: the cursor is a bound of the same range.
  const first = await listCommissions(ctx, { programId: "prg_small", ...early });
  expect(first.nextCursor).not.toBeNull();
  expectKeyed(
    await plansOf(() => listCommissions(ctx, { programId: "prg_small", ...early, cursor: first.nextCursor! })),
  );
  expectKeyed(await plansOf(() => listCommissions(ctx, { ...early, cursor: first.nextCursor! })));
});

// Walking a program's dates back from a range's end, the planner expects a status to turn up as often as anywhere;
// pending entries are the last weeks', so a range before them read every entry of the program (26–51 ms at 210,000).
test("the console's commissions of an open status within dates are a range of that status, in a program or all", async () => {
  const ranges = [
    { to: "2026-05-05T00:00:00.000Z" },
    { from: "2026-05-20T00:00:00.000Z" },
    { from: "2026-05-02T00:00:00.000Z", to: "2026-05-05T00:00:00.000Z" },
  ];
  for (const status of ["pending", "approved", "held"] as const) {
    for (const range of ranges) {
      for (const program of [{ programId: "prg_big" }, { programId: "prg_small" }, {}]) {
        const plans = await plansOf(() => listCommissions(ctx, { ...program, status, ...range, limit: 50 }));
        expectKeyed(plans);
        const context = JSON.stringify({ ...program, status, ...range });
        expect(plans.join("\n"), context).toMatch(
          /Index Scan Backward using commission_entries_open_occurred_idx on commission_entries[^\n]*\n\s+Index Cond: \(\(program_id = [^\n]*\(status = /,
        );
      }
    }
  }
  // A CSV export's page, and the next page of a range (the seed's held entries are all the small program's).
  const held = { programId: "prg_small", status: "held" as const, to: "2026-06-01T00:00:00.000Z" };
  expect((await plansOf(() => listCommissions(ctx, { ...held, limit: 1000 }))).join("\n")).toMatch(
    /commission_entries_open_occurred_idx/,
  );
  const first = await listCommissions(ctx, { ...held, limit: 50 });
  expect(first.nextCursor).not.toBeNull();
  const next = await plansOf(() => listCommissions(ctx, { ...held, limit: 50, cursor: first.nextCursor! }));
  expectKeyed(next);
  expect(next.join("\n")).toMatch(/commission_entries_open_occurred_idx/);
  const [index] = await rowsOf<{ predicate: string | null }>(
    database,
    `select pg_get_expr(indpred, indrelid) as predicate from pg_index
     where indexrelid = 'commission_entries_open_occurred_idx'::regclass`,
  );
  // Paid and rejected entries, most of a ledger, are left out of the index: still a range of the program's dates,
  // where they are found at once.
  expect(index?.predicate).toMatch(/'pending'.*'approved'.*'held'/);
  for (const status of ["paid", "rejected"] as const) {
    expectKeyed(
      await plansOf(() => listCommissions(ctx, { programId: "prg_big", status, to: ranges[0]!.to, limit: 50 })),
    );
    expectKeyed(await plansOf(() => listCommissions(ctx, { status, from: ranges[1]!.from, limit: 50 })));
  }
});

test("the install page's live status reads a program's latest clicks and conversions from their time indexes", async () => {
  expectKeyed(await plansOf(() => integrationStatus(ctx, "prg_small")));
});

test("a program's async submissions, and its counts on the live status, are read through the intake's program key", async () => {
  for (const status of [undefined, "refused"] as const) {
    const plans = await plansOf(() => listSubmissions(ctx, { programId: "prg_small", status, limit: 50 }));
    expectKeyed(plans);
    expect(plans[0], status).toMatch(/conversion_intake_key/);
  }
  // The waiting ones are the worker's queue, moments long: read newest first from its own index.
  const [queued] = await plansOf(() => listSubmissions(ctx, { programId: "prg_small", status: "queued", limit: 50 }));
  expect(queued).toMatch(/Index Scan Backward using conversion_intake_queued_idx/);
  const first = await listSubmissions(ctx, { programId: "prg_small", status: "refused", limit: 50 });
  expectKeyed(
    await plansOf(() => listSubmissions(ctx, { programId: "prg_small", limit: 50, cursor: first.nextCursor! })),
  );
  expectKeyed(await plansOf(() => integrationStatus(ctx, "prg_small")));
});

test("a partner's breakdown per link or sub-id reads its own clicks and credits, each conversion by key", async () => {
  const partner: Ctx = { ...ctx, actor: { type: "partner", id: "pus_1", partnerId: "ptn_0", label: "zero" } };
  expectKeyed(
    await plansOf(() =>
      partnerBreakdown(partner, { partnerId: "ptn_0", by: "link", from: lastMonth.from, to: lastMonth.to }),
    ),
  );
  expectKeyed(
    await plansOf(() =>
      partnerBreakdown(partner, {
        partnerId: "ptn_0",
        by: "sub1",
        programId: "prg_small",
        from: lastMonth.from,
        to: lastMonth.to,
      }),
    ),
  );
});

test("the console's per-link counts of a page of a big program's links read only those partners' ranges", async () => {
  // A page of 51 links, each of its own partner, ptn_0 (a fifth of all clicks) among them.
  const linkIds = [
    "lnk_quiet",
    ...Array.from({ length: 55 }, (_, i) => `lnk_${i + 1}`).filter((id) => !id.endsWith("0")),
  ];
  const plans = await plansOf(() => linkCounts(ctx, { programId: "prg_big", linkIds, ...lastMonth }));
  expectKeyed(plans);
  // The partners' ranges, not the program's month (clicks_program_at_idx would also be keyed, and read it all).
  expect(plans.join("\n")).toMatch(/Index Scan on clicks_partner_at_program_idx/);
  expect(plans.join("\n")).toMatch(/conversion_credits_partner_idx/);
});

test("the console's coupon counts read the program's month of conversions, not every conversion", async () => {
  await seed(`
    set session_replication_role = replica;
    insert into coupon_codes (id, program_id, partner_id, enrollment_id, code, created_at)
      values ('cpn_small', 'prg_small', 'ptn_10', 'enr_10', 'SMALL10', now());
    set session_replication_role = origin;
  `);
  const plans = await plansOf(() => couponCounts(ctx, { programId: "prg_small", ...lastMonth }));
  expect(plans.join("\n")).toMatch(/conversions_program_occurred_idx/);
  expectKeyed(plans);
});

test("a program's partner ranking reads its own month of clicks and conversions, each conversion's credits by key", async () => {
  await rollUpClickHours({ db: database.db, clock: new ManualClock(NOW) });
  await rollUpCreditDays({ db: database.db, clock: new ManualClock(NOW) });
  for (const table of ["click_partner_days", "credit_partner_periods", "conversion_days"])
    await rowsOf(database, `vacuum analyze ${table}`);
  // The whole days from the program's range of click_partner_days, the partial ones at the ends from its clicks.
  const window = { from: new Date("2026-05-20T09:30:00Z"), to: new Date("2026-06-20T15:00:00Z") };
  const plans = await plansOf(() => partnerRanking(ctx, { programId: "prg_small", ...window }));
  expect(plans.join("\n")).toMatch(/Scan (using|on) click_partner_days_program_id_day_partner_id_link_id_pk/);
  expect(plans.join("\n")).toMatch(/clicks_program_at_idx/);
  expect(plans.join("\n")).toMatch(/conversions_program_occurred_idx/);
  // Its whole weeks and days of credited conversions from its own range of credit_partner_periods, each day's number
  // of conversions from its own of conversion_days.
  expect(plans.join("\n")).toMatch(/Scan (using|on) credit_partner_periods_pk/);
  expect(plans.join("\n")).toMatch(/Scan (using|on) conversion_days_program_id_day_pk/);
  expectKeyed(plans);
});
