import { prunePayoutSkips } from "../../domain/payouts/prune-payout-skips.js";
import type { JobDefinition } from "../job-definition.js";

/** Keeps the payout runs' lists of partners left out from growing a row per partner per day forever. */
export const prunePayoutSkipsJob: JobDefinition = {
  name: "prune-payout-skips",
  cron: "30 3 * * *",
  description: "delete the lists of partners left out by payout runs older than 90 days",
  async run(deps) {
    return prunePayoutSkips(deps);
  },
};
