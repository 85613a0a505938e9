import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { sql } from "drizzle-orm";
import pg from "pg";
import { type Database, openDatabase } from "../src/db/client.js";
import { migrateDatabase } from "../src/db/migrate.js";
import { vacuumLikeAutovacuum } from "../src/db/pglite-autovacuum.js";
import { batchSizeFor, calculateCommissions } from "../src/domain/commissions/calculate-commissions.js";
import type { QueueCursor } from "../src/domain/commissions/load-calculation-context.js";
import { releaseHoldings } from "../src/domain/commissions/release-holdings.js";
import { systemActor } from "../src/domain/context.js";
import { runPayouts } from "../src/domain/payouts/run-payouts.js";
import { ManualClock } from "../src/lib/clock.js";
import { Keyring } from "../src/lib/secret-box.js";
import { seedCommissionBacklog } from "../test/helpers/commission-backlog.js";
import { databaseUrlWith } from "../test/helpers/global-setup.js";

/**
 * Bulk commission calculation: SALES queued sales for PARTNERS partners under the seed's tiered plan (10% for the
 * first 5 sales a month, 15% beyond), computed by the real engine batch after batch. The baseline, in the same
 * process and database, is one set-based INSERT … SELECT writing the same number of ledger-shaped rows with the
 * percentage done in SQL — the database's own speed at writing that many rows, with no rules at all.
 *
 * Usage: tsx bench/commission-bench.ts pglite|postgres → prints one JSON line per result.
 */
const kind = process.argv[2] === "postgres" ? "postgres" : "pglite";
const SALES = Number(process.env.BENCH_SALES ?? 1_000_000);
const PARTNERS = Number(process.env.BENCH_PARTNERS ?? 10_000);
const PROGRAM = "prg_bench";

/**
 * The longest the process's event loop was held while `work` ran, in ms: the engine and the payout run share the
 * server's process with its requests (redirects included), which wait through any stretch of synchronous work.
 */
async function withLongestStall<T>(work: () => Promise<T>): Promise<{ result: T; stallMs: number }> {
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  // The histogram measures from its timer's first tick: a stall before it would go unseen (PGlite's first statements
  // answer without a turn of the event loop).
  await new Promise((resolve) => setTimeout(resolve, 5));
  try {
    const result = await work();
    return { result, stallMs: Math.round(delay.max / 1e6) };
  } finally {
    delay.disable();
  }
}

let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 100);

/**
 * Statistics and dead rows as the database itself would have them by the time a run starts: PostgreSQL's
 * autovacuum (off on the bench's server, so an ANALYZE), PGlite's stand-in job (`vacuumLikeAutovacuum`).
 */
async function statisticsAsAutovacuumWould(database: Database): Promise<void> {
  if (database.pglite) await vacuumLikeAutovacuum(database.db);
  else await database.db.execute(sql`analyze`);
}

