import { and, asc, eq } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { auditLog, type PayoutMethodKind, payoutMethodKinds } from "../../db/schema/index.js";
import type { PayoutHistoryEvent } from "./payouts.schemas.js";

const ACTIONS: Record<string, PayoutHistoryEvent["action"]> = {
  "payout.create": "created",
  "payout.processing": "batched",
  "payout.paid": "paid",
  "payout.failed": "failed",
  "payout.reversed": "reversed",
};

const text = (value: unknown): string | null => (typeof value === "string" && value ? value : null);
const kind = (value: unknown): PayoutMethodKind | null =>
  payoutMethodKinds.includes(value as PayoutMethodKind) ? (value as PayoutMethodKind) : null;

/**
 * What happened to a payout, oldest first, read from the audit log (which every change to a payout writes in
 * the same transaction): who created, batched, paid or failed it, how it was paid and with which reference.
 */
export async function payoutHistory(db: Db, payoutId: string): Promise<PayoutHistoryEvent[]> {
  const rows = await db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.entityType, "payout"), eq(auditLog.entityId, payoutId)))
    .orderBy(asc(auditLog.at), asc(auditLog.id));
  return rows.flatMap((row) => {
    const action = ACTIONS[row.action];
    if (!action) return [];
    const after = (row.after ?? {}) as Record<string, unknown>;
    return [
      {
        at: row.at.toISOString(),
        action,
        actor: row.actorLabel,
        methodKind: action === "paid" ? kind(after.methodKind) : null,
        methodMasked: action === "paid" ? text(after.methodMasked) : null,
        reference: action === "paid" ? text(after.externalRef) : null,
        reason: action === "failed" ? text(after.reason) : null,
        batchId: text(after.batchId),
        manual: action === "paid" && after.manual === true,
      },
    ];
  });
}
