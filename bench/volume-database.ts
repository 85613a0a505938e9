import { sql } from "drizzle-orm";
import pg from "pg";
import { type Database, openDatabase, selectRows } from "../src/db/client.js";
import { migrateDatabase } from "../src/db/migrate.js";
import { databaseUrlWith } from "../test/helpers/global-setup.js";

/**
 * The at-volume benches' database: kept between runs under its own name (seeding millions of rows takes minutes),
 * reseeded with RESEED=1. `fresh` says whether `seededTable` is still empty, so the caller seeds it.
 */
export async function openVolumeDatabase(
  url: string,
  name: string,
  seededTable: string,
  poolSize: number,
): Promise<{ database: Database; fresh: boolean }> {
  const admin = async <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  const exists = await admin(
    async (c) => (await c.query("select 1 from pg_database where datname = $1", [name])).rowCount === 1,
  );
  if (exists && process.env.RESEED) await admin((c) => c.query(`drop database "${name}" with (force)`));
  if (!exists || process.env.RESEED) await admin((c) => c.query(`create database "${name}"`));
  const database = await openDatabase({ databaseUrl: databaseUrlWith(url, name), poolSize });
  await migrateDatabase(database);
  const [row] = await selectRows<{ n: number }>(database.db, sql.raw(`select count(*)::int as n from ${seededTable}`));
  return { database, fresh: row?.n === 0 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The median of five timed runs after a warm-up one, in ms to a tenth, and the last run's result. */
export async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  let result: T | undefined;
  const times: number[] = [];
  await work();
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    result = await work();
    times.push(performance.now() - started);
  }
  return { ms: Math.round(median(times) * 10) / 10, result: result! };
}
