import { evaluateBonuses } from "../../domain/commissions/evaluate-bonuses.js";
import type { JobDefinition } from "../job-definition.js";

/** Bonuses are awarded as sales arrive; this catches thresholds that a plan edit made reachable mid-month. */
export const evaluateBonusesJob: JobDefinition = {
  name: "evaluate-bonuses",
  cron: "15 * * * *",
  description: "award monthly performance bonuses and badges reached this month",
  async run(deps) {
    return { awarded: await evaluateBonuses(deps) };
  },
};
