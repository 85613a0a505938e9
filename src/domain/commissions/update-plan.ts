import { eq } from "drizzle-orm";
import { commissionPlans, commissionPlanVersions } from "../../db/schema/index.js";
import { AppError } from "../../lib/errors.js";
import { newId } from "../../lib/ids.js";
import type { Ctx } from "../context.js";
import { recordAudit } from "../governance/record-audit.js";
import type { UpdatePlanInput } from "./commissions.schemas.js";
import { findPlan, planVersions } from "./find-plan.js";
import { toPlanView } from "./plan-view.js";
import { validatePlanDefinition } from "./validate-plan.js";

/**
 * Editing the rules appends a version: conversions from now on earn by it, entries already in the ledger keep
 * the version that earned them. Renaming alone makes no version.
 */
export async function updatePlan(ctx: Ctx, planId: string, input: UpdatePlanInput) {
  if (input.definition) {
    const problems = validatePlanDefinition(input.definition, "/definition");
    if (problems.length > 0) throw new AppError("validation", problems[0]!.message, { fields: problems });
  }
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const { plan, current } = await findPlan(tx, planId, { forUpdate: true });
    if (plan.archivedAt) throw new AppError("invalid_state", "an archived plan cannot be edited");
    let version = current;
    if (input.definition) {
      const [created] = await tx
        .insert(commissionPlanVersions)
        .values({
          id: newId("planVersion", now),
          planId,
          programId: plan.programId,
          version: plan.currentVersion + 1,
          definition: input.definition,
          createdBy: "id" in ctx.actor ? ctx.actor.id : null,
          createdAt: now,
        })
        .returning();
      version = created!;
    }
    const [updated] = await tx
      .update(commissionPlans)
      .set({ name: input.name ?? plan.name, currentVersion: version.version, updatedAt: now })
      .where(eq(commissionPlans.id, planId))
      .returning();
    await recordAudit(tx, ctx, {
      action: "commission_plan.update",
      entityType: "commission_plan",
      entityId: planId,
      programId: plan.programId,
      before: { name: plan.name, version: plan.currentVersion, definition: current.definition },
      after: { name: updated!.name, version: version.version, definition: version.definition },
    });
    return toPlanView(updated!, version, await planVersions(tx, planId));
  });
}
