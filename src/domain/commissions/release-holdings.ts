import { sql } from "drizzle-orm";
import { type Db, selectRows } from "../../db/client.js";
import type { Clock } from "../../lib/clock.js";

/**
 * Approves pending entries whose holding period (the refund window) has ended. Held entries — put on hold by a
 * manager or by fraud review — are not pending and stay out, and so does a bonus whose month has a held sale. Safe to run on several instances at once: the
 * status condition makes a second run a no-op.
 */
export async function releaseHoldings(deps: { db: Db; clock: Clock }): Promise<number> {
  const now = deps.clock.now().toISOString();
  const rows = await selectRows<{ id: string }>(
    deps.db,
    // Per program, so each is a range of (program_id, status, hold_until): without the program, that index could
    // not be used, and every run read the whole ledger.
    // A bonus waits while a sale of its month is held by review: should the sale be rejected, the month may no
    // longer reach the bonus (see uncount-rejected.ts), and a bonus already paid could not be withdrawn.
    sql`update commission_entries e set status = 'approved', status_changed_at = ${now}::timestamptz
        where e.program_id = any(array(select id from programs)) and e.status = 'pending'
          and e.hold_until <= ${now}::timestamptz
          and (e.kind <> 'bonus' or not exists (
            select 1 from commission_entries h
            where h.partner_id = e.partner_id and h.program_id = e.program_id and h.kind = 'commission'
              and h.status = 'held'
              and h.occurred_at >= date_trunc('month', e.occurred_at at time zone 'UTC') at time zone 'UTC'
              and h.occurred_at < (date_trunc('month', e.occurred_at at time zone 'UTC') + interval '1 month') at time zone 'UTC'))
        returning e.id`,
  );
  return rows.length;
}
