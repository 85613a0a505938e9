import { stringify } from "csv-stringify/sync";
import type { PayoutMethodKind } from "../../db/schema/index.js";
import { minorToDecimal } from "../../lib/currency-digits.js";
import { inert } from "../../lib/inert-cell.js";
import type { PayoutMethodDetails } from "./payout-method-details.js";

export interface PayoutFileRow {
  payoutId: string;
  partnerId: string;
  partnerName: string;
  amountMinor: bigint;
  currency: string;
  details: PayoutMethodDetails;
}

export interface PayoutFile {
  filename: string;
  contentType: string;
  body: string;
}

/**
 * The reference a partner's bank statement shows for a payout: 18 letters and digits at most, the shortest limit
 * of the usual schemes (UK Faster Payments 18, SEPA 35–140, SWIFT 35), so no bank cuts it short and no scheme
 * refuses a character. "TRB" and the payout id's last 15 characters (its random part, ~75 bits): unique, and
 * the partner finds it at the end of the payout id its statement lists.
 */
export const bankReference = (payoutId: string): string => `TRB${payoutId.slice(-15).toUpperCase()}`;

/**
 * PayPal Payouts (web upload): no header; recipient, amount, currency, customer id (the payout id, ≤ 30
 * characters, no spaces), note to recipient, recipient wallet. One currency per file.
 */
export function paypalPayoutsCsv(rows: PayoutFileRow[], note: string): string {
  return stringify(
    rows.map((r) => [
      inert(r.details.email),
      minorToDecimal(r.amountMinor, r.currency),
      r.currency,
      r.payoutId,
      inert(note),
      "PAYPAL",
    ]),
  );
}

export const WISE_COLUMNS = [
  "name",
  "recipientEmail",
  "paymentReference",
  "receiverType",
  "amountCurrency",
  "amount",
  "sourceCurrency",
  "targetCurrency",
  "type",
  "IBAN",
  "BIC",
  "accountNumber",
  "sortCode",
  "abartn",
  "accountType",
  "addressCountryCode",
] as const;

/**
 * Wise batch payment (send to bank accounts or by email): the amount is fixed in the source (program)
 * currency, Wise converts to the partner's target currency. Rows without bank details are email transfers.
 */
export function wiseBatchCsv(rows: PayoutFileRow[]): string {
  return stringify(
    rows.map((r) => {
      const d = r.details;
      const byEmail = !d.iban && !d.accountNumber;
      return {
        name: inert(d.holderName ?? r.partnerName),
        recipientEmail: inert(d.email),
        paymentReference: bankReference(r.payoutId),
        receiverType: d.receiverType === "business" ? "BUSINESS" : "PRIVATE",
        amountCurrency: "source",
        amount: minorToDecimal(r.amountMinor, r.currency),
        sourceCurrency: r.currency,
        targetCurrency: d.currency ?? r.currency,
        type: byEmail ? "EMAIL" : "",
        IBAN: d.iban ?? "",
        BIC: d.bic ?? "",
        accountNumber: d.iban ? "" : (d.accountNumber ?? ""),
        sortCode: d.sortCode ?? "",
        abartn: d.routingNumber ?? "",
        accountType: d.accountType ? d.accountType.toUpperCase() : "",
        addressCountryCode: d.country ?? "",
      };
    }),
    { header: true, columns: [...WISE_COLUMNS] },
  );
}

export const BANK_COLUMNS = [
  "payout_id",
  "partner_id",
  "partner_name",
  "holder_name",
  "iban",
  "bic",
  "account_number",
  "routing_number",
  "sort_code",
  "account_type",
  "bank_name",
  "country",
  "account_currency",
  "amount",
  "currency",
  "reference",
] as const;

/** A generic bank transfer list for a bank's bulk upload or a person keying transfers: one row per payout. */
export function bankCsv(rows: PayoutFileRow[]): string {
  return stringify(
    rows.map((r) => {
      const d = r.details;
      return {
        payout_id: r.payoutId,
        partner_id: r.partnerId,
        partner_name: inert(r.partnerName),
        holder_name: inert(d.holderName),
        iban: d.iban ?? "",
        bic: d.bic ?? "",
        account_number: d.accountNumber ?? "",
        routing_number: d.routingNumber ?? "",
        sort_code: d.sortCode ?? "",
        account_type: d.accountType ?? "",
        bank_name: inert(d.bankName),
        country: d.country ?? "",
        account_currency: d.currency ?? r.currency,
        amount: minorToDecimal(r.amountMinor, r.currency),
        currency: r.currency,
        reference: bankReference(r.payoutId),
      };
    }),
    { header: true, columns: [...BANK_COLUMNS] },
  );
}

export function payoutFile(
  kind: Exclude<PayoutMethodKind, "stripe_connect">,
  batchId: string,
  rows: PayoutFileRow[],
  programName: string,
): PayoutFile {
  if (kind === "paypal")
    return {
      filename: `${batchId}-paypal-payouts.csv`,
      contentType: "text/csv; charset=utf-8",
      body: paypalPayoutsCsv(rows, `${programName} partner payout`.slice(0, 400)),
    };
  if (kind === "wise")
    return { filename: `${batchId}-wise-batch.csv`, contentType: "text/csv; charset=utf-8", body: wiseBatchCsv(rows) };
  return { filename: `${batchId}-bank-transfers.csv`, contentType: "text/csv; charset=utf-8", body: bankCsv(rows) };
}
