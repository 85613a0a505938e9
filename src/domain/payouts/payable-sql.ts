import { type SQL, sql } from "drizzle-orm";
import { payoutSchedules } from "../../db/schema/index.js";
import { payoutCutoff, RETURNED_TRANSFER_KEY_LIKE } from "./payout-rules.js";

/*
 * The payout rules (payout-rules.ts) as SQL over ledger rows `e` joined to their program `p`, for queries that span
 * programs with different schedules (the ledger totals). Each schedule's branch comes from payoutCutoff, so these
 * cannot drift from what a run pays.
 */

const datedColumn = (schedule: (typeof payoutSchedules)[number], asOf: Date): SQL =>
  payoutCutoff(schedule, asOf).basis === "approved" ? sql`e.status_changed_at` : sql`e.occurred_at`;

/** The time the row's schedule dates it by: its approval (monthly) or when it was earned (NET-N). */
export function scheduleDatedSql(asOf: Date): SQL {
  const branches = payoutSchedules.map((s) => sql`when ${s} then ${datedColumn(s, asOf)}`);
  return sql`(case p.payout_schedule ${sql.join(branches, sql` `)} end)`;
}

/**
 * True for an approved, unattached row that a run at `asOf` would pay: its schedule's cut-off passed, or it is
 * negative (it offsets the next payout), or it returns money a reversed Stripe transfer took back (due already).
 */
export function payableByScheduleSql(asOf: Date): SQL {
  const branches = payoutSchedules.map(
    (s) => sql`when ${s} then ${datedColumn(s, asOf)} < ${payoutCutoff(s, asOf).before.toISOString()}::timestamptz`,
  );
  return sql`(e.amount_minor < 0 or e.dedupe_key like ${RETURNED_TRANSFER_KEY_LIKE}
    or (case p.payout_schedule ${sql.join(branches, sql` `)} end))`;
}
