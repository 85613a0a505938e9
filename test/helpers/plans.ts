import type { Database } from "../../src/db/client.js";

/** Rows of a statement run as is, on PGlite or PostgreSQL. */
export async function rowsOf<T>(database: Database, sql: string, values: unknown[] = []): Promise<T[]> {
  return database.pglite
    ? (await database.pglite.query<T>(sql, values)).rows
    : (await database.pool!.query(sql, values)).rows;
}

/** Each index of these tables and its first column: what a scan of it must be keyed by to stay a lookup. */
export async function leadingColumns(database: Database, tables: string[]): Promise<Map<string, string>> {
  const rows = await rowsOf<{ index: string; lead: string }>(
    database,
    `select ix.relname as index, a.attname as lead
     from pg_index i join pg_class ix on ix.oid = i.indexrelid join pg_class t on t.oid = i.indrelid
       join pg_attribute a on a.attrelid = t.oid and a.attnum = i.indkey[0]
     where t.relname in (${tables.map((g) => `'${g}'`).join(", ")})`,
  );
  return new Map(rows.map((r) => [r.index, r.lead]));
}

/** Sequential scans of these tables in a plan. */
export const seqScansOf = (plan: string, tables: string[]) =>
  tables.filter((table) => new RegExp(`Seq Scan on ${table}\\b`).test(plan));

/**
 * Index scans not keyed by the index's first column (`leading`: index → column; other indexes are ignored): such
 * a scan walks the whole index, or a time range of it across every program (the duplicate-order check once read
 * every conversion of the last half hour through (program_id, occurred_at), 15,000 index entries per sale, for
 * want of an index on the customer).
 */
export function unkeyedIndexScans(plan: string, leading: Map<string, string>): string[] {
  const lines = plan.split("\n");
  const unkeyed: string[] = [];
  lines.forEach((line, i) => {
    const index = /(?:Index Scan|Index Only Scan|Bitmap Index Scan)(?: Backward)? (?:using|on) (\w+)/.exec(line)?.[1];
    const lead = index && leading.get(index);
    if (!lead) return;
    // The node's own details follow it, up to the next node.
    const next = lines.findIndex((l, j) => j > i && l.includes("->"));
    const details = lines.slice(i + 1, next < 0 ? undefined : next).join(" ");
    const condition = /Index Cond: (.*)/.exec(details)?.[1] ?? "";
    if (!new RegExp(`\\(${lead} = `).test(condition)) unkeyed.push(`${index}: ${condition || "no condition"}`);
  });
  return unkeyed;
}
