import { eq } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { fraudRuleSettings } from "../../db/schema/index.js";
import { AppError } from "../../lib/errors.js";
import type { Ctx } from "../context.js";
import { findProgram } from "../programs/get-program.js";
import { type EffectiveRule, effectiveRules, ruleCatalog, thresholdFields } from "./fraud-rules.js";

export const toFraudRuleView = (rule: EffectiveRule) => {
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
  };
};

export async function loadRuleSet(db: Db, programId: string) {
  return effectiveRules(await db.select().from(fraudRuleSettings).where(eq(fraudRuleSettings.programId, programId)));
}

/** Every fraud rule of a program with what applies now: the program's settings over the documented defaults. */
export async function listFraudRules(ctx: Ctx, programId: string) {
  if (!(await findProgram(ctx.db, programId))) throw new AppError("not_found", `program ${programId} not found`);
  return Object.values(await loadRuleSet(ctx.db, programId)).map(toFraudRuleView);
}
