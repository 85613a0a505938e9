import type { FieldError } from "../../lib/errors.js";
import type { PlanDefinition } from "./plan-definition.js";

/** Rules the schema cannot express; each problem points at its field under `pointer` (e.g. `/definition`). */
export function validatePlanDefinition(plan: PlanDefinition, pointer: string): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  plan.rules.forEach((rule, i) => {
    const at = `${pointer}/rules/${i}`;
    if (seen.has(rule.id)) errors.push({ field: `${at}/id`, message: `rule id ${rule.id} is used twice` });
    seen.add(rule.id);
    if (!rule.reward && !rule.tiers) errors.push({ field: `${at}/reward`, message: "a rule needs a reward or tiers" });
    if (rule.event === "lead" && rule.duration) {
      errors.push({ field: `${at}/duration`, message: "a duration applies to sale rules only" });
    }
    if (rule.tiers) {
      const levels = rule.tiers.levels;
      if (levels[levels.length - 1]!.upTo !== null) {
        errors.push({
          field: `${at}/tiers/levels/${levels.length - 1}/upTo`,
          message: "the last level must have no upper limit (null)",
        });
      }
      for (let l = 1; l < levels.length; l++) {
        const previous = levels[l - 1]!.upTo;
        const current = levels[l]!.upTo;
        if (previous === null || (current !== null && current <= previous)) {
          errors.push({ field: `${at}/tiers/levels/${l}/upTo`, message: "levels must rise in order" });
        }
      }
    }
  });
  for (const [name, list] of [
    ["bonuses", plan.bonuses],
    ["badges", plan.badges],
  ] as const) {
    const ids = new Set<string>();
    list?.forEach((item, i) => {
      if (ids.has(item.id))
        errors.push({ field: `${pointer}/${name}/${i}/id`, message: `id ${item.id} is used twice` });
      ids.add(item.id);
    });
  }
  return errors;
}
