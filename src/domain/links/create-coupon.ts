import { couponCodes } from "../../db/schema/index.js";
import { newId } from "../../lib/ids.js";
import type { Ctx } from "../context.js";
import { recordAudit } from "../governance/record-audit.js";
import { uniqueViolation } from "../unique-violation.js";
import { findEnrollmentFor } from "./find-enrollment-for.js";
import { toCouponView } from "./link-view.js";
import type { CreateCouponInput } from "./links.schemas.js";

/** Binds a coupon code to a partner's enrollment; codes are unique per program regardless of case. */
export async function createCoupon(ctx: Ctx, input: CreateCouponInput) {
  const { enrollment, program } = await findEnrollmentFor(ctx.db, ctx.actor, input.enrollmentId);
  const now = ctx.clock.now();
  return uniqueViolation(
    { coupon_codes_program_code_key: ["/code", `the code ${input.code} is already used in this program`] },
    () =>
      ctx.db.transaction(async (tx) => {
        const [coupon] = await tx
          .insert(couponCodes)
          .values({
            id: newId("coupon", now),
            programId: program.id,
            partnerId: enrollment.partnerId,
            enrollmentId: enrollment.id,
            code: input.code,
            createdAt: now,
          })
          .returning();
        if (!coupon) throw new Error("insert returned no row");
        await recordAudit(tx, ctx, {
          action: "coupon.create",
          entityType: "coupon",
          entityId: coupon.id,
          programId: program.id,
          partnerId: coupon.partnerId,
          after: coupon,
        });
        return toCouponView(coupon);
      }),
  );
}
