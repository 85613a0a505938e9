import type { commissionEntries } from "../../db/schema/index.js";
import type { CommissionEntryView } from "./commissions.schemas.js";

type EntryRow = typeof commissionEntries.$inferSelect;

export const toCommissionView = (e: EntryRow, partnerName: string | null = null): CommissionEntryView => ({
  id: e.id,
  programId: e.programId,
  partnerId: e.partnerId,
  partnerName,
  kind: e.kind,
  amount: Number(e.amountMinor),
  currency: e.currency,
  status: e.status,
  statusReason: e.statusReason,
  conversionId: e.conversionId,
  sourceEntryId: e.sourceEntryId,
  planVersionId: e.planVersionId,
  ruleId: e.ruleId,
  explanation: e.explanation,
  occurredAt: e.occurredAt.toISOString(),
  holdUntil: e.holdUntil?.toISOString() ?? null,
  payoutId: e.payoutId,
  createdBy: e.createdBy,
  createdAt: e.createdAt.toISOString(),
  statusChangedAt: e.statusChangedAt.toISOString(),
});
