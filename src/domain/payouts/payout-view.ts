import type { partnerTaxForms, payoutBatches, payoutMethods, payouts } from "../../db/schema/index.js";
import { bankReference } from "./payout-files.js";
import type { PayoutBatchView, PayoutMethodView, PayoutView, TaxFormStatusView } from "./payouts.schemas.js";

type PayoutRow = typeof payouts.$inferSelect;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

const OPEN_STATUSES = new Set(["pending", "processing"]);

/**
 * `methodAttention`: the attention reason of the partner's current payout method, when a caller joined it; an
 * open Stripe payout to such a method is held.
 */
export const toPayoutView = (p: PayoutRow, partnerName?: string, methodAttention?: string | null): PayoutView => ({
  id: p.id,
  programId: p.programId,
  partnerId: p.partnerId,
  ...(partnerName === undefined ? {} : { partnerName }),
  amount: Number(p.amountMinor),
  currency: p.currency,
  status: p.status,
  entryCount: p.entryCount,
  runId: p.runId,
  batchId: p.batchId,
  methodKind: p.methodKind,
  methodMasked: p.methodMasked,
  externalRef: p.externalRef,
  bankReference: p.methodKind === "wise" || p.methodKind === "bank" ? bankReference(p.id) : null,
  failureReason: p.failureReason,
  lastError: p.lastError,
  heldReason:
    methodAttention && OPEN_STATUSES.has(p.status) && (p.methodKind ?? "stripe_connect") === "stripe_connect"
      ? methodAttention
      : null,
  reversedAmount: Number(p.reversedMinor),
  reversedAt: iso(p.reversedAt),
  createdAt: p.createdAt.toISOString(),
  processingAt: iso(p.processingAt),
  paidAt: iso(p.paidAt),
  failedAt: iso(p.failedAt),
});

/** What a partner sees of its payout: no internal run, batch or transport error details. */
export const toPortalPayoutView = (
  p: PayoutRow,
  partnerName?: string,
  methodAttention?: string | null,
): PayoutView => ({
  ...toPayoutView(p, partnerName, methodAttention),
  runId: null,
  batchId: null,
  lastError: null,
});

export const toPayoutMethodView = (m: typeof payoutMethods.$inferSelect): PayoutMethodView => ({
  partnerId: m.partnerId,
  kind: m.kind,
  masked: m.masked,
  currency: m.currency,
  updatedAt: m.updatedAt.toISOString(),
  attention: m.attentionReason
    ? { reason: m.attentionReason, since: (m.attentionSince ?? m.updatedAt).toISOString() }
    : null,
});

export const toTaxFormView = (
  partnerId: string,
  t: typeof partnerTaxForms.$inferSelect | undefined,
  now: Date,
): TaxFormStatusView => ({
  partnerId,
  form: t?.form ?? null,
  valid: t ? !t.validUntil || t.validUntil.getTime() > now.getTime() : false,
  validUntil: iso(t?.validUntil ?? null),
  note: t?.note ?? null,
  setBy: t?.setByLabel ?? null,
  setAt: iso(t?.setAt ?? null),
});

export const toPayoutBatchView = (
  b: typeof payoutBatches.$inferSelect,
  statusCounts: Record<string, number>,
): PayoutBatchView => ({
  id: b.id,
  programId: b.programId,
  methodKind: b.methodKind,
  status: b.status,
  payoutCount: b.payoutCount,
  total: Number(b.totalMinor),
  currency: b.currency,
  createdBy: b.createdBy,
  createdAt: b.createdAt.toISOString(),
  fileDownloadedAt: iso(b.fileDownloadedAt),
  completedAt: iso(b.completedAt),
  statusCounts,
});
