import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import { commissionPlans, commissionPlanVersions } from "../../db/schema/index.js";
import { AppError } from "../../lib/errors.js";
import type { Ctx } from "../context.js";
import { findProgram } from "../programs/get-program.js";
import { findPlan, planVersions } from "./find-plan.js";
import { toPlanView } from "./plan-view.js";

export async function listPlans(ctx: Ctx, programId: string, options: { includeArchived?: boolean } = {}) {
  if (!(await findProgram(ctx.db, programId))) throw new AppError("not_found", `program ${programId} not found`);
  const plans = await ctx.db
    .select()
    .from(commissionPlans)
    .where(
      and(
        eq(commissionPlans.programId, programId),
        options.includeArchived ? undefined : isNull(commissionPlans.archivedAt),
      ),
    )
    .orderBy(asc(commissionPlans.createdAt));
  if (plans.length === 0) return [];
  const versions = await ctx.db
    .select()
    .from(commissionPlanVersions)
    .where(
      inArray(
        commissionPlanVersions.planId,
        plans.map((p) => p.id),
      ),
    );
  return plans.map((plan) =>
    toPlanView(plan, versions.find((v) => v.planId === plan.id && v.version === plan.currentVersion)!),
  );
}

export async function getPlan(ctx: Ctx, planId: string) {
  const { plan, current } = await findPlan(ctx.db, planId);
  return toPlanView(plan, current, await planVersions(ctx.db, planId));
}
