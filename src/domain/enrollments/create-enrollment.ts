import { and, eq } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { type EnrollmentStatus, enrollments, partnerActions, type programs } from "../../db/schema/index.js";
import { AppError } from "../../lib/errors.js";
import { newId } from "../../lib/ids.js";
import type { Ctx } from "../context.js";
import { recordAudit } from "../governance/record-audit.js";
import { ensureDefaultLink } from "../links/ensure-default-link.js";
import { uniqueViolation } from "../unique-violation.js";

export const duplicateApplication = {
  enrollments_program_partner_key: ["/email", "your organisation has already applied to this program"],
  enrollments_program_applicant_key: ["/email", "this email has already applied to this program"],
} as const satisfies Record<string, [string, string]>;

export interface NewEnrollment {
  program: typeof programs.$inferSelect;
  partnerId: string;
  applicantEmail: string | null;
  answers: Record<string, string | number>;
  source: "application" | "invitation" | "manual";
  status: EnrollmentStatus;
  termsAccepted: boolean;
}

/**
 * Inserts an enrollment; the unique indexes, not a prior read, refuse a second application. A banned partner
 * (see takePartnerAction) joins no program again, by application, invitation or a manager's hand.
 */
export async function createEnrollment(tx: Db, ctx: Ctx, input: NewEnrollment) {
  const now = ctx.clock.now();
  const [ban] = await tx
    .select({ id: partnerActions.id })
    .from(partnerActions)
    .where(and(eq(partnerActions.partnerId, input.partnerId), eq(partnerActions.kind, "ban")))
    .limit(1);
  if (ban) throw new AppError("invalid_state", "this partner account was closed and cannot join programs");
  const [enrollment] = await uniqueViolation(duplicateApplication, () =>
    tx
      .insert(enrollments)
      .values({
        id: newId("enrollment", now),
        programId: input.program.id,
        partnerId: input.partnerId,
        status: input.status,
        applicantEmail: input.applicantEmail,
        applicationAnswers: input.answers,
        source: input.source,
        termsVersionAccepted: input.termsAccepted ? input.program.termsVersion : null,
        termsAcceptedAt: input.termsAccepted ? now : null,
        appliedAt: now,
        decidedAt: input.status === "applied" ? null : now,
        statusChangedAt: now,
        createdAt: now,
        updatedAt: now,
      })
      .returning(),
  );
  if (!enrollment) throw new Error("insert returned no row");
  if (enrollment.status === "approved" || enrollment.status === "active") await ensureDefaultLink(tx, ctx, enrollment);
  await recordAudit(tx, ctx, {
    action: `enrollment.${input.source === "application" ? "apply" : "create"}`,
    entityType: "enrollment",
    entityId: enrollment.id,
    programId: enrollment.programId,
    partnerId: enrollment.partnerId,
    after: enrollment,
  });
  return enrollment;
}

/** Terms must be accepted when the program has any. */
export const termsRequired = (program: typeof programs.$inferSelect): boolean => program.termsText.trim().length > 0;
