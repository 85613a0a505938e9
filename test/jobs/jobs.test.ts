import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import { type Database, openDatabase } from "../../src/db/client.js";
import { settings } from "../../src/db/schema/index.js";
import { CommissionWorker } from "../../src/domain/commissions/commission-worker.js";
import type { JobDefinition, JobDeps } from "../../src/jobs/job-definition.js";
import { startJobs } from "../../src/jobs/job-runner.js";
import { jobDefinitions } from "../../src/jobs/registry.js";
import { ManualClock } from "../../src/lib/clock.js";
import { intakeWorkerFor } from "../helpers/intake-worker.js";
import { createTestDb } from "../helpers/test-db.js";

const silent = { info() {}, warn() {}, error() {}, debug() {} };
let primary: Database;
let second: Database;

beforeAll(async () => {
  primary = await createTestDb();
  // A second instance: its own pool on PostgreSQL; on PGlite (one process owns the files) the same database.
  second = primary.connectionString
    ? await openDatabase({ databaseUrl: primary.connectionString, poolSize: 3 })
    : primary;
});
afterAll(async () => {
  if (second !== primary) await second.close();
  await primary.close();
});

const depsFor = async (database: Database): Promise<JobDeps> => {
  const clock = new ManualClock("2026-06-01T00:00:00Z");
  const commissions = new CommissionWorker({ db: database.db, clock, log: silent });
  return {
    db: database.db,
    clock,
    log: silent,
    commissions,
    intake: await intakeWorkerFor(database, clock, silent, commissions),
  };
};

test("the real jobs run through pg-boss on this database", async () => {
  const runner = await startJobs(primary, await depsFor(primary), jobDefinitions);
  try {
    expect(await runner.runNow("release-holdings")).toEqual({ approved: 0 });
    expect(await runner.runNow("commission-sweep")).toEqual({});
    expect(await runner.runNow("evaluate-bonuses")).toEqual({ awarded: 0 });
    expect(await runner.runNow("fraud-sweep")).toEqual({ programs: 0, held: 0, rejected: 0 });
    expect(await runner.runNow("roll-up-click-hours")).toEqual({
      hours: 0,
      partnerHours: 0,
      through: "2026-05-31T23:00:00.000Z",
      partnerDays: 0,
    });
    await primary.db.insert(settings).values({ key: "ip_salt:2026-05-30", value: "old" });
    expect(await runner.runNow("forget-ip-salts")).toEqual({ deleted: 1 });
    expect(await runner.runNow("prune-payout-skips")).toEqual({ deleted: 0 });
    expect(await runner.runNow("intake-sweep")).toEqual({ pruned: 0 });
    expect(await runner.runNow("analyze-small-tables")).toEqual({ analyzed: [] });
    // Its schedule (every 5 minutes, by the wall clock) may have run it first: `from` is then that run's time.
    expect(await runner.runNow("roll-up-credit-days")).toMatchObject({ days: 0, weeks: 0 });
    await primary.db.execute(
      sql`insert into programs (id, name, slug, type, status, currency, cookie_window_days, allowed_domains,
            created_at, updated_at)
          values ('prg_jobs', 'Jobs', 'jobs', 'affiliate', 'active', 'USD', 30, '{}', now(), now())`,
    );
    expect(await runner.runNow("analyze-small-tables")).toEqual({ analyzed: ["programs"] });
    // VACUUM cannot run inside a transaction: through pg-boss it runs on its own (on PGlite; PostgreSQL has autovacuum).
    // 60 new rows are past autovacuum's 50 (plus a tenth of the table) on a table that had a few.
    await primary.db.execute(
      sql`insert into settings (key, value) select 'autovacuum-probe-' || i, 'x' from generate_series(1, 60) i`,
    );
    await primary.db.execute(sql`select pg_stat_force_next_flush()`);
    const autovacuum = await runner.runNow("pglite-autovacuum");
    if (primary.pglite) expect(autovacuum.analyzed).toContain("public.settings");
    else expect(autovacuum).toEqual({ vacuumed: [], analyzed: [] });
  } finally {
    await runner.stop();
  }
}, 60_000);

test("two instances starting together create their new queues in turn: no deadlock", async () => {
  // Creating a pg-boss queue is DDL; two sessions creating the same one at once deadlocked most of the time.
  const stamp = Date.now();
  const probes: JobDefinition[] = Array.from({ length: 6 }, (_, i) => ({
    name: `queue-race-${stamp}-${i}`,
    cron: "0 0 1 1 *",
    description: "never runs",
    async run() {
      return {};
    },
  }));
  const [a, b] = await Promise.all([
    startJobs(primary, await depsFor(primary), probes),
    startJobs(second, await depsFor(second), probes),
  ]);
  await Promise.all([a.stop(), b.stop()]);
}, 60_000);

test("two instances on one database: a scheduled tick runs exactly once", async () => {
  const runs: { instance: string; createdOn: string }[] = [];
  const counting = (instance: string): JobDefinition => ({
    name: "tick-probe",
    cron: "* * * * *",
    description: "counts its runs",
    async run(_deps, job) {
      runs.push({ instance, createdOn: job.createdOn.toISOString() });
      return {};
    },
  });
  const tuning = { cronMonitorIntervalSeconds: 1, cronWorkerIntervalSeconds: 1 } as const;
  const startedAt = Date.now();
  const [a, b] = await Promise.all([
    startJobs(primary, await depsFor(primary), [counting("a")], tuning),
    startJobs(second, await depsFor(second), [counting("b")], tuning),
  ]);
  try {
    // pg-boss sends the tick of the current minute as soon as a clock monitor runs; give both instances time.
    const deadline = Date.now() + 80_000;
    while (runs.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
    await new Promise((r) => setTimeout(r, 5_000));
  } finally {
    await Promise.all([a.stop(), b.stop()]);
  }
  const stoppedAt = Date.now();
  // The ticks that may run meanwhile: the one due at the start of the minute the instances started in (sent at
  // startup), and one per minute boundary crossed until they stopped. A job's creation time is when the tick was
  // handed to the queue, which can fall in the next minute, so runs cannot be grouped by it; they can be counted.
  // Two instances that each ran the schedule would run every tick twice.
  const ticks = Math.floor(stoppedAt / 60_000) - Math.floor(startedAt / 60_000) + 1;
  expect(runs.length).toBeGreaterThan(0);
  expect(runs.length, JSON.stringify({ ticks, runs })).toBeLessThanOrEqual(ticks);
}, 120_000);
