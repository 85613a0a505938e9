import { and, eq } from "drizzle-orm";
import { enrollments, programs } from "../../db/schema/index.js";
import { AppError } from "../../lib/errors.js";
import type { Ctx } from "../context.js";
import { recordAudit } from "../governance/record-audit.js";
import { toEnrollmentView } from "./enrollment-view.js";
import { applyEnrollmentTransition } from "./transition-enrollment.js";

/**
 * The partner accepts the program's current terms. The version and time are recorded; an approved
 * enrollment becomes active, since accepting the terms is the last step before a partner can promote.
 */
export async function acceptTerms(ctx: Ctx, enrollmentId: string, termsVersion: number) {
  if (ctx.actor.type !== "partner") throw new AppError("forbidden", "only the partner accepts its terms");
  const partnerId = ctx.actor.partnerId;
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(enrollments)
      .where(and(eq(enrollments.id, enrollmentId), eq(enrollments.partnerId, partnerId)))
      .for("update");
    if (!before) throw new AppError("not_found", `enrollment ${enrollmentId} not found`);
    const [program] = await tx.select().from(programs).where(eq(programs.id, before.programId));
    if (!program) throw new AppError("not_found", "program not found");
    if (termsVersion !== program.termsVersion) {
      throw new AppError(
        "conflict",
        `the terms changed: version ${program.termsVersion} is current, please read it first`,
        {
          extra: { currentTermsVersion: program.termsVersion },
        },
      );
    }
    if (before.status === "terminated" || before.status === "rejected") {
      throw new AppError("invalid_state", `cannot accept terms for an enrollment whose status is ${before.status}`, {
        extra: { currentStatus: before.status },
      });
    }
    const now = ctx.clock.now();
    const [accepted] = await tx
      .update(enrollments)
      .set({ termsVersionAccepted: termsVersion, termsAcceptedAt: now, updatedAt: now })
      .where(eq(enrollments.id, before.id))
      .returning();
    if (!accepted) throw new Error("update returned no row");
    await recordAudit(tx, ctx, {
      action: "enrollment.accept_terms",
      entityType: "enrollment",
      entityId: before.id,
      programId: before.programId,
      partnerId,
      before,
      after: accepted,
    });
    const after =
      accepted.status === "approved" ? await applyEnrollmentTransition(tx, ctx, accepted, "activate") : accepted;
    return toEnrollmentView(after);
  });
}
