import { and, eq, inArray, isNull } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { type CommissionStatus, commissionEntries, fraudReviews } from "../../db/schema/index.js";
import { fieldError } from "../../lib/errors.js";
import type { Ctx } from "../context.js";
import { FRAUD_HOLD_REASON } from "../fraud/fraud-holds-for.js";
import { recordAudits } from "../governance/record-audit.js";
import { toCommissionView } from "./commission-view.js";
import type { ReviewCommissionsInput } from "./commissions.schemas.js";
import { keepFinalTotals } from "./final-totals.js";
import { uncountRejected } from "./uncount-rejected.js";

type Entry = typeof commissionEntries.$inferSelect;

const FROM: Record<ReviewCommissionsInput["action"], CommissionStatus[]> = {
  approve: ["pending", "held"],
  hold: ["pending", "approved"],
  reject: ["pending", "approved", "held"],
};
const TO: Record<ReviewCommissionsInput["action"], CommissionStatus> = {
  approve: "approved",
  hold: "held",
  reject: "rejected",
};

/**
 * Approves, holds or rejects entries in bulk. Each entry that cannot move says why (paid, in a payout, wrong
 * status) and the others move; reversals and overrides derived from an entry follow it, so a rejected sale
 * never leaves an orphan reversal or override behind.
 */
export async function reviewCommissions(ctx: Ctx, input: ReviewCommissionsInput) {
  if (input.action !== "approve" && !input.reason) {
    throw fieldError("/reason", `a reason is required to ${input.action}`);
  }
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const rows = await tx
      .select()
      .from(commissionEntries)
      .where(inArray(commissionEntries.id, input.ids))
      .orderBy(commissionEntries.id)
      .for("update");
    const byId = new Map(rows.map((r) => [r.id, r]));
    const openCases = input.action === "approve" ? await openFraudCasesOf(tx, rows) : new Set<string>();
    const skipped: { id: string; reason: string }[] = [];
    const moving: Entry[] = [];
    for (const id of input.ids) {
      const entry = byId.get(id);
      const problem = entry ? whyNot(entry, input.action, openCases) : "not found";
      if (problem) skipped.push({ id, reason: problem });
      else moving.push(entry!);
    }
    const updated = await move(tx, moving, TO[input.action], input.reason ?? null, now);
    const derived = await moveDerived(tx, moving, TO[input.action], input.reason ?? null, now);
    // A rejection is final: its money counts in the kept totals from this transaction on.
    await keepFinalTotals(tx, [...updated, ...derived]);
    if (input.action === "reject")
      await uncountRejected(
        tx,
        ctx,
        [...updated, ...derived].map((e) => e.id),
      );
    await recordAudits(
      tx,
      ctx,
      [...updated, ...derived].map((e) => ({
        action: `commission.${input.action}`,
        entityType: "commission",
        entityId: e.id,
        programId: e.programId,
        partnerId: e.partnerId,
        before: { status: byId.get(e.id)?.status ?? "(derived)" },
        after: { status: e.status, reason: e.statusReason },
      })),
    );
    return { updated: [...updated, ...derived].map((e) => toCommissionView(e)), skipped };
  });
}

/** The conversions of these entries whose fraud case is still open (it holds their entries). */
async function openFraudCasesOf(tx: Db, entries: Entry[]): Promise<Set<string>> {
  const held = entries.flatMap((e) =>
    e.status === "held" && e.statusReason === FRAUD_HOLD_REASON && e.conversionId ? [e.conversionId] : [],
  );
  if (held.length === 0) return new Set();
  const open = await tx
    .select({ conversionId: fraudReviews.conversionId })
    .from(fraudReviews)
    .where(and(inArray(fraudReviews.conversionId, held), eq(fraudReviews.status, "open")));
  return new Set(open.map((r) => r.conversionId));
}

function whyNot(entry: Entry, action: ReviewCommissionsInput["action"], openCases: Set<string>): string | undefined {
  if (entry.kind === "reversal" || entry.kind === "clawback") return `a ${entry.kind} follows the entry it corrects`;
  if (entry.payoutId) return `already in payout ${entry.payoutId}`;
  // Its open fraud case decides it: approving here would pay the entry and leave the case open in the queue.
  if (action === "approve" && entry.conversionId && openCases.has(entry.conversionId))
    return "held by fraud review: approve or reject its case in Fraud review";
  if (!FROM[action].includes(entry.status)) return `cannot ${action} an entry that is ${entry.status}`;
  return undefined;
}

async function move(tx: Db, entries: Entry[], status: CommissionStatus, reason: string | null, now: Date) {
  if (entries.length === 0) return [];
  return tx
    .update(commissionEntries)
    .set({ status, statusReason: reason, statusChangedAt: now })
    .where(
      inArray(
        commissionEntries.id,
        entries.map((e) => e.id),
      ),
    )
    .returning();
}

/** Unpaid reversals and overrides of the moved entries take the same status. */
async function moveDerived(tx: Db, sources: Entry[], status: CommissionStatus, reason: string | null, now: Date) {
  const ids = sources.filter((e) => e.kind === "commission" || e.kind === "override").map((e) => e.id);
  if (ids.length === 0) return [];
  return tx
    .update(commissionEntries)
    .set({ status, statusReason: reason, statusChangedAt: now })
    .where(
      and(
        inArray(commissionEntries.sourceEntryId, ids),
        inArray(commissionEntries.kind, ["reversal", "override"]),
        inArray(commissionEntries.status, ["pending", "approved", "held"]),
        isNull(commissionEntries.payoutId),
      ),
    )
    .returning();
}
