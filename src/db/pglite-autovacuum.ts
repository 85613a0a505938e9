import { sql } from "drizzle-orm";
import { type Db, selectRows } from "./client.js";
import { postgresPoolOf } from "./raw-transaction.js";

/**
 * PGlite has no autovacuum, so on it nothing ever analyzes a growing table or reclaims the rows deleted from one.
 * Without statistics the planner guesses, and guesses wrong at volume: the commission engine's read of the head of
 * its queue (an index scan of its primary key, stopping after a batch) became a scan and sort of the whole queue,
 * 159 ms instead of 0.9 ms a batch at 300,000 queued sales and half a second at a million, on the server's thread.
 * And a table whose rows are deleted (the queue) or updated (customers, jobs) only grows.
 *
 * This stands in for autovacuum with its own default thresholds: a table is vacuumed and analyzed once more than
 * 50 rows plus a fifth of it are dead, and analyzed once more than 50 rows plus a tenth of it changed since it
 * last was (or when it has rows and never was). On PostgreSQL, autovacuum does this and this does nothing.
 * PGlite runs VACUUM on the server's thread: a table of a million rows takes about a second, which the thresholds
 * make rare (see the README's PGlite notes).
 */
export async function vacuumLikeAutovacuum(db: Db): Promise<{ vacuumed: string[]; analyzed: string[] }> {
  if (postgresPoolOf(db)) return { vacuumed: [], analyzed: [] };
  const tables = await selectRows<{ schema: string; name: string; vacuum: boolean }>(
    db,
    sql`select schema, name, vacuum from (
          select s.schemaname as schema, s.relname as name,
            s.n_dead_tup > 50 + 0.2 * greatest(c.reltuples, 0) as vacuum,
            s.n_mod_since_analyze > 50 + 0.1 * greatest(c.reltuples, 0)
              or (c.reltuples < 0 and pg_relation_size(c.oid) > 0) as stale
          from pg_stat_user_tables s join pg_class c on c.oid = s.relid
        ) t
        where vacuum or stale
        order by schema, name`,
  );
  const vacuumed: string[] = [];
  const analyzed: string[] = [];
  for (const { schema, name, vacuum } of tables) {
    const table = sql`${sql.identifier(schema)}.${sql.identifier(name)}`;
    await db.execute(vacuum ? sql`vacuum (analyze) ${table}` : sql`analyze ${table}`);
    (vacuum ? vacuumed : analyzed).push(`${schema}.${name}`);
  }
  return { vacuumed, analyzed };
}
