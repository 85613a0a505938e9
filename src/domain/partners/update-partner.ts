import { eq } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { partners } from "../../db/schema/index.js";
import { AppError, type FieldError, fieldError } from "../../lib/errors.js";
import type { Ctx } from "../context.js";
import { checkApplicantDetails } from "../enrollments/applicant-account.js";
import { recordAudit } from "../governance/record-audit.js";
import { throwIfErrors } from "../programs/program-rules.js";
import { toPartnerView } from "./partner-view.js";
import type { UpdatePartnerInput } from "./partners.schemas.js";

/** The recruiter must exist and must not be the partner itself or one of the partners it recruited. */
async function checkRecruiter(tx: Db, partnerId: string, recruiterId: string) {
  const field = "/recruitedByPartnerId";
  let current: string | null = recruiterId;
  for (let depth = 0; current && depth < 50; depth++) {
    if (current === partnerId)
      throw fieldError(field, "a partner cannot be recruited by itself or by a partner it recruited");
    const [row]: { next: string | null }[] = await tx
      .select({ next: partners.recruitedByPartnerId })
      .from(partners)
      .where(eq(partners.id, current));
    if (!row) throw fieldError(field, `partner ${current} not found`);
    current = row.next;
  }
}

/** Used by managers on any partner and by partner users on their own organisation (the route passes their id). */
export async function updatePartner(ctx: Ctx, partnerId: string, input: UpdatePartnerInput) {
  const errors: FieldError[] = [];
  checkApplicantDetails({ website: input.website ?? undefined }, errors);
  throwIfErrors(errors);
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx.select().from(partners).where(eq(partners.id, partnerId)).for("update");
    if (!before) throw new AppError("not_found", `partner ${partnerId} not found`);
    if (input.recruitedByPartnerId) await checkRecruiter(tx, partnerId, input.recruitedByPartnerId);
    const [after] = await tx
      .update(partners)
      .set({ ...input, name: input.name?.trim() ?? before.name, updatedAt: ctx.clock.now() })
      .where(eq(partners.id, partnerId))
      .returning();
    if (!after) throw new Error("update returned no row");
    await recordAudit(tx, ctx, {
      action: "partner.update",
      entityType: "partner",
      entityId: partnerId,
      partnerId,
      before,
      after,
    });
    return toPartnerView(after);
  });
}
