import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { Database } from "../../src/db/client.js";
import { partners, payoutMethods, payouts } from "../../src/db/schema/index.js";
import { CommissionWorker } from "../../src/domain/commissions/commission-worker.js";
import { type Ctx, systemActor } from "../../src/domain/context.js";
import { loadKeyring } from "../../src/domain/payouts/payout-runtime.js";
import { createProgram } from "../../src/domain/programs/create-program.js";
import { payoutRunJob } from "../../src/jobs/definitions/payout-run.js";
import { startJobs } from "../../src/jobs/job-runner.js";
import { jobDefinitions } from "../../src/jobs/registry.js";
import { ManualClock } from "../../src/lib/clock.js";
import { intakeWorkerFor } from "../helpers/intake-worker.js";
import { seedEntries } from "../helpers/ledger.js";
import { createTestDb } from "../helpers/test-db.js";

const silent = { info() {}, warn() {}, error() {}, debug() {} };
const clock = new ManualClock("2026-03-02T02:00:00Z");
let database: Database;

beforeAll(async () => {
  database = await createTestDb();
});
afterAll(() => database.close());

test("the scheduled payout-run job pays what the schedule made payable, through pg-boss, once", async () => {
  expect(jobDefinitions).toContain(payoutRunJob);
  const ctx: Ctx = { db: database.db, clock, log: silent, actor: systemActor, config: { sessionTtlHours: 1 } };
  const program = await createProgram(ctx, { name: "Job", slug: "job", type: "affiliate", currency: "EUR" });
  const now = clock.now();
  await database.db
    .insert(partners)
    .values({ id: "ptn_job", name: "Job Partner", type: "affiliate", createdAt: now, updatedAt: now });
  const { keyring } = { keyring: await loadKeyring(database.db, undefined) };
  await database.db.insert(payoutMethods).values({
    partnerId: "ptn_job",
    kind: "paypal",
    detailsEncrypted: keyring.seal(JSON.stringify({ email: "job@example.com" }), "ptn_job"),
    keyId: keyring.current.id,
    masked: "PayPal j***@example.com",
    updatedBy: "test",
    createdAt: now,
    updatedAt: now,
  });
  await seedEntries(database.db, [
    {
      programId: program.id,
      partnerId: "ptn_job",
      amount: 4_200n,
      currency: "EUR",
      occurredAt: "2026-02-03T00:00:00Z",
    },
    { programId: program.id, partnerId: "ptn_job", amount: 100n, currency: "EUR", occurredAt: "2026-03-01T09:00:00Z" },
  ]);
  const commissions = new CommissionWorker({ db: database.db, clock, log: silent });
  const intake = await intakeWorkerFor(database, clock, silent, commissions);
  const runner = await startJobs(database, { db: database.db, clock, log: silent, commissions, intake }, [
    payoutRunJob,
  ]);
  try {
    expect(await runner.runNow("payout-run")).toMatchObject({ payouts: 1, skipped: 0 });
    expect(await runner.runNow("payout-run")).toMatchObject({ payouts: 0, skipped: 0 });
  } finally {
    await runner.stop();
  }
  const made = await database.db.select().from(payouts).where(eq(payouts.programId, program.id));
  expect(made.map((p) => [p.partnerId, p.amountMinor, p.currency, p.status])).toEqual([
    ["ptn_job", 4_200n, "EUR", "pending"],
  ]);
}, 60_000);
