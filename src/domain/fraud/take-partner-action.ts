import { and, eq, inArray } from "drizzle-orm";
import { type EnrollmentStatus, enrollments, fraudReports, partnerActions, partners } from "../../db/schema/index.js";
import { AppError, fieldError } from "../../lib/errors.js";
import { newId } from "../../lib/ids.js";
import type { Ctx } from "../context.js";
import type { EnrollmentAction } from "../enrollments/enrollment-lifecycle.js";
import { applyEnrollmentTransition } from "../enrollments/transition-enrollment.js";
import { recordAudit } from "../governance/record-audit.js";
import type { PartnerActionInput } from "./fraud.schemas.js";
import { movePartnerEntries } from "./fraud-ledger.js";
import { DEFAULT_MESSAGES } from "./list-partner-actions.js";
import { toPartnerActionView } from "./report-views.js";

const affected: Record<PartnerActionInput["kind"], { from: EnrollmentStatus[]; transition?: EnrollmentAction }> = {
  warn: { from: [] },
  suspend: { from: ["active"], transition: "suspend" },
  // Terminated enrollments earn nothing: conversions through the partner's links and coupons are no longer credited.
  ban: { from: ["applied", "approved", "rejected", "active", "suspended"], transition: "terminate" },
  reinstate: { from: ["suspended"], transition: "activate" },
};

/**
 * Warns, suspends (every active enrollment), bans (every enrollment terminated, in every program) or reinstates
 * (suspended → active) a partner, optionally holding or rejecting its unpaid commissions; each enrollment change
 * and the action itself are audited.
 */
export async function takePartnerAction(ctx: Ctx, partnerId: string, input: PartnerActionInput) {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const [partner] = await tx
      .select({ id: partners.id })
      .from(partners)
      .where(eq(partners.id, partnerId))
      .for("update");
    if (!partner) throw new AppError("not_found", `partner ${partnerId} not found`);
    if (input.reportId) {
      // The action is shown as the outcome of its report: the report must exist and be about this partner.
      const [report] = await tx
        .select({ partnerId: fraudReports.partnerId })
        .from(fraudReports)
        .where(eq(fraudReports.id, input.reportId));
      if (!report) throw fieldError("/reportId", `report ${input.reportId} not found`);
      if (report.partnerId !== partnerId)
        throw fieldError("/reportId", `report ${input.reportId} is about another partner`);
    }
    const { from, transition } = affected[input.kind];
    const rows = from.length
      ? await tx
          .select()
          .from(enrollments)
          .where(and(eq(enrollments.partnerId, partnerId), inArray(enrollments.status, from)))
          .orderBy(enrollments.id)
          .for("update")
      : [];
    if (transition && transition !== "terminate" && rows.length === 0) {
      throw new AppError("invalid_state", `the partner has no ${from.join(" or ")} enrollment to ${input.kind}`);
    }
    // The enrollment's status reason is shown in the portal: the partner reads the message, never the internal reason.
    const partnerFacing = input.message?.trim() || DEFAULT_MESSAGES[input.kind];
    for (const row of rows) await applyEnrollmentTransition(tx, ctx, row, transition!, partnerFacing);
    const commissions = input.commissions ?? (input.kind === "ban" ? "hold" : "keep");
    const moved =
      commissions === "keep"
        ? []
        : await movePartnerEntries(tx, ctx, partnerId, commissions === "hold" ? "held" : "rejected");
    const [action] = await tx
      .insert(partnerActions)
      .values({
        id: newId("partnerAction", now),
        partnerId,
        kind: input.kind,
        reason: input.reason.trim(),
        message: input.message?.trim() ?? null,
        enrollmentIds: rows.map((r) => r.id),
        reportId: input.reportId ?? null,
        createdByType: ctx.actor.type,
        createdById: "id" in ctx.actor ? ctx.actor.id : null,
        createdByLabel: ctx.actor.label,
        createdAt: now,
      })
      .returning();
    await recordAudit(tx, ctx, {
      action: `partner.${input.kind}`,
      entityType: "partner",
      entityId: partnerId,
      partnerId,
      after: {
        reason: input.reason,
        message: input.message ?? null,
        enrollments: rows.map((r) => r.id),
        commissions,
        commissionsMoved: moved.length,
      },
    });
    return toPartnerActionView(action!, moved.length);
  });
}
