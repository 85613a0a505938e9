import { and, eq } from "drizzle-orm";
import { type FraudRule, fraudRuleSettings } from "../../db/schema/index.js";
import { AppError, fieldError } from "../../lib/errors.js";
import type { Ctx } from "../context.js";
import { recordAudit } from "../governance/record-audit.js";
import { findProgram } from "../programs/get-program.js";
import type { UpdateFraudRuleInput } from "./fraud.schemas.js";
import { thresholdErrors } from "./fraud-rules.js";
import { lastRuleChanges, ruleEntityId } from "./last-rule-changes.js";
import { loadRuleSet, toFraudRuleView } from "./list-fraud-rules.js";
import { forgetRules } from "./screen-conversion.js";

/** Turns a rule on or off, changes its action or thresholds (the ones given; others keep their value), or resets it. */
export async function updateFraudRule(ctx: Ctx, programId: string, rule: FraudRule, input: UpdateFraudRuleInput) {
  const changes = input.enabled !== undefined || input.action !== undefined || input.thresholds !== undefined;
  // A reset forgets the whole row: what came with it would be silently dropped.
  if (input.resetToDefaults && changes) {
    throw fieldError("/resetToDefaults", "send it alone: a reset forgets every setting of the rule");
  }
  if (!input.resetToDefaults && !changes) {
    throw fieldError("/", "nothing to change: send enabled, action, thresholds or resetToDefaults: true");
  }
  // A report is applied by a person who chose to; there is no screening to turn off, only its default action.
  if (rule === "manual_report" && input.enabled === false) {
    throw fieldError("/enabled", "manual_report cannot be turned off: it acts only when a confirmed report is applied");
  }
  const errors = input.thresholds ? thresholdErrors(rule, input.thresholds) : [];
  if (errors.length > 0) {
    throw new AppError("validation", errors.map((e) => `${e.field} ${e.message}`).join("; "), { fields: errors });
  }
  const view = await ctx.db.transaction(async (tx) => {
    if (!(await findProgram(tx, programId))) throw new AppError("not_found", `program ${programId} not found`);
    const where = and(eq(fraudRuleSettings.programId, programId), eq(fraudRuleSettings.rule, rule));
    const [before] = await tx.select().from(fraudRuleSettings).where(where).for("update");
    const current = (await loadRuleSet(tx, programId))[rule];
    if (input.resetToDefaults) {
      await tx.delete(fraudRuleSettings).where(where);
    } else {
      const values = {
        enabled: input.enabled ?? current.enabled,
        action: input.action ?? current.action,
        thresholds: {
          ...(before?.thresholds ?? {}),
          ...(input.thresholds as Record<string, number | boolean | string>),
        },
        updatedBy: ctx.actor.label,
        updatedAt: ctx.clock.now(),
      };
      await tx
        .insert(fraudRuleSettings)
        .values({ programId, rule, ...values })
        .onConflictDoUpdate({ target: [fraudRuleSettings.programId, fraudRuleSettings.rule], set: values });
    }
    const after = (await loadRuleSet(tx, programId))[rule];
    await recordAudit(tx, ctx, {
      action: "fraud_rule.update",
      entityType: "fraud_rule",
      entityId: ruleEntityId(programId, rule),
      programId,
      before: { enabled: current.enabled, action: current.action, thresholds: current.thresholds },
      after: { enabled: after.enabled, action: after.action, thresholds: after.thresholds },
    });
    // This change, read back as the list reads it: the acting team member by name.
    const changes = await lastRuleChanges(tx, programId, [rule]);
    return toFraudRuleView(after, changes.get(rule));
  });
  // After the commit: a conversion in between would otherwise cache the old settings again.
  forgetRules(programId);
  return view;
}
