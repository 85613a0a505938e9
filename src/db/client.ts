import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { ExtractTablesWithRelations, SQL } from "drizzle-orm";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import pg from "pg";
import * as schema from "./schema/index.js";

export type Schema = typeof schema;
/** One Drizzle type for both drivers; a transaction is also a `Db`, so use cases accept either. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;

export interface Database {
  db: Db;
  kind: "pglite" | "postgres";
  /** The raw PGlite instance when embedded (tests dump and load its data dir). */
  pglite?: PGlite;
  pool?: pg.Pool;
  /** PostgreSQL only: for connections outside the pool (LISTEN). */
  connectionString?: string;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl?: string | undefined;
  dataDir?: string | undefined;
  poolSize?: number;
  /** A PGlite data dir dump to start from (tests). */
  loadDataDir?: Blob | File;
}

// node-postgres returns int8 as strings by default; bigint columns are read as BigInt by Drizzle's mode.
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 20,
      // Timestamps are read back in UTC whatever the server's or the URL's TimeZone: a zone whose old offsets have
      // seconds (Amsterdam before 1937: +00:19:32) answers in a form the driver reads as an invalid date. The pool
      // waits for this before handing the connection out, and drops a connection where it fails.
      // JIT off: the set-based statements of a large group-commit round are estimated above jit_above_cost, and
      // PostgreSQL then compiled the fraud screen of a 300-sale round with LLVM for 2.4–3.2 s (auto_explain's JIT
      // timing), on a statement that runs in milliseconds; statements of this application gain nothing from it.
      onConnect: async (client) => {
        await client.query("set time zone 'UTC'; set jit = off");
      },
    });
    // An idle connection that the server drops (restart, failover, admin kill) must not crash the process:
    // the pool discards it and opens a new one on the next query.
    pool.on("error", (error) => process.emitWarning(`PostgreSQL connection lost: ${error.message}`));

    const db = drizzlePg(pool, { schema }) as unknown as Db;
    return { db, kind: "postgres", pool, connectionString: options.databaseUrl, close: () => pool.end() };
  }
  let dataDir: string | undefined;
  if (options.dataDir) {
    mkdirSync(options.dataDir, { recursive: true });
    dataDir = join(options.dataDir, "pglite");
  }
  const pglite = await PGlite.create(dataDir, options.loadDataDir ? { loadDataDir: options.loadDataDir } : {});
  await pglite.exec("set time zone 'UTC'");
  const db = drizzlePglite(pglite, { schema }) as unknown as Db;
  return { db, kind: "pglite", pglite, close: () => pglite.close() };
}

/** Raw SQL rows; both drivers answer `{ rows }`, which the shared Drizzle type leaves untyped. */
export async function selectRows<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

/** Rows a raw statement changed: node-postgres says rowCount, PGlite affectedRows. */
export const affectedRows = (result: unknown): number => {
  const r = result as { rowCount?: number | null; affectedRows?: number };
  return r.rowCount ?? r.affectedRows ?? 0;
};
