import { afterAll, beforeAll, expect, test } from "vitest";
import type { Database } from "../../src/db/client.js";
import type { Statement } from "../../src/db/raw-transaction.js";
import { INSERT_CONVERSIONS, UPSERT_CUSTOMERS } from "../../src/domain/conversions/record-conversion.js";
import { ROUND_CONTEXT } from "../../src/domain/conversions/round-context.js";
import { SCREEN_ROUND } from "../../src/domain/fraud/screen-conversion.js";
import { SELECT_QUEUED } from "../../src/domain/intake/intake-worker.js";
import { FIND_SUBMISSIONS, INSERT_SUBMISSIONS } from "../../src/domain/intake/intake-writer.js";
import { INSERT_CLICKS } from "../../src/domain/tracking/click-writer.js";
import { leadingColumns, seqScansOf, unkeyedIndexScans } from "../helpers/plans.js";
import { createTestDb } from "../helpers/test-db.js";

let database: Database;
/** Each index of a growing table and its first column. */
let leadingColumn: Map<string, string>;
beforeAll(async () => {
  database = await createTestDb();
  leadingColumn = await leadingColumns(database, GROWING);
});
afterAll(async () => database.close());

/** Tables that grow with traffic: a plan that scans one of them gets slower with every sale. */
const GROWING = [
  "clicks",
  "customers",
  "customer_touchpoints",
  "conversions",
  "conversion_credits",
  "conversion_screens",
  // Grows with the program: a sale's answer names its partners.
  "partners",
  // Holds a burst of async sales until they are recorded.
  "conversion_intake",
];

/**
 * The generic plan PostgreSQL makes for a hot statement on a freshly migrated, empty database: a connection keeps
 * that plan until the next ANALYZE of the tables, so it must be index-driven however small the tables were.
 */
async function genericPlan(statement: Statement): Promise<string> {
  const parameters = new Set(statement.text.match(/\$\d+/g)).size;
  // One connection throughout: the setting and the prepared statement belong to the session that made them.
  const { pglite } = database;
  const client = pglite ? undefined : await database.pool!.connect();
  const run = async (sql: string): Promise<Record<string, string>[]> =>
    pglite ? (await pglite.query<Record<string, string>>(sql)).rows : (await client!.query(sql)).rows;
  const name = `plan_${statement.name}`;
  try {
    await run("set plan_cache_mode = force_generic_plan");
    await run(`prepare ${name} as ${statement.text}`);
    const rows = await run(`explain (costs off) execute ${name}(${new Array(parameters).fill("null").join(", ")})`);
    return rows.map((r) => r["QUERY PLAN"]).join("\n");
  } finally {
    await run(`deallocate all`);
    await run("reset plan_cache_mode");
    client?.release();
  }
}

test.each([
  UPSERT_CUSTOMERS,
  ROUND_CONTEXT,
  INSERT_CONVERSIONS,
  SCREEN_ROUND,
  INSERT_CLICKS,
  INSERT_SUBMISSIONS,
  FIND_SUBMISSIONS,
])("$name scans no growing table, even planned on empty ones", async (statement) => {
  const plan = await genericPlan(statement);
  expect(seqScansOf(plan, GROWING), plan).toEqual([]);
  expect(unkeyedIndexScans(plan, leadingColumn), plan).toEqual([]);
});

test("the intake's queue is read from the head of its partial index, never sorted or scanned whole", async () => {
  // Unkeyed on purpose: the index holds only what waits, in order, and the limit stops after a round's worth.
  const plan = await genericPlan(SELECT_QUEUED);
  expect(plan, plan).toMatch(/Limit\n\s+-> {2}Index Scan using conversion_intake_queued_idx on conversion_intake/);
  expect(plan, plan).not.toMatch(/Sort|Seq Scan/);
});

test("an index scan not keyed by the index's first column is caught", () => {
  const plan = [
    "->  Bitmap Heap Scan on conversions o_1",
    "      ->  BitmapAnd",
    "            ->  Bitmap Index Scan on conversions_customer_occurred_idx",
    "                  Index Cond: (customer_id = i.customer_id)",
    "            ->  Bitmap Index Scan on conversions_program_occurred_idx",
    "                  Index Cond: ((occurred_at >= i.occurred_at) AND (occurred_at <= i.occurred_at))",
  ].join("\n");
  expect(unkeyedIndexScans(plan, leadingColumn)).toEqual([
    "conversions_program_occurred_idx: ((occurred_at >= i.occurred_at) AND (occurred_at <= i.occurred_at))",
  ]);
});
