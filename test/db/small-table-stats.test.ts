import { afterAll, beforeAll, expect, test } from "vitest";
import type { Database } from "../../src/db/client.js";
import { analyzeSmallTables } from "../../src/db/small-table-stats.js";
import { rowsOf } from "../helpers/plans.js";
import { runScript } from "../helpers/seeded-db.js";
import { createTestDb } from "../helpers/test-db.js";

/**
 * Autovacuum analyzes a table after 50 changed rows (PGlite never does): a fresh install's three programs were
 * planned as about 120, for every join against them.
 */
let database: Database;

beforeAll(async () => {
  database = await createTestDb();
});
afterAll(async () => database?.close());

/** The planner's row estimate for every program. */
async function estimatedPrograms(): Promise<number> {
  const [row] = await rowsOf<Record<string, string>>(database, "explain select * from programs");
  return Number(/rows=(\d+)/.exec(row!["QUERY PLAN"]!)![1]);
}

/** Adds programs on one connection and has its changes counted in pg_stat_user_tables before it answers. */
const addPrograms = (ids: string[]) =>
  runScript(
    database,
    `insert into programs (id, name, slug, type, status, currency, cookie_window_days, allowed_domains, created_at,
       updated_at)
       select p, p, p, 'affiliate', 'active', 'USD', 30, '{}', now(), now()
       from unnest(array[${ids.map((id) => `'${id}'`).join(", ")}]) p;
     select pg_stat_force_next_flush();`,
  );

test("programs are analyzed once they have rows, and again when they change", async () => {
  // Empty: nothing to analyze (a fresh install's first runs).
  expect(await analyzeSmallTables(database.db)).toEqual({ analyzed: [] });

  await addPrograms(["prg_a", "prg_b", "prg_c"]);
  // The test's premise: never analyzed, three programs are planned as many more.
  expect(await estimatedPrograms()).toBeGreaterThan(10);
  expect((await analyzeSmallTables(database.db)).analyzed).toContain("programs");
  expect(await estimatedPrograms()).toBe(3);

  // Two more fit in the same page: without a new analyze the planner would keep counting three.
  await addPrograms(["prg_d", "prg_e"]);
  expect((await analyzeSmallTables(database.db)).analyzed).toContain("programs");
  expect(await estimatedPrograms()).toBe(5);
});
