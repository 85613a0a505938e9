import { eq } from "drizzle-orm";
import { commissionPlans } from "../../db/schema/index.js";
import { AppError } from "../../lib/errors.js";
import type { Ctx } from "../context.js";
import { recordAudit } from "../governance/record-audit.js";
import { findPlan } from "./find-plan.js";
import { toPlanView } from "./plan-view.js";

/** An archived plan stops applying to new conversions; its versions stay for the entries that point at them. */
export async function archivePlan(ctx: Ctx, planId: string) {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const { plan, current } = await findPlan(tx, planId, { forUpdate: true });
    if (plan.archivedAt) throw new AppError("invalid_state", "the plan is already archived");
    const [updated] = await tx
      .update(commissionPlans)
      .set({ archivedAt: now, updatedAt: now })
      .where(eq(commissionPlans.id, planId))
      .returning();
    await recordAudit(tx, ctx, {
      action: "commission_plan.archive",
      entityType: "commission_plan",
      entityId: planId,
      programId: plan.programId,
    });
    return toPlanView(updated!, current);
  });
}
