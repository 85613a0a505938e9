import { sql } from "drizzle-orm";
import { type Db, selectRows } from "../../db/client.js";
import type { Clock } from "../../lib/clock.js";

/** How long a run keeps the list of partners it did not pay. */
export const PAYOUT_SKIPS_KEPT_DAYS = 90;

/**
 * The daily run records every partner it leaves out (below the minimum, no method, no tax form), so a partner
 * stuck under the minimum adds a row a day to each program. Runs older than 90 days drop that list: the portal only
 * shows a partner's latest skip, and a partner still left out has a fresh one from the last run. Deleting by run
 * reads the skips' primary key (run first), not the whole table.
 */
export async function prunePayoutSkips(deps: { db: Db; clock: Clock }): Promise<{ deleted: number }> {
  const before = new Date(deps.clock.now().getTime() - PAYOUT_SKIPS_KEPT_DAYS * 86_400_000);
  const [row] = await selectRows<{ deleted: number }>(
    deps.db,
    sql`with gone as (
          delete from payout_skips s using payout_runs r
          where s.run_id = r.id and r.started_at < ${before.toISOString()}::timestamptz
          returning 1)
        select count(*)::int as deleted from gone`,
  );
  return { deleted: row?.deleted ?? 0 };
}
