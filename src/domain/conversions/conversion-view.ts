import type { conversionCredits, conversions } from "../../db/schema/index.js";
import type { ConversionView } from "./conversions.schemas.js";
import { describeOutcome } from "./uncredited-reason.js";

type ConversionRow = typeof conversions.$inferSelect;
type CreditRow = typeof conversionCredits.$inferSelect;

const toNumber = (v: bigint | null) => (v === null ? null : Number(v));

export const toConversionView = (
  c: ConversionRow,
  credits: CreditRow[],
  customerExternalId: string | null,
): ConversionView => ({
  id: c.id,
  programId: c.programId,
  kind: c.kind,
  idempotencyKey: c.idempotencyKey,
  customerExternalId,
  eventName: c.eventName,
  amount: toNumber(c.amountMinor),
  currency: c.currency,
  refundedAmount: Number(c.refundedMinor),
  saleId: c.saleId,
  attributed: c.attributed,
  source: c.partnerSourced === null ? null : c.partnerSourced ? "partner_sourced" : "partner_influenced",
  credits: credits.map((k) => ({
    partnerId: k.partnerId,
    enrollmentId: k.enrollmentId,
    weightBps: k.weightBps,
    amount: toNumber(k.amountMinor),
  })),
  summary: describeOutcome(c).summary,
  occurredAt: c.occurredAt.toISOString(),
  receivedAt: c.receivedAt.toISOString(),
});
