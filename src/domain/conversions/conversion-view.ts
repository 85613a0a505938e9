import type { conversionCredits, conversions } from "../../db/schema/index.js";
import type { ConversionView } from "./conversions.schemas.js";
import { type DisplayNames, namedIdsIn, nameOf, withNames } from "./names-in-text.js";
import type { StoredDecision } from "./record-conversion.js";
import { describeOutcome } from "./uncredited-reason.js";

type ConversionRow = typeof conversions.$inferSelect;
type CreditRow = typeof conversionCredits.$inferSelect;

const toNumber = (v: bigint | null) => (v === null ? null : Number(v));

/** The partners and programs a conversion's view names: the partners it credits, and all its stored summary mentions. */
export const namedInView = (c: Pick<ConversionRow, "decision">, credits: Pick<CreditRow, "partnerId">[]) => [
  ...credits.map((k) => k.partnerId),
  ...namedIdsIn((c.decision as StoredDecision).summary ?? ""),
];

/** `names` holds the display names of namedInView (read in one query for a whole page). */
export const toConversionView = (
  c: ConversionRow,
  credits: CreditRow[],
  customerExternalId: string | null,
  names: DisplayNames,
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
    partnerName: nameOf(names, k.partnerId),
    enrollmentId: k.enrollmentId,
    weightBps: k.weightBps,
    amount: toNumber(k.amountMinor),
  })),
  summary: withNames(describeOutcome(c).summary, names),
  occurredAt: c.occurredAt.toISOString(),
  receivedAt: c.receivedAt.toISOString(),
});