async function open(): Promise<{ database: Database; drop: () => Promise<void> }> {
  if (kind === "pglite") {
    const dir = mkdtempSync(join(tmpdir(), "tributary-commission-bench-"));
    const database = await openDatabase({ dataDir: dir });
    return { database, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is required for the postgres run");
  const name = `tributary_commission_bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  await admin.end();
  const database = await openDatabase({ databaseUrl: databaseUrlWith(url, name), poolSize: 4 });
  return {
    database,
    drop: async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`drop database if exists "${name}" with (force)`);
      await c.end();
    },
  };
}

async function baseline(database: Database): Promise<number> {
  await database.db.execute(sql`create table baseline_entries (like commission_entries including defaults)`);
  const started = performance.now();
  await database.db.execute(sql`
    insert into baseline_entries (id, program_id, partner_id, enrollment_id, kind, amount_minor, currency, status,
      conversion_id, explanation, dedupe_key, occurred_at, created_at, status_changed_at)
    select 'com_' || cc.conversion_id, cc.program_id, cc.partner_id, cc.enrollment_id, 'commission',
      round(cc.amount_minor * 0.1), 'USD', 'pending', cc.conversion_id,
      jsonb_build_object('summary', '10% of ' || cc.amount_minor), 'commission:' || cc.conversion_id, cc.occurred_at, now(), now()
    from conversion_credits cc`);
  const seconds = (performance.now() - started) / 1000;
  await database.db.execute(sql`drop table baseline_entries`);
  return SALES / seconds;
}

async function ours(database: Database): Promise<number> {
  const clock = new ManualClock("2026-07-01T00:00:00Z");
  const started = performance.now();
  let done = 0;
  let after: QueueCursor | undefined;
  for (;;) {
    // The batch size the server uses on this database.
    const result = await calculateCommissions({ db: database.db, clock }, { after, batchSize: batchSizeFor(kind) });
    if (result.processed === 0) break;
    done += result.processed;
    after = result.cursor;
  }
  const seconds = (performance.now() - started) / 1000;
  if (done !== SALES) throw new Error(`computed ${done} of ${SALES} sales`);
  return SALES / seconds;
}

/**
 * The payout run for every partner with approved commissions: each gets a (sealed) PayPal method, the ledger is
 * approved, and one run pays everyone. Baseline: the same database summing the same entries per partner in one
 * GROUP BY, written into a table — the least any payout run has to do.
 */
async function payoutRun(
  database: Database,
): Promise<{ seconds: number; baselineSeconds: number; payouts: number; stallMs: number }> {
  const db = database.db;
  const keyring = new Keyring([{ id: "bench", key: randomBytes(32) }]);
  const methods = Array.from({ length: PARTNERS }, (_, i) => {
    const partnerId = `ptn_${String(i + 1).padStart(6, "0")}`;
    return { partnerId, sealed: keyring.seal(JSON.stringify({ email: `p${i + 1}@partners.example` }), partnerId) };
  });
  await db.execute(sql`
    insert into payout_methods (partner_id, kind, details_encrypted, key_id, masked, updated_by, created_at, updated_at)
    select m.partner_id, 'paypal', m.sealed, 'bench', 'p***@partners.example', 'bench', now(), now()
    from json_to_recordset(${JSON.stringify(methods.map((m) => ({ partner_id: m.partnerId, sealed: m.sealed })))}::json)
      as m(partner_id text, sealed text)`);
  const approvedAt = new ManualClock("2026-07-15T00:00:00Z");
  await releaseHoldings({ db, clock: approvedAt });
  // As after seeding: statistics as autovacuum (on PGlite, its stand-in job) would have them by now (the bench
  // server runs without autovacuum).
  await statisticsAsAutovacuumWould(database);
  const baselineStarted = performance.now();
  await db.execute(sql`create table baseline_payouts as
    select partner_id, sum(amount_minor) as amount from commission_entries where status = 'approved' group by partner_id`);
  const baselineSeconds = (performance.now() - baselineStarted) / 1000;
  await db.execute(sql`drop table baseline_payouts`);
  const clock = new ManualClock("2026-08-02T00:00:00Z");
  const quiet = { info() {}, warn() {}, error() {}, debug() {} };
  const ctx = { db, clock, log: quiet, actor: systemActor, config: { sessionTtlHours: 1 } };
  const started = performance.now();
  const { result: run, stallMs } = await withLongestStall(() => runPayouts(ctx, { programId: PROGRAM }));
  const seconds = (performance.now() - started) / 1000;
  return { seconds, baselineSeconds, payouts: run.payouts.length, stallMs };
}

const { database, drop } = await open();
try {
  await migrateDatabase(database);
  await seedCommissionBacklog(database, {
    sales: SALES,
    partners: PARTNERS,
    program: PROGRAM,
    analyze: false,
  });
  await statisticsAsAutovacuumWould(database);
  const baselineRate = await baseline(database);
  const { result: rate, stallMs: engineStallMs } = await withLongestStall(() => ours(database));
  const [check] = (
    (await database.db.execute(sql`select count(*)::int as n from commission_entries`)) as unknown as {
      rows: { n: number }[];
    }
  ).rows;
  clearInterval(sampler);
  const line = (name: string, rps: number, ratio: number, stallMs: number | null) =>
    JSON.stringify({
      name,
      db: kind,
      rps: Math.round(rps),
      p50_ms: null,
      p99_ms: null,
      ratio_to_baseline: Number(ratio.toFixed(3)),
      peak_rss_mb: Math.round(peakRss / 1024 / 1024),
      errors: Number(check?.n) === SALES ? 0 : 1,
      sales: SALES,
      partners: PARTNERS,
      longest_stall_ms: stallMs,
    });
  console.log(line("baseline: set-based insert of ledger rows", baselineRate, 1, null));
  console.log(line("bulk commission calculation (sales/s)", rate, rate / baselineRate, engineStallMs));
  const payout = await payoutRun(database);
  if (payout.payouts !== PARTNERS) throw new Error(`the run paid ${payout.payouts} of ${PARTNERS} partners`);
  console.log(
    JSON.stringify({
      name: `payout run (${PARTNERS.toLocaleString("en")} partners, s)`,
      db: kind,
      rps: Math.round(PARTNERS / payout.seconds),
      seconds: Number(payout.seconds.toFixed(2)),
      p50_ms: null,
      p99_ms: null,
      ratio_to_baseline: Number((payout.baselineSeconds / payout.seconds).toFixed(3)),
      peak_rss_mb: Math.round(peakRss / 1024 / 1024),
      errors: 0,
      longest_stall_ms: payout.stallMs,
    }),
  );
} finally {
  clearInterval(sampler);
  await database.close();
  await drop();
}
