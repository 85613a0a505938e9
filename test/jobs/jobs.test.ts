import { afterAll, beforeAll, expect, test } from "vitest";
import { type Database, openDatabase } from "../../src/db/client.js";
import { settings } from "../../src/db/schema/index.js";
import { CommissionWorker } from "../../src/domain/commissions/commission-worker.js";
import type { JobDefinition, JobDeps } from "../../src/jobs/job-definition.js";
import { startJobs } from "../../src/jobs/job-runner.js";
import { jobDefinitions } from "../../src/jobs/registry.js";
import { ManualClock } from "../../src/lib/clock.js";
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

const depsFor = (database: Database): JobDeps => {
  const clock = new ManualClock("2026-06-01T00:00:00Z");
  return {
    db: database.db,
    clock,
    log: silent,
    commissions: new CommissionWorker({ db: database.db, clock, log: silent }),
  };
};

test("the real jobs run through pg-boss on this database", async () => {
  const runner = await startJobs(primary, depsFor(primary), jobDefinitions);
  try {
    expect(await runner.runNow("release-holdings")).toEqual({ approved: 0 });
    expect(await runner.runNow("commission-sweep")).toEqual({});
    expect(await runner.runNow("evaluate-bonuses")).toEqual({ awarded: 0 });
    expect(await runner.runNow("fraud-sweep")).toEqual({ programs: 0, held: 0, rejected: 0 });
    expect(await runner.runNow("roll-up-click-hours")).toEqual({ hours: 0, through: "2026-05-31T23:00:00.000Z" });
    await primary.db.insert(settings).values({ key: "ip_salt:2026-05-30", value: "old" });
    expect(await runner.runNow("forget-ip-salts")).toEqual({ deleted: 1 });
  } finally {
    await runner.stop();
  }
}, 60_000);

test("two instances on one database: a scheduled tick runs exactly once", async () => {
  const runs: { instance: string; tick: number }[] = [];
  const counting = (instance: string): JobDefinition => ({
    name: "tick-probe",
    cron: "* * * * *",
    description: "counts its runs",
    async run(_deps, job) {
      // A tick's job is created in the minute it is due, by whichever instance's clock monitor gets there first.
      runs.push({ instance, tick: Math.floor(job.createdOn.getTime() / 60_000) });
      return {};
    },
  });
  const tuning = { cronMonitorIntervalSeconds: 1, cronWorkerIntervalSeconds: 1 } as const;
  const [a, b] = await Promise.all([
    startJobs(primary, depsFor(primary), [counting("a")], tuning),
    startJobs(second, depsFor(second), [counting("b")], tuning),
  ]);
  try {
    // The schedule fires at the next minute boundary; give both instances time to pick it up.
    const deadline = Date.now() + 80_000;
    while (runs.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
    await new Promise((r) => setTimeout(r, 5_000));
    expect(runs.length).toBeGreaterThan(0);
    // Under load the next minute's tick may also come in while we wait; what must never happen is a tick twice.
    const perTick = new Map<number, number>();
    for (const run of runs) perTick.set(run.tick, (perTick.get(run.tick) ?? 0) + 1);
    expect(
      [...perTick.values()].every((n) => n === 1),
      JSON.stringify(runs),
    ).toBe(true);
  } finally {
    await Promise.all([a.stop(), b.stop()]);
  }
}, 120_000);
