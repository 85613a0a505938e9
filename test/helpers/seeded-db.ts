import type { Database } from "../../src/db/client.js";
import type { Ctx } from "../../src/domain/context.js";
import { systemActor } from "../../src/domain/context.js";
import type { Clock } from "../../src/lib/clock.js";

/** A use case's context on a test database, as the system, with a clock the test sets and no log. */
export const systemCtx = (database: Database, clock: Clock): Ctx => ({
  db: database.db,
  clock,
  log: { info() {}, warn() {}, error() {}, debug() {} } as unknown as Ctx["log"],
  actor: systemActor,
  config: { sessionTtlHours: 1 },
});

/** Runs a script of several statements, on one connection (a `set session_replication_role` is the session's). */
export async function runScript(database: Database, script: string): Promise<void> {
  if (database.pglite) return void (await database.pglite.exec(script));
  const client = await database.pool!.connect();
  try {
    await client.query(script);
  } finally {
    client.release();
  }
}
