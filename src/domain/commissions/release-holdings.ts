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
    // Per program, so each is a range of (program_id, status, hold_until): without the program, that index could
    // not be used, and every run read the whole ledger.
    sql`update commission_entries set status = 'approved', status_changed_at = ${now}::timestamptz
        where program_id = any(array(select id from programs)) and status = 'pending'
          and hold_until <= ${now}::timestamptz
        returning id`,
  );
  return rows.length;
}
