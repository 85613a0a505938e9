import type { JobDefinition } from "../job-definition.js";

/** Conversions kick the engine in-process; the sweep catches credits a crash, a busy engine or an FX rate left queued. */
export const commissionSweep: JobDefinition = {
  name: "commission-sweep",
  cron: "* * * * *",
  description: "compute commissions for every queued conversion credit",
  async run({ commissions }) {
    await commissions.drain();
    return {};
  },
};
