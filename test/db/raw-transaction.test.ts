import { afterAll, beforeAll, expect, test } from "vitest";
import type { Database } from "../../src/db/client.js";
import { rawQuery, rawTransaction, type Statement } from "../../src/db/raw-transaction.js";
import { createTestDb } from "../helpers/test-db.js";

let database: Database;
beforeAll(async () => {
  database = await createTestDb();
  await rawQuery(database.db, CREATE_TABLE, []);
});
afterAll(async () => database.close());

const CREATE_TABLE: Statement = {
  name: "test_raw_create",
  text: "create table raw_transaction_probe (n int primary key)",
};
const INSERT: Statement = {
  name: "test_raw_insert",
  text: "insert into raw_transaction_probe values ($1) returning n",
};
const DIVIDE: Statement = { name: "test_raw_divide", text: "select 1 / $1::int as n" };
const COUNT: Statement = { name: "test_raw_count", text: "select count(*)::int as n from raw_transaction_probe" };

const stored = async () => (await rawQuery<{ n: number }>(database.db, COUNT, []))[0]!.n;

test("statements sent without awaiting each other run in order, in the transaction, each with its own answer", async () => {
  const answers = await rawTransaction(database.db, async (query) => {
    // Both on the wire before either answer (on PostgreSQL), behind the transaction's begin.
    const first = query<{ n: number }>(INSERT, [1]);
    const second = query<{ n: number }>(COUNT, []);
    return Promise.all([first, second]);
  });
  // The count ran after the insert and saw it.
  expect(answers).toEqual([[{ n: 1 }], [{ n: 1 }]]);
  expect(await stored()).toBe(1);
});

test("the first statement runs inside the transaction: a failure later rolls it back", async () => {
  const failing = rawTransaction(database.db, async (query) => {
    await query(INSERT, [2]);
    await query(DIVIDE, [0]);
  });
  await expect(failing).rejects.toThrow(/division by zero/);
  expect(await stored()).toBe(1);
});

test("a statement that fails takes those sent behind it down with it; the first error is the one seen", async () => {
  const failing = rawTransaction(database.db, async (query) => {
    const divided = query(DIVIDE, [0]);
    const inserted = query(INSERT, [3]);
    const [a, b] = await Promise.allSettled([divided, inserted]);
    expect(b.status).toBe("rejected");
    if (a.status === "rejected") throw a.reason;
  });
  await expect(failing).rejects.toThrow(/division by zero/);
  expect(await stored()).toBe(1);
  // Every connection went back to the pool able to run work as before, pipelined or not.
  await Promise.all([4, 5, 6, 7, 8, 9].map((n) => rawTransaction(database.db, async (query) => query(INSERT, [n]))));
  expect(await stored()).toBe(7);
  const pool = database.pool;
  if (pool) {
    const connections = await Promise.all([pool.connect(), pool.connect()]);
    for (const connection of connections) {
      expect((connection as unknown as { pipeline: boolean }).pipeline).toBe(false);
      expect((await connection.query("select 1 as n")).rows).toEqual([{ n: 1 }]);
      connection.release();
    }
  }
});

const UNNEST_KINDS: Statement = {
  name: "test_raw_unnest_kinds",
  text: `select t, i, b::text as b, f, (extract(epoch from at) * 1000)::float8 as at_ms
    from unnest($1::text[], $2::int[], $3::bigint[], $4::boolean[], $5::timestamptz[]) with ordinality
      as u(t, i, b, f, at, n)
    order by n`,
};

test("array parameters arrive as the values they were, whatever their text holds", async () => {
  const texts = [
    'say "hi"',
    "back\\slash",
    "a,b",
    "{braces}",
    "NULL",
    "",
    "  spaced  ",
    "ünïcødé 🎉",
    "tab\tline\n",
    null,
  ];
  const at = Date.UTC(2026, 10, 23, 17, 5, 1, 20);
  const values = [
    texts,
    texts.map((_, i) => (i % 3 === 0 ? null : i - 5)),
    texts.map((_, i) => (i % 4 === 0 ? null : BigInt(i) * 9_007_199_254_740_993n)),
    texts.map((_, i) => (i % 5 === 0 ? null : i % 2 === 0)),
    texts.map((_, i) => (i % 2 === 0 ? new Date(at + i) : new Date(at - i).toISOString())),
  ];
  const rows = await rawTransaction(database.db, (query) =>
    query<{ t: string | null; i: number | null; b: string | null; f: boolean | null; at_ms: number }>(
      UNNEST_KINDS,
      values,
    ),
  );
  expect(rows).toEqual(
    texts.map((t, i) => ({
      t,
      i: values[1]![i],
      b: values[2]![i] === null ? null : String(values[2]![i]),
      f: values[3]![i],
      at_ms: i % 2 === 0 ? at + i : at - i,
    })),
  );
  // The same through rawQuery, outside a transaction.
  expect(await rawQuery(database.db, UNNEST_KINDS, values)).toEqual(rows);
});
