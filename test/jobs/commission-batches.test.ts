import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import { type Database, selectRows } from "../../src/db/client.js";
import { batchSizeFor, DEFAULT_BATCH, PGLITE_BATCH } from "../../src/domain/commissions/calculate-commissions.js";
import { CommissionWorker } from "../../src/domain/commissions/commission-worker.js";
import { ManualClock } from "../../src/lib/clock.js";
import { seedCommissionBacklog } from "../helpers/commission-backlog.js";
import { createTestDb } from "../helpers/test-db.js";

const silent = { info() {}, warn() {}, error() {}, debug() {} };
let database: Database;

beforeAll(async () => {
  database = await createTestDb();
});
afterAll(() => database.close());

test("a drain takes the queue batch after batch of the worker's size, and computes each credit once", async () => {
  await seedCommissionBacklog(database, { sales: 25, partners: 3, program: "prg_batches", analyze: false });
  const batches: number[] = [];
  const worker = new CommissionWorker(
    { db: database.db, clock: new ManualClock("2026-07-01T00:00:00Z"), log: silent },
    { batchSize: 10, onBatch: (result) => batches.push(result.processed) },
  );
  await worker.drain();
  expect(batches).toEqual([10, 10, 5]);
  const [counts] = await selectRows<{ commissions: number; queued: number }>(
    database.db,
    sql`select (select count(*)::int from commission_entries where program_id = 'prg_batches' and kind = 'commission')
          as commissions,
        (select count(*)::int from commission_queue where program_id = 'prg_batches') as queued`,
  );
  expect(counts).toEqual({ commissions: 25, queued: 0 });
});

test("the server's batches are smaller on PGlite, whose statements hold its event loop while they run", () => {
  expect(batchSizeFor("postgres")).toBe(DEFAULT_BATCH);
  expect(batchSizeFor("pglite")).toBe(PGLITE_BATCH);
  expect(PGLITE_BATCH).toBeLessThan(DEFAULT_BATCH);
});
