import { sql } from "drizzle-orm";
import { type Db, selectRows } from "../../db/client.js";

/** The status reason of ledger entries held for fraud review; the portal shows any held entry as "on hold — under review". */
export const FRAUD_HOLD_REASON = "fraud review";
/** The status reason of ledger entries rejected by fraud review or a reject rule: the outcome, never the detection details. */
export const FRAUD_REJECT_REASON = "rejected after fraud review";

export type FraudEffect = "hold" | "reject";

/**
 * What fraud review means for the commissions of these conversions, for the commission engine to apply when it
 * creates their entries: `hold` → create them `held` (reason FRAUD_HOLD_REASON), `reject` → `rejected` (reason
 * FRAUD_REJECT_REASON). Conversions absent from the map earn normally (no case, a flag, or an approved case).
 * One indexed query (primary key) for the whole batch.
 */
export async function fraudHoldsFor(tx: Db, conversionIds: readonly string[]): Promise<Map<string, FraudEffect>> {
  if (conversionIds.length === 0) return new Map();
  const rows = await selectRows<{ conversion_id: string; effect: FraudEffect }>(
    tx,
    sql`select conversion_id,
          case when status = 'rejected' or action = 'reject' then 'reject' else 'hold' end as effect
        from fraud_reviews
        where conversion_id = any(${sql.param([...conversionIds])}::text[])
          and (status = 'rejected' or (status = 'open' and action in ('hold', 'reject')))`,
  );
  return new Map(rows.map((r) => [r.conversion_id, r.effect]));
}
