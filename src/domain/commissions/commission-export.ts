import { minorToDecimal } from "../../lib/currency-digits.js";
import { inert } from "../../lib/inert-cell.js";
import type { CommissionEntryView } from "./commissions.schemas.js";

/**
 * The columns of `GET /v1/commissions/export`, one row per ledger entry: what a finance team reconciles a payout
 * or books a month from. Amounts are signed decimals in the entry's currency (a clawback is negative), so a
 * spreadsheet's SUM of a status is its balance; reasons and names people typed are kept inert.
 */
export const COMMISSION_COLUMNS: { header: string; cell: (e: CommissionEntryView) => string | null }[] = [
  { header: "occurred_at", cell: (e) => e.occurredAt },
  { header: "entry_id", cell: (e) => e.id },
  { header: "program_id", cell: (e) => e.programId },
  { header: "partner_id", cell: (e) => e.partnerId },
  { header: "partner_name", cell: (e) => inert(e.partnerName) },
  { header: "kind", cell: (e) => e.kind },
  { header: "status", cell: (e) => e.status },
  { header: "status_reason", cell: (e) => inert(e.statusReason) },
  { header: "amount", cell: (e) => minorToDecimal(BigInt(e.amount), e.currency) },
  { header: "currency", cell: (e) => e.currency },
  { header: "conversion_id", cell: (e) => e.conversionId },
  { header: "source_entry_id", cell: (e) => e.sourceEntryId },
  { header: "payout_id", cell: (e) => e.payoutId },
  { header: "hold_until", cell: (e) => e.holdUntil },
  { header: "status_changed_at", cell: (e) => e.statusChangedAt },
  { header: "explanation", cell: (e) => inert(e.explanation.summary) },
];
