import { releaseHoldings } from "../../domain/commissions/release-holdings.js";
import type { JobDefinition } from "../job-definition.js";

export const releaseHoldingsJob: JobDefinition = {
  name: "release-holdings",
  cron: "*/10 * * * *",
  description: "approve pending commissions whose holding period has ended",
  async run(deps) {
    return { approved: await releaseHoldings(deps) };
  },
};
