import { eq } from "drizzle-orm";
import { couponCodes } from "../../db/schema/index.js";
import { AppError } from "../../lib/errors.js";
import type { Ctx } from "../context.js";
import { recordAudit } from "../governance/record-audit.js";
import { toCouponView } from "./link-view.js";

export async function setCouponDisabled(ctx: Ctx, couponId: string, disabled: boolean) {
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx.select().from(couponCodes).where(eq(couponCodes.id, couponId)).for("update");
    if (!before) throw new AppError("not_found", `coupon ${couponId} not found`);
    const disabledAt = disabled ? (before.disabledAt ?? ctx.clock.now()) : null;
    const [after] = await tx.update(couponCodes).set({ disabledAt }).where(eq(couponCodes.id, couponId)).returning();
    if (!after) throw new Error("update returned no row");
    await recordAudit(tx, ctx, {
      action: "coupon.update",
      entityType: "coupon",
      entityId: couponId,
      programId: after.programId,
      partnerId: after.partnerId,
      before,
      after,
    });
    return toCouponView(after);
  });
}
