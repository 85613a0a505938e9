import { formatUtcDate } from "./format.js";
import { formatMoney } from "./money.js";
import type { LedgerTotals } from "./types.js";

/*
 * What the ledger tiles say under Pending and Approved, from the server's split of the money (see ledgerTotals):
 * approved money is due now only when the program's payout schedule makes it payable, and pending money waits for
 * its holding period. Nothing here promises a payout the schedule has not made due.
 */

/** The currency the tiles put first when the page names none (no program chosen). */
export const TILES_FIRST_CURRENCY = "USD";

/**
 * The currencies of a set of totals in a stable order: `preferred` (the program's) first, then by code. The server
 * sends one row per currency; the tiles show each of them, never a sum across currencies.
 */
export function orderedTotals(totals: LedgerTotals[], preferred?: string): LedgerTotals[] {
  return [...totals].sort((a, b) =>
    a.currency === preferred ? -1 : b.currency === preferred ? 1 : a.currency.localeCompare(b.currency),
  );
}

const earliest = (dates: (string | null)[]): string | null =>
  dates.filter((d): d is string => Boolean(d)).sort()[0] ?? null;

/** Under Pending: it is approved as its holding period ends, and when the next one does. */
export function pendingNote(totals: LedgerTotals[]): string {
  const next = earliest(totals.filter((t) => t.pending !== 0).map((t) => t.pendingUntil));
  return next
    ? `Approved as holding periods end; the next on ${formatUtcDate(next)}`
    : "Approved when its holding period ends";
}

/**
 * Under Approved, one line per part: what the schedule makes due now, what it pays later (from when), and what is in
 * a payout on its way. With a single currency and a single part the amount is the tile's own, so it is not repeated.
 */
export function approvedNotes(totals: LedgerTotals[], preferred: string = TILES_FIRST_CURRENCY): string[] {
  // In the tiles' order of currencies, so each line sits beside its figure.
  const withMoney = orderedTotals(
    totals.filter((t) => t.approved !== 0 || t.due !== 0 || t.notDue !== 0 || t.inPayouts !== 0),
    preferred,
  );
  if (withMoney.length === 0) return ["Paid on the program's payout schedule"];
  const lines: string[] = [];
  for (const t of withMoney) {
    const parts: { amount: number; text: string; bare: string }[] = [];
    if (t.due > 0) parts.push({ amount: t.due, text: "due for payout now", bare: "Due for payout now" });
    if (t.due < 0)
      parts.push({
        amount: t.due,
        text: "offsets the next payout",
        bare: "Offsets the next payout",
      });
    if (t.notDue !== 0) {
      const from = t.dueFrom ? formatUtcDate(t.dueFrom) : null;
      parts.push({
        amount: t.notDue,
        text: from ? `due from ${from}` : "due later on the schedule",
        bare: from ? `Due for payout from ${from}` : "Due later on the payout schedule",
      });
    }
    if (t.inPayouts !== 0)
      parts.push({ amount: t.inPayouts, text: "in a payout on its way", bare: "In a payout on its way" });
    if (withMoney.length === 1 && parts.length === 1 && parts[0]!.amount === t.approved) return [parts[0]!.bare];
    for (const part of parts) {
      // formatMoney signs a negative amount with the minus sign itself.
      lines.push(`${formatMoney(part.amount, t.currency)} ${part.text}`);
    }
  }
  return lines;
}

/**
 * What the program owes the partner per currency: pending + approved + on hold, which is the closing balance its
 * statements show (every entry not rejected, less the payouts paid). "$158.00", or "€10.00 and $158.00".
 */
export function balanceOwed(totals: LedgerTotals[], preferred?: string): string {
  const owed = orderedTotals(totals, preferred)
    .map((t) => ({ currency: t.currency, amount: t.pending + t.approved + t.held }))
    .filter((t) => t.amount !== 0);
  if (owed.length === 0) return formatMoney(0, preferred ?? totals[0]?.currency ?? "USD");
  return owed.map((t) => formatMoney(t.amount, t.currency)).join(" and ");
}
