import { analyzeSmallTables } from "../../db/small-table-stats.js";
import type { JobDefinition } from "../job-definition.js";

/** Keeps the planner's row counts of programs and the other configuration-sized tables right (see small-table-stats). */
export const analyzeSmallTablesJob: JobDefinition = {
  name: "analyze-small-tables",
  cron: "*/5 * * * *",
  description: "analyze programs, plans, fraud settings and the team when they changed since last analyzed",
  async run(deps) {
    return analyzeSmallTables(deps.db);
  },
};
