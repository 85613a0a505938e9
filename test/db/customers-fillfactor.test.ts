import { afterAll, beforeAll, expect, test } from "vitest";
import type { Database } from "../../src/db/client.js";
import { rowsOf } from "../helpers/plans.js";
import { runScript } from "../helpers/seeded-db.js";
import { createTestDb } from "../helpers/test-db.js";

/**
 * A sale that brings a customer inserts it and then, in the same transaction, sets who brought it and its binding.
 * On a full page that update writes the row's new version on another page, with an entry in each of the customers'
 * indexes; migration 0031 leaves room on every page for it to stay (an in-place, HOT update).
 */
let database: Database;

beforeAll(async () => {
  database = await createTestDb();
  await runScript(
    database,
    `set session_replication_role = replica;
     insert into customers (id, program_id, external_id, email_hash, email_domain, first_seen_via, created_at)
     select 'cus_ff_' || i, 'prg_ff', 'ext_' || i, md5(i::text), 'example.com', 'direct', now()
     from generate_series(1, 2000) as i;
     set session_replication_role = origin;`,
  );
});
afterAll(async () => database?.close());

const pageOf = async (id: string) => {
  const [row] = await rowsOf<{ ctid: string }>(database, "select ctid::text from customers where id = $1", [id]);
  return row!.ctid.slice(1).split(",")[0];
};

test("a customer's binding is written beside it, on its own page, even once the table's pages have filled", async () => {
  const first = (await rowsOf<{ id: string }>(database, "select id from customers where ctid = '(0,1)'"))[0]!.id;
  expect(await pageOf(first)).toBe("0");
  await rowsOf(
    database,
    `update customers set bound_partner_id = 'ptn_ff', bound_enrollment_id = 'enr_ff', bound_at = now(),
       sourced_by_partner_id = 'ptn_ff', first_seen_via = 'partner' where id = $1`,
    [first],
  );
  expect(await pageOf(first)).toBe("0");
});
