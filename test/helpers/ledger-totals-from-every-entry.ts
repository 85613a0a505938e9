import { sql } from "drizzle-orm";
import { expect } from "vitest";
import { selectRows } from "../../src/db/client.js";
import {
  foldSums,
  type LedgerFilter,
  type LedgerTotals,
  ledgerSums,
  ledgerTotals,
  type SumsRow,
  scopedTo,
} from "../../src/domain/commissions/ledger-totals.js";
import type { Ctx } from "../../src/domain/context.js";

/**
 * What ledgerTotals answers, summed from every entry of the ledger as it was before paid and rejected money was
 * kept apart (commission_final_totals): its cost grows with the ledger (78 ms at 210,000 entries), so it checks
 * the kept totals in tests and serves no request.
 */
export async function ledgerTotalsFromEveryEntry(
  ctx: Pick<Ctx, "db" | "clock">,
  filter: LedgerFilter,
): Promise<LedgerTotals[]> {
  const rows = await selectRows<SumsRow>(
    ctx.db,
    sql`${ledgerSums(ctx.clock.now(), scopedTo("e", filter))} order by currency`,
  );
  return foldSums(rows);
}

/** The ledger totals (kept paid and rejected money, plus the entries still moving) are what every entry adds up to. */
export async function expectLedgerTotalsOfEveryEntry(
  ctx: Pick<Ctx, "db" | "clock">,
  filter: LedgerFilter,
  message = JSON.stringify(filter),
): Promise<void> {
  expect(await ledgerTotals(ctx, filter), message).toEqual(await ledgerTotalsFromEveryEntry(ctx, filter));
}
