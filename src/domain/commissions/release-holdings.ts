import { sql } from "drizzle-orm";
import { type Db, selectRows } from "../../db/client.js";
import type { Clock } from "../../lib/clock.js";

/**
 * Approves pending entries whose holding period (the refund window) has ended. Held entries — put on hold by a
 * manager or by fraud review — are not pending and stay out. Safe to run on several instances at once: the
 * status condition makes a second run a no-op.
 */
export async function releaseHoldings(deps: { db: Db; clock: Clock }): Promise<number> {
  const now = deps.clock.now().toISOString();
  const rows = await selectRows<{ id: string }>(
    deps.db,
    sql`update commission_entries set status = 'approved', status_changed_at = ${now}::timestamptz
        where status = 'pending' and hold_until <= ${now}::timestamptz
        returning id`,
  );
  return rows.length;
}
