import { and, eq, inArray } from "drizzle-orm";
import { commissionPlans, commissionPlanVersions, enrollments } from "../../db/schema/index.js";
import { AppError, fieldError } from "../../lib/errors.js";
import { newId } from "../../lib/ids.js";
import type { Ctx } from "../context.js";
import { recordAudit } from "../governance/record-audit.js";
import { findProgram } from "../programs/get-program.js";
import { uniqueViolation } from "../unique-violation.js";
import type { CreatePlanInput } from "./commissions.schemas.js";
import { toPlanView } from "./plan-view.js";
import { validatePlanDefinition } from "./validate-plan.js";

/** A new plan for a program, a tier or one partner; its first version is version 1. */
export async function createPlan(ctx: Ctx, programId: string, input: CreatePlanInput) {
  const program = await findProgram(ctx.db, programId);
  if (!program) throw new AppError("not_found", `program ${programId} not found`);
  if (input.scope === "program" && input.scopeValue !== undefined) {
    throw fieldError("/scopeValue", "a program-wide plan takes no scopeValue");
  }
  if (input.scope !== "program" && input.scopeValue === undefined) {
    throw fieldError(
      "/scopeValue",
      `a ${input.scope} plan needs a scopeValue (${input.scope === "tier" ? "the tier name" : "the partner id"})`,
    );
  }
  if (input.scope === "partner") {
    const [enrolled] = await ctx.db
      .select({ id: enrollments.id })
      .from(enrollments)
      .where(
        and(
          eq(enrollments.programId, programId),
          eq(enrollments.partnerId, input.scopeValue!),
          inArray(enrollments.status, ["applied", "approved", "active", "suspended"]),
        ),
      );
    if (!enrolled) throw fieldError("/scopeValue", `partner ${input.scopeValue} is not enrolled in this program`);
  }
  const problems = validatePlanDefinition(input.definition, "/definition");
  if (problems.length > 0) throw new AppError("validation", problems[0]!.message, { fields: problems });
  const now = ctx.clock.now();
  const createdBy = "id" in ctx.actor ? ctx.actor.id : null;
  return uniqueViolation(
    {
      commission_plans_scope_key: ["/scope", "this program already has an active plan for that scope; edit it instead"],
    },
    () =>
      ctx.db.transaction(async (tx) => {
        const [plan] = await tx
          .insert(commissionPlans)
          .values({
            id: newId("plan", now),
            programId,
            name: input.name,
            scope: input.scope,
            scopeValue: input.scopeValue ?? null,
            currentVersion: 1,
            createdAt: now,
            updatedAt: now,
          })
          .returning();
        const [version] = await tx
          .insert(commissionPlanVersions)
          .values({
            id: newId("planVersion", now),
            planId: plan!.id,
            programId,
            version: 1,
            definition: input.definition,
            createdBy,
            createdAt: now,
          })
          .returning();
        await recordAudit(tx, ctx, {
          action: "commission_plan.create",
          entityType: "commission_plan",
          entityId: plan!.id,
          programId,
          after: { ...plan, definition: input.definition },
        });
        return toPlanView(plan!, version!, [version!]);
      }),
  );
}
