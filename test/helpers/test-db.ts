import { readFileSync } from "node:fs";
import pg from "pg";
import { inject } from "vitest";
import { type Database, openDatabase } from "../../src/db/client.js";
import { randomToken } from "../../src/lib/crypto.js";
import { databaseUrlWith } from "./global-setup.js";

/**
 * A fresh, migrated database for one test file: a PGlite copy of the dump, or a PostgreSQL copy of the template.
 * `migrated: false`: an empty one, for tests that migrate it themselves.
 */
export async function createTestDb({ migrated = true } = {}): Promise<Database> {
  const source = inject("testDbSource");
  if (source.kind === "pglite") {
    return migrated ? openDatabase({ loadDataDir: new Blob([readFileSync(source.dumpPath)]) }) : openDatabase({});
  }
  const name = `${source.template}_${randomToken(6)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "x")}`;
  const admin = new pg.Client({ connectionString: source.url });
  await admin.connect();
  try {
    await admin.query(`create database "${name}"${migrated ? ` template "${source.template}"` : ""}`);
  } finally {
    await admin.end();
  }
  const database = await openDatabase({ databaseUrl: databaseUrlWith(source.url, name), poolSize: 5 });
  return {
    ...database,
    close: async () => {
      await database.close();
      const dropper = new pg.Client({ connectionString: source.url });
      await dropper.connect();
      await dropper.query(`drop database if exists "${name}" with (force)`);
      await dropper.end();
    },
  };
}
