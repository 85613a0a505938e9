import { finished } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";

/** Characters COPY's text format gives a meaning to inside a value, and what stands for each. */
const SPECIAL = /[\\\t\n\r]/g;
const ESCAPED: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };
const HAS_SPECIAL = /[\\\t\n\r]/;

/**
 * One value in COPY's text format: `\N` for null, backslash, tab and line breaks escaped. Text must not hold NUL,
 * which PostgreSQL's text type refuses whatever the protocol (callers clip it off first).
 */
export const copyValue = (value: string | null | undefined): string =>
  value === null || value === undefined
    ? "\\N"
    : HAS_SPECIAL.test(value)
      ? value.replace(SPECIAL, (c) => ESCAPED[c]!)
      : value;

/**
 * Appends rows to a table with COPY FROM STDIN (PostgreSQL only), in one statement on its own connection, committed
 * when it returns. `lines` is COPY text: one line per row, values made with copyValue and joined by tabs. For
 * append-only hot paths: PostgreSQL loads COPY rows with none of an INSERT's per-row executor work — measured
 * here, 15 µs of PostgreSQL CPU per click instead of 27 for the same batch through INSERT ... SELECT unnest(...).
 * COPY has no ON CONFLICT: a duplicate key fails the whole statement, and nothing of it is kept.
 */
export async function copyRows(pool: pg.Pool, table: string, columns: readonly string[], lines: string): Promise<void> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    const stream = client.query(copyFrom(`copy ${table} (${columns.join(", ")}) from stdin`));
    stream.end(lines);
    // The stream finishes once PostgreSQL has answered CommandComplete: the rows are committed.
    await finished(stream);
  } catch (error) {
    // A connection that failed mid-COPY is not trusted again: the pool opens a fresh one.
    broken = error as Error;
    throw error;
  } finally {
    client.release(broken);
  }
}
