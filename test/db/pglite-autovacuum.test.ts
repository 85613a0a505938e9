import { afterAll, beforeAll, expect, test } from "vitest";
import type { Database } from "../../src/db/client.js";
import { vacuumLikeAutovacuum } from "../../src/db/pglite-autovacuum.js";
import { rowsOf } from "../helpers/plans.js";
import { runScript } from "../helpers/seeded-db.js";
import { createTestDb } from "../helpers/test-db.js";

let database: Database;
beforeAll(async () => {
  database = await createTestDb();
});
afterAll(async () => database?.close());

/** The commission engine's read of its queue's head (loadQueuedCredits), as planned now. */
async function queueHeadPlan(): Promise<string> {
  const rows = await rowsOf<Record<string, string>>(
    database,
    `explain select q.conversion_id, q.partner_id from commission_queue q where q.state = 'queued'
     order by q.conversion_id, q.partner_id limit 1000`,
  );
  return rows.map((r) => r["QUERY PLAN"]).join("\n");
}

const deadQueueRows = async () =>
  Number(
    (
      await rowsOf<{ n: string }>(
        database,
        "select n_dead_tup as n from pg_stat_user_tables where relname = 'commission_queue'",
      )
    )[0]!.n,
  );

const queueIn = (tables: string[]) => tables.some((t) => t.endsWith(".commission_queue"));

test("on PGlite, a growing table is analyzed and its deleted rows vacuumed past autovacuum's thresholds", async () => {
  if (!database.pglite) {
    // PostgreSQL's own autovacuum does it: nothing to do.
    expect(await vacuumLikeAutovacuum(database.db)).toEqual({ vacuumed: [], analyzed: [] });
    return;
  }
  // Whatever the migrations wrote, first.
  await vacuumLikeAutovacuum(database.db);
  await runScript(
    database,
    `insert into commission_queue (conversion_id, partner_id, program_id)
       select 'cnv_' || lpad(i::text, 8, '0'), 'ptn_1', 'prg_1' from generate_series(1, 20000) i;
     select pg_stat_force_next_flush();`,
  );
  // The premise: never analyzed, the head of 20,000 queued credits is found by scanning and sorting them all.
  expect(await queueHeadPlan()).toMatch(/Sort/);

  const first = await vacuumLikeAutovacuum(database.db);
  expect(queueIn(first.analyzed)).toBe(true);
  const plan = await queueHeadPlan();
  expect(plan, plan).toMatch(/Index Scan using commission_queue_conversion_id_partner_id_pk/);
  expect(plan, plan).not.toMatch(/Sort|Seq Scan/);

  // The engine deletes what it computed: three quarters of the queue are dead rows, past 50 + 20 %.
  await runScript(
    database,
    `delete from commission_queue where conversion_id <= 'cnv_00015000'; select pg_stat_force_next_flush();`,
  );
  expect(await deadQueueRows()).toBe(15_000);
  const second = await vacuumLikeAutovacuum(database.db);
  expect(queueIn(second.vacuumed)).toBe(true);
  await runScript(database, "select pg_stat_force_next_flush();");
  expect(await deadQueueRows()).toBe(0);

  // Nothing changed since: nothing to do.
  const third = await vacuumLikeAutovacuum(database.db);
  expect(queueIn([...third.vacuumed, ...third.analyzed])).toBe(false);
});
