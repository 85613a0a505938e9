import { eq } from "drizzle-orm";
import { enrollments } from "../../db/schema/index.js";
import { AppError } from "../../lib/errors.js";
import type { Ctx } from "../context.js";
import { recordAudit } from "../governance/record-audit.js";
import { toEnrollmentView } from "./enrollment-view.js";
import type { UpdateEnrollmentInput } from "./enrollments.schemas.js";

/** Puts a partner in a tier of a program; later conversions earn by that tier's plan (earned ones keep theirs). */
export async function setEnrollmentTier(ctx: Ctx, enrollmentId: string, input: UpdateEnrollmentInput) {
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx.select().from(enrollments).where(eq(enrollments.id, enrollmentId)).for("update");
    if (!before) throw new AppError("not_found", `enrollment ${enrollmentId} not found`);
    const [after] = await tx
      .update(enrollments)
      .set({ tier: input.tier, updatedAt: ctx.clock.now() })
      .where(eq(enrollments.id, enrollmentId))
      .returning();
    await recordAudit(tx, ctx, {
      action: "enrollment.set_tier",
      entityType: "enrollment",
      entityId: enrollmentId,
      programId: before.programId,
      partnerId: before.partnerId,
      before: { tier: before.tier },
      after: { tier: input.tier },
    });
    return toEnrollmentView(after!);
  });
}
