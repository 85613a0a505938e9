import { join } from "node:path";
import { sql } from "drizzle-orm";
import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import type { PgliteDatabase } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { packageRoot } from "../lib/package-root.js";
import type { Database } from "./client.js";

export const migrationsFolder = join(packageRoot, "src", "db", "migrations");

// Any number of app processes may boot at once against one PostgreSQL; the advisory lock makes them migrate in turn.
const MIGRATION_LOCK = 7_230_001;

/**
 * Applies the committed, forward-only SQL migrations. Safe to run on every boot. (`folder`: tests upgrading a
 * database from an earlier migration apply a copy holding only the ones before it.)
 */
export async function migrateDatabase(database: Database, folder = migrationsFolder): Promise<void> {
  if (database.kind === "pglite") {
    await migratePglite(database.db as unknown as PgliteDatabase, { migrationsFolder: folder });
    return;
  }
  const client = await database.pool!.connect();
  try {
    await client.query("select pg_advisory_lock($1)", [MIGRATION_LOCK]);
    await migratePg(database.db as unknown as NodePgDatabase, { migrationsFolder: folder });
  } finally {
    await client.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
}

export const pingDatabase = async (database: Database): Promise<void> => {
  await database.db.execute(sql`select 1`);
};
