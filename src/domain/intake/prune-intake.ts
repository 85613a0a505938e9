import { sql } from "drizzle-orm";
import { type Db, selectRows } from "../../db/client.js";
import type { Clock } from "../../lib/clock.js";

/** How long a refused submission (and a retry pointing at an earlier conversion) can still be looked up. */
export const INTAKE_KEPT_DAYS = 30;

/** Deletes processed submissions past their retention, through the index of processed ones. */
export async function pruneIntake(deps: { db: Db; clock: Clock }): Promise<{ pruned: number }> {
  const before = new Date(deps.clock.now().getTime() - INTAKE_KEPT_DAYS * 86_400_000);
  const [row] = await selectRows<{ pruned: number }>(
    deps.db,
    sql`with gone as (
          delete from conversion_intake
          where processed_at is not null and processed_at < ${before.toISOString()}::timestamptz
          returning 1)
        select count(*)::int as pruned from gone`,
  );
  return { pruned: row?.pruned ?? 0 };
}
