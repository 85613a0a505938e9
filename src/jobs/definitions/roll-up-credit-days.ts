import { rollUpCreditDays } from "../../domain/stats/credit-days.js";
import type { JobDefinition } from "../job-definition.js";

/** Top partners reads a program's whole days and weeks of credited conversions from credit_partner_periods. */
export const rollUpCreditDaysJob: JobDefinition = {
  name: "roll-up-credit-days",
  cron: "*/5 * * * *",
  description:
    "count each program's credited conversions per partner and day for the days that conversions arrived for",
  async run(deps) {
    return rollUpCreditDays(deps);
  },
};
