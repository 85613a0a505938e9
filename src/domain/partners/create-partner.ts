import { partners } from "../../db/schema/index.js";
import { AppError, type FieldError } from "../../lib/errors.js";
import { newId } from "../../lib/ids.js";
import type { Ctx } from "../context.js";
import { checkApplicantDetails } from "../enrollments/applicant-account.js";
import { createEnrollment } from "../enrollments/create-enrollment.js";
import { recordAudit } from "../governance/record-audit.js";
import { findProgram } from "../programs/get-program.js";
import { throwIfErrors } from "../programs/program-rules.js";
import { toPartnerView } from "./partner-view.js";
import type { CreatePartnerInput } from "./partners.schemas.js";

/** A manager adds a partner organisation by hand (for example a reseller signed offline), optionally enrolled. */
export async function createPartner(ctx: Ctx, input: CreatePartnerInput) {
  const errors: FieldError[] = [];
  checkApplicantDetails({ website: input.website ?? undefined }, errors);
  throwIfErrors(errors);
  const program = input.enrollInProgramId ? await findProgram(ctx.db, input.enrollInProgramId) : undefined;
  if (input.enrollInProgramId && !program) {
    throw new AppError("validation", `program ${input.enrollInProgramId} not found`, {
      fields: [{ field: "/enrollInProgramId", message: "no such program" }],
    });
  }
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const [partner] = await tx
      .insert(partners)
      .values({
        id: newId("partner", now),
        name: input.name.trim(),
        type: input.type,
        country: input.country ?? null,
        website: input.website?.trim() || null,
        contacts: input.contacts ?? [],
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    if (!partner) throw new Error("insert returned no row");
    await recordAudit(tx, ctx, {
      action: "partner.create",
      entityType: "partner",
      entityId: partner.id,
      partnerId: partner.id,
      after: partner,
    });
    if (program) {
      await createEnrollment(tx, ctx, {
        program,
        partnerId: partner.id,
        applicantEmail: input.contacts?.[0]?.email.toLowerCase() ?? null,
        answers: {},
        source: "manual",
        status: "approved",
        termsAccepted: false,
      });
    }
    return toPartnerView(partner);
  });
}
