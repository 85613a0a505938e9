import { afterAll, beforeAll, expect, test } from "vitest";
import type { Database } from "../../src/db/client.js";
import type { Statement } from "../../src/db/raw-transaction.js";
import {
  FIND_COUPONS,
  INSERT_CONVERSIONS,
  REMEMBER_TOUCHES_AND_FIND_ELIGIBLE,
  UPSERT_CUSTOMERS,
} from "../../src/domain/conversions/record-conversion.js";
import { SCREEN_ROUND } from "../../src/domain/fraud/screen-conversion.js";
import { INSERT_CLICKS } from "../../src/domain/tracking/click-writer.js";
import { createTestDb } from "../helpers/test-db.js";

let database: Database;
/** Each index of a growing table and its first column: what a scan of it must be keyed by to stay a lookup. */
let leadingColumn: Map<string, string>;
beforeAll(async () => {
  database = await createTestDb();
  const rows = await rowsOf<{ index: string; lead: string }>(
    `select ix.relname as index, a.attname as lead
     from pg_index i join pg_class ix on ix.oid = i.indexrelid join pg_class t on t.oid = i.indrelid
       join pg_attribute a on a.attrelid = t.oid and a.attnum = i.indkey[0]
     where t.relname in (${GROWING.map((g) => `'${g}'`).join(", ")})`,
  );
  leadingColumn = new Map(rows.map((r) => [r.index, r.lead]));
});
afterAll(async () => database.close());

async function rowsOf<T>(sql: string): Promise<T[]> {
  return database.pglite ? (await database.pglite.query<T>(sql)).rows : (await database.pool!.query(sql)).rows;
}

/** Tables that grow with traffic: a plan that scans one of them gets slower with every sale. */
const GROWING = [
  "clicks",
  "customers",
  "customer_touchpoints",
  "conversions",
  "conversion_credits",
  "conversion_screens",
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
  FIND_COUPONS,
  REMEMBER_TOUCHES_AND_FIND_ELIGIBLE,
  INSERT_CONVERSIONS,
  SCREEN_ROUND,
  INSERT_CLICKS,
])("$name scans no growing table, even planned on empty ones", async (statement) => {
  const plan = await genericPlan(statement);
  const scanned = GROWING.filter((table) => new RegExp(`Seq Scan on ${table}\\b`).test(plan));
  expect(scanned, plan).toEqual([]);
  expect(unkeyedIndexScans(plan), plan).toEqual([]);
});

/**
 * Index scans of growing tables not keyed by the index's first column: such a scan walks the whole index, or a
 * time range of it across every program (the duplicate-order check once read every conversion of the last half
 * hour through (program_id, occurred_at), 15,000 index entries per sale, for want of an index on the customer).
 */
function unkeyedIndexScans(plan: string): string[] {
  const lines = plan.split("\n");
  const unkeyed: string[] = [];
  lines.forEach((line, i) => {
    const index = /(?:Index Scan|Index Only Scan|Bitmap Index Scan)(?: Backward)? (?:using|on) (\w+)/.exec(line)?.[1];
    const lead = index && leadingColumn.get(index);
    if (!lead) return;
    // The node's own details follow it, up to the next node.
    const next = lines.findIndex((l, j) => j > i && l.includes("->"));
    const details = lines.slice(i + 1, next < 0 ? undefined : next).join(" ");
    const condition = /Index Cond: (.*)/.exec(details)?.[1] ?? "";
    if (!new RegExp(`\\(${lead} = `).test(condition)) unkeyed.push(`${index}: ${condition || "no condition"}`);
  });
  return unkeyed;
}

test("an index scan not keyed by the index's first column is caught", () => {
  const plan = [
    "->  Bitmap Heap Scan on conversions o_1",
    "      ->  BitmapAnd",
    "            ->  Bitmap Index Scan on conversions_customer_occurred_idx",
    "                  Index Cond: (customer_id = i.customer_id)",
    "            ->  Bitmap Index Scan on conversions_program_occurred_idx",
    "                  Index Cond: ((occurred_at >= i.occurred_at) AND (occurred_at <= i.occurred_at))",
  ].join("\n");
  expect(unkeyedIndexScans(plan)).toEqual([
    "conversions_program_occurred_idx: ((occurred_at >= i.occurred_at) AND (occurred_at <= i.occurred_at))",
  ]);
});
