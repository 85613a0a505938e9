import { eq } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { enrollments, programs } from "../../db/schema/index.js";
import { AppError, fieldError } from "../../lib/errors.js";
import type { Ctx } from "../context.js";
import { recordAudit } from "../governance/record-audit.js";
import { ensureDefaultLink } from "../links/ensure-default-link.js";
import { notifyCacheChanged } from "../links/link-rules.js";
import { type EnrollmentAction, planEnrollmentTransition } from "./enrollment-lifecycle.js";

type EnrollmentRow = typeof enrollments.$inferSelect;

/** Applies one lifecycle step to a locked enrollment row and audits it; shared by every path that moves an enrollment. */
export async function applyEnrollmentTransition(
  tx: Db,
  ctx: Ctx,
  before: EnrollmentRow,
  action: EnrollmentAction,
  reason?: string,
): Promise<EnrollmentRow> {
  const plan = planEnrollmentTransition(before.status, action, reason);
  if (!plan.ok && plan.error === "reason_required") throw fieldError("/reason", `a reason is required to ${action}`);
  if (!plan.ok) {
    throw new AppError("invalid_state", `cannot ${action} an enrollment whose status is ${before.status}`, {
      extra: { currentStatus: before.status },
    });
  }
  const now = ctx.clock.now();
  const decided = action === "approve" || action === "reject";
  const [after] = await tx
    .update(enrollments)
    .set({
      status: plan.to,
      statusReason: reason?.trim() || null,
      statusChangedAt: now,
      decidedAt: decided ? now : before.decidedAt,
      updatedAt: now,
    })
    .where(eq(enrollments.id, before.id))
    .returning();
  if (!after) throw new Error("update returned no row");
  if (plan.to === "approved" || plan.to === "active") await ensureDefaultLink(tx, ctx, after);
  // Redirects of this partner's links change behaviour with its status (tracked only while approved or active).
  await notifyCacheChanged(tx, ctx, `enrollment:${after.id}`);
  await recordAudit(tx, ctx, {
    action: `enrollment.${action}`,
    entityType: "enrollment",
    entityId: before.id,
    programId: before.programId,
    partnerId: before.partnerId,
    before,
    after,
  });
  return after;
}

/**
 * A manager moves an enrollment through its lifecycle. Approving a partner who already accepted the
 * program's current terms activates it at once: there is nothing left for the partner to do.
 */
export async function transitionEnrollment(ctx: Ctx, enrollmentId: string, action: EnrollmentAction, reason?: string) {
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx.select().from(enrollments).where(eq(enrollments.id, enrollmentId)).for("update");
    if (!before) throw new AppError("not_found", `enrollment ${enrollmentId} not found`);
    let after = await applyEnrollmentTransition(tx, ctx, before, action, reason);
    if (action === "approve") {
      const [program] = await tx
        .select({ termsVersion: programs.termsVersion })
        .from(programs)
        .where(eq(programs.id, after.programId));
      if (program && after.termsVersionAccepted === program.termsVersion) {
        after = await applyEnrollmentTransition(tx, ctx, after, "activate");
      }
    }
    return after;
  });
}
