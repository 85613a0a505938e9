import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import type pg from "pg";
import type { Db } from "./client.js";
import * as schema from "./schema/index.js";

/**
 * A statement a hot path sends as is. On PostgreSQL it is prepared once per connection, by name, and after a few
 * runs PostgreSQL keeps one generic plan for it when that plan is as good as a fresh one: planning was a fifth of
 * these statements' cost. Write them so that every plan is index-driven whatever the tables held when it was made.
 */
export interface Statement {
  /** Unique per text: a connection remembers the statement under this name. */
  name: string;
  text: string;
}

export type RawQuery = <T>(statement: Statement, values: unknown[]) => Promise<T[]>;

type Driver = pg.Pool | PGlite;
const driverOf = (db: Db): Driver => {
  const client = (db as unknown as { $client?: Driver }).$client;
  if (!client) throw new Error("raw statements need the database itself, not a Drizzle transaction");
  return client;
};

/** One statement on its own (autocommit), named on PostgreSQL like those of rawTransaction. */
export async function rawQuery<T>(db: Db, statement: Statement, values: unknown[]): Promise<T[]> {
  const client = driverOf(db);
  if (client instanceof PGlite) return (await client.query<T>(statement.text, values)).rows;
  return (await client.query({ name: statement.name, text: statement.text, values })).rows as T[];
}

/** Drizzle over one pooled connection, for the use cases a raw transaction calls into; made once per connection. */
const drizzleOf = new WeakMap<pg.PoolClient, Db>();

/**
 * Runs `work` in one transaction on the driver under Drizzle, for the few hot paths (click and conversion
 * batches) that send their own set-based SQL: there, Drizzle's query building and PostgreSQL's planning of the
 * same statements over and over were a large share of the CPU. Rows come back as the driver parses them.
 * `tx` is the same transaction through Drizzle, for use cases written with it (fraud screening).
 */
export async function rawTransaction<T>(db: Db, work: (query: RawQuery, tx: Db) => Promise<T>): Promise<T> {
  const client = driverOf(db);
  if (client instanceof PGlite)
    return client.transaction((transaction) =>
      work(
        async <R>(statement: Statement, values: unknown[]) => (await transaction.query<R>(statement.text, values)).rows,
        // A PGlite transaction answers queries like PGlite itself, which is all Drizzle's session asks of it.
        drizzlePglite(transaction as unknown as PGlite, { schema }) as unknown as Db,
      ),
    );
  const connection = await client.connect();
  let broken: Error | undefined;
  try {
    await connection.query("begin");
    let tx = drizzleOf.get(connection);
    if (!tx) {
      tx = drizzlePg(connection, { schema }) as unknown as Db;
      drizzleOf.set(connection, tx);
    }
    const result = await work(
      async <R>(statement: Statement, values: unknown[]) =>
        (await connection.query({ name: statement.name, text: statement.text, values })).rows as R[],
      tx,
    );
    await connection.query("commit");
    return result;
  } catch (error) {
    await connection.query("rollback").catch((failure: Error) => {
      // A connection that cannot even roll back is not given back to the pool.
      broken = failure;
    });
    throw error;
  } finally {
    connection.release(broken);
  }
}
