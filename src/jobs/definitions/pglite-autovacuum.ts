import { vacuumLikeAutovacuum } from "../../db/pglite-autovacuum.js";
import type { JobDefinition } from "../job-definition.js";

/** On PGlite, what autovacuum does on PostgreSQL: statistics and dead rows of the tables that changed (see pglite-autovacuum). */
export const pgliteAutovacuumJob: JobDefinition = {
  name: "pglite-autovacuum",
  cron: "*/5 * * * *",
  description:
    "on PGlite, which has no autovacuum: vacuum and analyze the tables that changed past autovacuum's thresholds",
  async run(deps) {
    return vacuumLikeAutovacuum(deps.db);
  },
};
