import { inArray } from "drizzle-orm";
import { fraudReviews } from "../../db/schema/index.js";
import { fieldError } from "../../lib/errors.js";
import type { Ctx } from "../context.js";
import { recordAudits } from "../governance/record-audit.js";
import type { ReviewFraudInput } from "./fraud.schemas.js";
import { rejectEntriesOf, releaseEntriesOf } from "./fraud-ledger.js";

/**
 * A reviewer approves or rejects open cases. Approving releases what fraud review held (pending again while the
 * holding period runs, approved after); rejecting rejects every unpaid entry of the conversion. Rejected is
 * final: the ledger never un-rejects. Cases that cannot move say why; the others move.
 */
export async function reviewFraudCases(ctx: Ctx, input: ReviewFraudInput) {
  if (input.action === "reject" && !input.reason?.trim()) throw fieldError("/reason", "a reason is required to reject");
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const rows = await tx
      .select()
      .from(fraudReviews)
      .where(inArray(fraudReviews.conversionId, input.conversionIds))
      .orderBy(fraudReviews.conversionId)
      .for("update");
    const byId = new Map(rows.map((r) => [r.conversionId, r]));
    const skipped: { conversionId: string; reason: string }[] = [];
    const moving = input.conversionIds.filter((id) => {
      const row = byId.get(id);
      const problem = !row ? "no fraud case" : row.status !== "open" ? `the case is already ${row.status}` : undefined;
      if (problem) skipped.push({ conversionId: id, reason: problem });
      return !problem;
    });
    if (moving.length === 0) return { updated: [], skipped };
    const status = input.action === "approve" ? "approved" : "rejected";
    await tx
      .update(fraudReviews)
      .set({
        status,
        reason: input.reason?.trim() ?? null,
        reviewedById: "id" in ctx.actor ? ctx.actor.id : null,
        reviewedByLabel: ctx.actor.label,
        reviewedAt: now,
        updatedAt: now,
      })
      .where(inArray(fraudReviews.conversionId, moving));
    const moved =
      input.action === "approve" ? await releaseEntriesOf(tx, ctx, moving) : await rejectEntriesOf(tx, ctx, moving);
    await recordAudits(
      tx,
      ctx,
      moving.map((id) => {
        const row = byId.get(id)!;
        return {
          action: `fraud_case.${input.action}`,
          entityType: "conversion",
          entityId: id,
          programId: row.programId,
          partnerId: row.partnerId,
          before: { status: row.status, action: row.action, rules: row.rules },
          after: { status, reason: input.reason ?? null },
        };
      }),
    );
    // Entries of a conversion: its commissions and overrides (same conversion id); derived reversals count with them.
    const counts = new Map<string, number>();
    for (const e of moved) counts.set(e.conversion_id ?? "", (counts.get(e.conversion_id ?? "") ?? 0) + 1);
    return {
      updated: moving.map((conversionId) => ({ conversionId, status, entriesMoved: counts.get(conversionId) ?? 0 })),
      skipped,
    };
  });
}
