import type { commissionPlans, commissionPlanVersions } from "../../db/schema/index.js";
import type { PlanView } from "./commissions.schemas.js";

type PlanRow = typeof commissionPlans.$inferSelect;
type VersionRow = typeof commissionPlanVersions.$inferSelect;

const versionView = (v: VersionRow) => ({
  id: v.id,
  version: v.version,
  definition: v.definition,
  createdBy: v.createdBy,
  createdAt: v.createdAt.toISOString(),
});

export function toPlanView(plan: PlanRow, current: VersionRow, versions?: VersionRow[]): PlanView {
  return {
    id: plan.id,
    programId: plan.programId,
    name: plan.name,
    scope: plan.scope,
    scopeValue: plan.scopeValue,
    currentVersion: plan.currentVersion,
    definition: current.definition,
    archivedAt: plan.archivedAt?.toISOString() ?? null,
    createdAt: plan.createdAt.toISOString(),
    updatedAt: plan.updatedAt.toISOString(),
    ...(versions ? { versions: versions.map(versionView) } : {}),
  };
}
