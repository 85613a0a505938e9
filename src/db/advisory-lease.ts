import type { Database } from "./client.js";

/** A session-level advisory lock, held on a connection of its own until released (or until that connection dies). */
export interface Lease {
  release(): Promise<void>;
}

/** Takes the lock: with `wait`, once whoever holds it lets go; without, at once or not at all (undefined). */
export type TakeLease = (wait: boolean) => Promise<Lease | undefined>;

/**
 * A lease on one advisory lock key for this PostgreSQL database, across every app instance using it. The lock is the
 * session's, not a transaction's, so it spans the many transactions of a run; if the process dies, PostgreSQL
 * closes its connection and the lock with it.
 */
export function advisoryLease(database: Database, key: bigint): TakeLease | undefined {
  // Embedded PGlite serves one process: there is no other instance to exclude.
  const pool = database.pool;
  if (!pool) return undefined;
  return async (wait) => {
    const client = await pool.connect();
    try {
      const { rows } = await client.query<{ locked: boolean }>(
        wait
          ? "select true as locked from pg_advisory_lock($1::bigint)"
          : "select pg_try_advisory_lock($1::bigint) as locked",
        [key.toString()],
      );
      if (!rows[0]?.locked) {
        client.release();
        return undefined;
      }
    } catch (error) {
      client.release(error instanceof Error ? error : true);
      throw error;
    }
    return {
      async release() {
        try {
          await client.query("select pg_advisory_unlock($1::bigint)", [key.toString()]);
          client.release();
        } catch (error) {
          // The connection is unusable: closing it ends the session, which releases the lock.
          client.release(error instanceof Error ? error : true);
        }
      },
    };
  };
}
