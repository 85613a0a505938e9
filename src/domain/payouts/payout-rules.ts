import type { PayoutSchedule, PayoutSkipReason, TaxForm } from "../../db/schema/index.js";
import { minorToDecimal } from "../../lib/currency-digits.js";

const DAY_MS = 86_400_000;

export const startOfUtcMonth = (at: Date): Date => new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
export const addUtcMonths = (at: Date, months: number): Date =>
  new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + months, 1));

export const NET_DAYS: Record<Exclude<PayoutSchedule, "monthly">, number> = { net_15: 15, net_30: 30, net_60: 60 };

/**
 * Which approved entries a run at `asOf` may pay (all times UTC):
 * - `monthly`: entries approved before the first instant of asOf's month (approval time = `status_changed_at`
 *   of an approved entry);
 * - `net_N`: entries earned in a month that ended at least N days before asOf, i.e. `occurred_at` before the
 *   first instant of the month containing asOf − N days. January's commissions become payable on
 *   1 February + N days at 00:00.
 * Negative entries (clawbacks, negative adjustments) are payable as soon as they are approved, whatever the
 * schedule: they offset the next payout. So is money a reversed Stripe transfer returned (its entry's dedupe
 * key starts with RETURNED_TRANSFER_KEY_PREFIX): it was due already, like the entries of a failed payout.
 */
export const RETURNED_TRANSFER_KEY_PREFIX = "stripe_reversal:";
/** A LIKE pattern for those keys: `_` and `%` in the prefix escaped, as a bare `_` matches any character. */
export const RETURNED_TRANSFER_KEY_LIKE = `${RETURNED_TRANSFER_KEY_PREFIX.replace(/[\\%_]/g, "\\$&")}%`;

export function payoutCutoff(schedule: PayoutSchedule, asOf: Date): { basis: "approved" | "earned"; before: Date } {
  if (schedule === "monthly") return { basis: "approved", before: startOfUtcMonth(asOf) };
  return { basis: "earned", before: startOfUtcMonth(new Date(asOf.getTime() - NET_DAYS[schedule] * DAY_MS)) };
}

/**
 * The first instant a run pays a positive approved entry dated `dated` (its approval time for `monthly`, the time it
 * was earned for `net_N`): the inverse of payoutCutoff. Approved on 12 March (monthly) → 1 April 00:00; earned in
 * January (NET-15) → 16 February 00:00.
 */
export function payableFrom(schedule: PayoutSchedule, dated: Date): Date {
  const monthAfter = addUtcMonths(dated, 1);
  if (schedule === "monthly") return monthAfter;
  return new Date(monthAfter.getTime() + NET_DAYS[schedule] * DAY_MS);
}

export interface TaxFormRecord {
  form: TaxForm;
  validUntil: Date | null;
}

const FORM_NAMES: Record<TaxForm, string> = {
  w9: "W-9",
  w8ben: "W-8BEN",
  w8ben_e: "W-8BEN-E",
  not_required: "no tax form",
};
export const taxFormName = (form: TaxForm) => FORM_NAMES[form];

/** Why a partner cannot be paid by a program that requires a tax form, or null when it can. */
export function taxFormBlock(
  record: TaxFormRecord | undefined,
  at: Date,
): { reason: PayoutSkipReason; message: string } | null {
  if (!record)
    return {
      reason: "tax_form_missing",
      message:
        "This program pays only partners with a tax form on file (W-9, W-8BEN or W-8BEN-E). Send yours to the program team; your balance is kept and paid at the next payout run after it is recorded.",
    };
  if (record.validUntil && record.validUntil.getTime() <= at.getTime())
    return {
      reason: "tax_form_expired",
      message: `Your ${taxFormName(record.form)} lapsed on ${record.validUntil.toISOString().slice(0, 10)}. Send a new one to the program team; your balance is kept and paid at the next payout run after it is recorded.`,
    };
  return null;
}

export const NO_METHOD_MESSAGE =
  "Add a payout method (PayPal, Wise, bank account or Stripe) in the portal; your balance is kept and paid at the next payout run after that.";

/** W-8 forms stay in force until the end of the third calendar year after the year they are signed. */
export const defaultTaxFormExpiry = (form: TaxForm, signedAt: Date): Date | null =>
  form === "w8ben" || form === "w8ben_e" ? new Date(Date.UTC(signedAt.getUTCFullYear() + 4, 0, 1)) : null;

/** Why a run did not pay a positive balance under the program's minimum; the partner reads it in the portal. */
export const belowMinimumMessage = (balance: bigint, minimum: bigint, currency: string) =>
  `The program pays balances from ${minorToDecimal(minimum, currency)} ${currency}; yours (${minorToDecimal(balance, currency)} ${currency}) carries over until it reaches that.`;
