import { minorToDecimal } from "../../lib/currency-digits.js";
import { inert } from "../../lib/inert-cell.js";
import { formatBps } from "../../lib/money.js";
import type { ConversionView } from "./conversions.schemas.js";

/** A conversion with who it credits, by name and share: "Brightlane Media (60%); Northwind (40%)". */
export type ConversionExportRow = ConversionView & { creditedPartners: string };

/** One page of conversions with the partners they credit, named as the page was read (listConversions). */
export const withCreditedNames = (items: ConversionView[]): ConversionExportRow[] =>
  items.map((c) => ({
    ...c,
    creditedPartners: c.credits.map((k) => `${k.partnerName} (${formatBps(k.weightBps)})`).join("; "),
  }));

const money = (minor: number | null, currency: string | null) =>
  minor === null || currency === null ? null : minorToDecimal(BigInt(minor), currency);

/**
 * The columns of `GET /v1/conversions/export`, one row per conversion. Amounts are decimals in major units of the
 * row's currency, refunds negative (a spreadsheet's SUM of a currency's rows is its net revenue); what the vendor's
 * systems sent (ids, event names) and partner names are kept inert.
 */
export const CONVERSION_COLUMNS: { header: string; cell: (c: ConversionExportRow) => string | boolean | null }[] = [
  { header: "occurred_at", cell: (c) => c.occurredAt },
  { header: "received_at", cell: (c) => c.receivedAt },
  { header: "conversion_id", cell: (c) => c.id },
  { header: "program_id", cell: (c) => c.programId },
  { header: "kind", cell: (c) => c.kind },
  { header: "reference", cell: (c) => inert(c.idempotencyKey) },
  { header: "customer_external_id", cell: (c) => inert(c.customerExternalId) },
  { header: "event_name", cell: (c) => inert(c.eventName) },
  // A refund takes money back: negative, so that summing the column gives the net revenue.
  { header: "amount", cell: (c) => money(c.kind === "refund" && c.amount !== null ? -c.amount : c.amount, c.currency) },
  { header: "currency", cell: (c) => c.currency },
  { header: "refunded_amount", cell: (c) => (c.kind === "sale" ? money(c.refundedAmount, c.currency) : null) },
  { header: "sale_id", cell: (c) => c.saleId },
  { header: "attributed", cell: (c) => c.attributed },
  { header: "source", cell: (c) => c.source },
  { header: "partner_ids", cell: (c) => c.credits.map((k) => k.partnerId).join(";") },
  { header: "partners", cell: (c) => inert(c.creditedPartners) },
  { header: "summary", cell: (c) => inert(c.summary) },
];
