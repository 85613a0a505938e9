import { rollUpClickHours } from "../../domain/stats/click-hours.js";
import type { JobDefinition } from "../job-definition.js";

/**
 * The charts read ended hours from click_hours (a program's, the account's) and click_partner_hours (a partner's),
 * the partner ranking and the clicks' totals ended days from click_partner_days; this keeps them a few minutes
 * behind the clock.
 */
export const rollUpClickHoursJob: JobDefinition = {
  name: "roll-up-click-hours",
  cron: "*/5 * * * *",
  description:
    "count clicks per program and hour, per partner and hour, and per partner link and day, once they have ended",
  async run(deps) {
    return rollUpClickHours(deps);
  },
};
