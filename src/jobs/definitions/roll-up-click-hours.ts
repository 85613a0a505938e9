import { rollUpClickHours } from "../../domain/stats/click-hours.js";
import type { JobDefinition } from "../job-definition.js";

/** Programs' charts read ended hours from click_hours; this keeps it a few minutes behind the clock. */
export const rollUpClickHoursJob: JobDefinition = {
  name: "roll-up-click-hours",
  cron: "*/5 * * * *",
  description: "count each program's clicks per hour for the hours that have ended",
  async run(deps) {
    return rollUpClickHours(deps);
  },
};
