import { eq } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { fraudRuleSettings } from "../../db/schema/index.js";
import { AppError } from "../../lib/errors.js";
import type { Ctx } from "../context.js";
import { findProgram } from "../programs/get-program.js";
import { type EffectiveRule, effectiveRules, ruleCatalog, thresholdFields } from "./fraud-rules.js";
import { lastRuleChanges, type RuleChange } from "./last-rule-changes.js";

/** A rule as the API shows it; without a last change, it was never changed (nor reset) for this program. */
export const toFraudRuleView = (rule: EffectiveRule, lastChanged: RuleChange | undefined) => {
  const entry = ruleCatalog[rule.rule];
  return {
    rule: rule.rule,
    when: entry.when,
    description: entry.description,
    enabled: rule.enabled,
    action: rule.action,
    thresholds: rule.thresholds as Record<string, unknown>,
    defaults: { action: entry.action, thresholds: entry.defaults as Record<string, unknown> },
    fields: thresholdFields(rule.rule),
    customized: rule.customized,
    lastChanged: lastChanged ?? null,
  };
};

export async function loadRuleSet(db: Db, programId: string) {
  return effectiveRules(await db.select().from(fraudRuleSettings).where(eq(fraudRuleSettings.programId, programId)));
}

/** Every fraud rule of a program with what applies now: the program's settings over the documented defaults. */
export async function listFraudRules(ctx: Ctx, programId: string) {
  if (!(await findProgram(ctx.db, programId))) throw new AppError("not_found", `program ${programId} not found`);
  const rules = Object.values(await loadRuleSet(ctx.db, programId));
  const changes = await lastRuleChanges(
    ctx.db,
    programId,
    rules.map((r) => r.rule),
  );
  return rules.map((rule) => toFraudRuleView(rule, changes.get(rule.rule)));
}
