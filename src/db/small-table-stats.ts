import { sql } from "drizzle-orm";
import { arrayLiteral } from "./array-literal.js";
import { type Db, selectRows } from "./client.js";

/**
 * Tables whose size is set by configuration, not by traffic — a handful of programs, their plans and fraud settings,
 * the team — and which reads join or look up on every request.
 */
const SMALL_TABLES = [
  "programs",
  "commission_plans",
  "commission_plan_versions",
  "fraud_rule_settings",
  "team_users",
] as const;

/**
 * Analyzes each of SMALL_TABLES that has rows and was never analyzed, or changed since it last was.
 *
 * Why: PostgreSQL's autovacuum analyzes a table once more than 50 rows (+10 %) changed, so a table of three
 * programs is never analyzed, and the planner, which sizes a never-analyzed table as at least 10 pages, guessed
 * about 120 programs for joins against it (12 once analyzed while empty, as the first run after install does). PGlite
 * has no autovacuum at all, and a server may run with it off (this machine's CI does). Per-table
 * `autovacuum_analyze_threshold` settings were the alternative: they do nothing on either of those, and no test
 * could wait for autovacuum's next round. Analyzing a table of a few rows takes about a millisecond and locks out
 * only schema changes and other analyzes; a table the application's role does not own is skipped with a warning.
 *
 * `reltuples < 0` (the catalog's "never analyzed nor vacuumed") is read on both engines; `n_mod_since_analyze`
 * (the statistics system's count of rows changed) reaches pg_stat_user_tables within a second or so of a commit.
 */
export async function analyzeSmallTables(db: Db): Promise<{ analyzed: string[] }> {
  const rows = await selectRows<{ name: string }>(
    db,
    sql`select c.relname as name
        from pg_class c
          join pg_namespace n on n.oid = c.relnamespace and n.nspname = current_schema()
          left join pg_stat_user_tables s on s.relid = c.oid
        where c.relname = any(${arrayLiteral(SMALL_TABLES)}::text[]) and c.relkind = 'r'
          and pg_relation_size(c.oid) > 0 and (c.reltuples < 0 or s.n_mod_since_analyze > 0)
        order by c.relname`,
  );
  for (const { name } of rows) await db.execute(sql`analyze ${sql.identifier(name)}`);
  return { analyzed: rows.map((r) => r.name) };
}
