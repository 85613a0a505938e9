import { and, desc, eq } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { commissionPlans, commissionPlanVersions } from "../../db/schema/index.js";
import { AppError } from "../../lib/errors.js";

/** A plan with its current version; not found is a 404. */
export async function findPlan(db: Db, planId: string, options: { forUpdate?: boolean } = {}) {
  const query = db.select().from(commissionPlans).where(eq(commissionPlans.id, planId)).limit(1);
  const [plan] = options.forUpdate ? await query.for("update") : await query;
  if (!plan) throw new AppError("not_found", `commission plan ${planId} not found`);
  const [current] = await db
    .select()
    .from(commissionPlanVersions)
    .where(and(eq(commissionPlanVersions.planId, plan.id), eq(commissionPlanVersions.version, plan.currentVersion)));
  if (!current) throw new Error(`plan ${plan.id} has no version ${plan.currentVersion}`);
  return { plan, current };
}

export async function planVersions(db: Db, planId: string) {
  return db
    .select()
    .from(commissionPlanVersions)
    .where(eq(commissionPlanVersions.planId, planId))
    .orderBy(desc(commissionPlanVersions.version));
}
