import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { openDatabase } from "../../src/db/client.js";
import { migrateDatabase } from "../../src/db/migrate.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** PGlite: path of a migrated data-dir dump. PostgreSQL: name of the migrated template database. */
    testDbSource: { kind: "pglite"; dumpPath: string } | { kind: "postgres"; url: string; template: string };
  }
}

export const databaseUrlWith = (url: string, database: string) => {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
};

/**
 * Migrates one database per run: a PGlite data dir dumped to a file, or a PostgreSQL template database.
 * Every test file then starts from a copy, which is far faster than migrating each time.
 */
export default async function setup(project: TestProject) {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const database = await openDatabase({});
    await migrateDatabase(database);
    const dump = await database.pglite!.dumpDataDir("none");
    const dumpPath = join(tmpdir(), `tributary-test-${process.pid}.tar`);
    writeFileSync(dumpPath, Buffer.from(await dump.arrayBuffer()));
    await database.close();
    project.provide("testDbSource", { kind: "pglite", dumpPath });
    return;
  }
  const template = `${new URL(url).pathname.slice(1) || "tributary"}_template_${process.pid}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database "${template}"`);
  const database = await openDatabase({ databaseUrl: databaseUrlWith(url, template), poolSize: 2 });
  await migrateDatabase(database);
  await database.close();
  project.provide("testDbSource", { kind: "postgres", url, template });
  return async () => {
    // Test files drop their own databases; this removes the template and anything a crashed file left.
    const { rows } = await admin.query<{ datname: string }>("select datname from pg_database where datname like $1", [
      `${template}%`,
    ]);
    for (const { datname } of rows) {
      if (datname !== template) await admin.query(`drop database if exists "${datname}" with (force)`);
    }
    await admin.query(`drop database if exists "${template}" with (force)`);
    await admin.end();
  };
}
