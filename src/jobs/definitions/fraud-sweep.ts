import { runFraudSweep } from "../../domain/fraud/run-fraud-sweep.js";
import type { JobDefinition } from "../job-definition.js";

/**
 * Every 30 minutes: the fraud rules that need history (click spamming, cookie stuffing, conversion-rate outliers,
 * velocity once its window has passed). Commissions stay pending for the holding period (30 days by default), so
 * a hold decided here still comes well before money leaves.
 */
export const fraudSweepJob: JobDefinition = {
  name: "fraud-sweep",
  cron: "*/30 * * * *",
  description: "run the fraud rules that need history and hold the commissions of what they find",
  async run(deps) {
    const result = await runFraudSweep(deps);
    return { programs: result.programs, held: result.held, rejected: result.rejected, ...result.decisions };
  },
};
