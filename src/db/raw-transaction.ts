import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import type pg from "pg";
import { parameter } from "./array-literal.js";
import type { Db } from "./client.js";
import { pglitePrepared } from "./pglite-prepared.js";
import * as schema from "./schema/index.js";

/**
 * A statement a hot path sends as is. It is prepared once per connection (on PGlite, once per database), by name,
 * and PostgreSQL keeps one generic plan for it when that plan is as good as a fresh one (or when told to:
 * planOnce): planning was a fifth of these statements' cost. Write them so that every plan is index-driven
 * whatever the tables held.
 */
export interface Statement {
  /** Unique per text: a connection remembers the statement under this name. */
  name: string;
  text: string;
}

/**
 * Runs a statement in the transaction. Statements are run in the order they are sent; one sent before the answer
 * to the previous arrived travels with it (pipelining), which saves a round trip when it does not need that answer.
 * Arrays of plain values (the set-based statements' columns) are sent as array literals (see `parameter`).
 */
export type RawQuery = <T>(statement: Statement, values: unknown[]) => Promise<T[]>;

type Driver = pg.Pool | PGlite;
const driverOf = (db: Db): Driver => {
  const client = (db as unknown as { $client?: Driver }).$client;
  if (!client) throw new Error("raw statements need the database itself, not a Drizzle transaction");
  return client;
};

/** The PostgreSQL pool behind the database, or undefined on PGlite: for what only PostgreSQL speaks (COPY). */
export const postgresPoolOf = (db: Db): pg.Pool | undefined => {
  const client = driverOf(db);
  return client instanceof PGlite ? undefined : client;
};

/** One statement on its own (autocommit), named on PostgreSQL like those of rawTransaction. */
export async function rawQuery<T>(db: Db, statement: Statement, values: unknown[]): Promise<T[]> {
  const client = driverOf(db);
  // PGlite's own query() takes both of its locks: the transaction one (no statement lands inside another
  // caller's open transaction) and the query one.
  if (client instanceof PGlite)
    return client._runExclusiveTransaction(() =>
      client.runExclusive(() => pglitePrepared<T>(client, statement, values.map(parameter), { syncToFs: true })),
    );
  return (await client.query({ name: statement.name, text: statement.text, values: values.map(parameter) }))
    .rows as T[];
}

/** Drizzle over one pooled connection, for the use cases a raw transaction calls into; made once per connection. */
const drizzleOf = new WeakMap<pg.PoolClient, Db>();

export interface RawTransactionOptions {
  /**
   * Use each statement's generic plan, made once per connection, instead of letting PostgreSQL choose. A statement
   * fed with arrays has its generic plan costed for 100-element arrays, so for a batch of a few elements PostgreSQL
   * plans it afresh every time — and planning the fraud screen's statement cost more than running it (~1.5 ms of a
   * lone sale's 4 ms). For large batches the fresh plan is worth its cost (measured: throughput fell by a fifth with
   * generic plans under load), so callers ask for this for small batches only.
   */
  planOnce?: boolean;
}

/**
 * Runs `work` in one transaction on the driver under Drizzle, for the few hot paths (click and conversion
 * batches) that send their own set-based SQL: there, Drizzle's query building and PostgreSQL's planning of the
 * same statements over and over were a large share of the CPU. Rows come back as the driver parses them.
 * `tx` is the same transaction through Drizzle, for use cases written with it (fraud screening).
 */
export async function rawTransaction<T>(
  db: Db,
  work: (query: RawQuery, tx: Db) => Promise<T>,
  options: RawTransactionOptions = {},
): Promise<T> {
  const client = driverOf(db);
  if (client instanceof PGlite)
    return client.transaction(async (transaction) => {
      if (options.planOnce) await transaction.exec("set local plan_cache_mode = force_generic_plan");
      return work(
        // Under the transaction's lock, and the query lock as the transaction's own queries are.
        <R>(statement: Statement, values: unknown[]) =>
          client.runExclusive(() => pglitePrepared<R>(client, statement, values.map(parameter), { syncToFs: false })),
        // A PGlite transaction answers queries like PGlite itself, which is all Drizzle's session asks of it.
        drizzlePglite(transaction as unknown as PGlite, { schema }) as unknown as Db,
      );
    });
  const connection = await client.connect();
  let broken: Error | undefined;
  // Pipelined while the transaction runs (node-postgres sends a query without waiting for the answers to those
  // before it): "begin" travels with the first statement, and statements the work sends without awaiting the one
  // before (see RawQuery) go together. Under load each round trip cost about as much as a statement (~0.8 ms of a
  // 7 ms round of sales), because both ends wait to be scheduled. Off again before the connection goes back.
  setPipelined(connection, true);
  try {
    // The simple protocol takes both commands in one message.
    const begun = connection.query(
      options.planOnce ? "begin; set local plan_cache_mode = force_generic_plan" : "begin",
    );
    // Settled before the first statement's answer arrives; awaited by each statement, so a failed begin fails it.
    begun.catch(() => {});
    let tx = drizzleOf.get(connection);
    if (!tx) {
      tx = drizzlePg(connection, { schema }) as unknown as Db;
      drizzleOf.set(connection, tx);
    }
    const result = await work(async <R>(statement: Statement, values: unknown[]) => {
      const answer = connection.query({ name: statement.name, text: statement.text, values: values.map(parameter) });
      try {
        await begun;
      } catch (error) {
        answer.catch(() => {});
        throw error;
      }
      return (await answer).rows as R[];
    }, tx);
    await begun;
    await connection.query("commit");
    return result;
  } catch (error) {
    await connection.query("rollback").catch((failure: Error) => {
      // A connection that cannot even roll back is not given back to the pool.
      broken = failure;
    });
    throw error;
  } finally {
    setPipelined(connection, false);
    connection.release(broken);
  }
}

/**
 * node-postgres's pipeline mode (8.23), which its types do not declare yet. Switched only between queries: once
 * every answer is in, a pipelined connection's state is that of one that never was.
 */
const setPipelined = (connection: pg.PoolClient, on: boolean) => {
  (connection as unknown as { pipeline: boolean }).pipeline = on;
};
