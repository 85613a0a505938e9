import { type SQL, sql } from "drizzle-orm";
import { arrayLiteral } from "../../db/array-literal.js";
import type { Db } from "../../db/client.js";
import { type CommissionStatus, finalCommissionStatuses } from "../../db/schema/index.js";

/*
 * commission_final_totals keeps the money of paid and rejected entries per program, partner and currency, so the
 * ledger totals read those from a row each instead of summing every entry ever paid. Every statement that moves
 * entries into a final status (or writes them in one) adds them here in the same transaction: the engine's
 * insert, reviews, fraud decisions, withdrawn bonuses, payouts marked paid. Nothing leaves a final status (the
 * ledger's trigger refuses it), so the totals only ever grow by what enters.
 */

/** The moved entries' shape: a row source with these columns (a CTE's name, or `unnest(…) as m(…)`). */
const COLUMNS = "program_id, partner_id, currency, status, amount_minor";

export const isFinalStatus = (status: string): boolean =>
  (finalCommissionStatuses as readonly string[]).includes(status);

/**
 * The statement (or the body of a data-modifying CTE) adding the final-status entries among `moved` to the kept
 * totals. Rows go in key order, so two transactions adding to the same partners lock their rows in the same order;
 * `x = x + excluded.x` makes the second wait for the first's row and add to what it wrote.
 */
const addToFinalTotals = (moved: SQL): SQL => sql`
  insert into commission_final_totals as t (program_id, partner_id, currency, paid_minor, rejected_minor)
  select program_id, partner_id, currency,
    coalesce(sum(amount_minor) filter (where status = 'paid'), 0),
    coalesce(sum(amount_minor) filter (where status = 'rejected'), 0)
  from ${moved}
  where status in ('paid', 'rejected')
  group by 1, 2, 3 order by 1, 2, 3
  on conflict (program_id, partner_id, currency) do update set
    paid_minor = t.paid_minor + excluded.paid_minor, rejected_minor = t.rejected_minor + excluded.rejected_minor`;

/**
 * One statement: `change` (an update or insert whose `returning` gives program_id, partner_id, currency, status and
 * amount_minor, besides what `select` reads) and the kept totals' share of what it moved, answering `select` over
 * the changed rows (named `moved`).
 */
export const keepingFinalTotals = (change: SQL, select: SQL): SQL =>
  sql`with moved as (${change}), kept as (${addToFinalTotals(sql`moved`)}) select ${select} from moved`;

export interface MovedEntry {
  programId: string;
  partnerId: string;
  currency: string;
  status: CommissionStatus;
  amountMinor: bigint;
}

/** Adds entries a statement just moved (as it returned them) to the kept totals, when any is now final. */
export async function keepFinalTotals(tx: Db, entries: MovedEntry[]): Promise<void> {
  const final = entries.filter((e) => isFinalStatus(e.status));
  if (final.length === 0) return;
  const col = (pick: (e: MovedEntry) => string) => arrayLiteral(final.map(pick));
  await tx.execute(
    addToFinalTotals(sql`unnest(${col((e) => e.programId)}::text[], ${col((e) => e.partnerId)}::text[],
      ${col((e) => e.currency)}::text[], ${col((e) => e.status)}::text[],
      ${col((e) => e.amountMinor.toString())}::bigint[]) as m(${sql.raw(COLUMNS)})`),
  );
}
