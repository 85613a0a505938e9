import { systemActor } from "../../domain/context.js";
import { runPayouts } from "../../domain/payouts/run-payouts.js";
import type { JobDefinition } from "../job-definition.js";

/**
 * Daily: what each program's schedule has made payable becomes payouts (monthly programs on the 1st, NET-x
 * programs N days after a month ends; balances that reach the minimum later are paid on the next day).
 * Re-running is harmless: entries already in a payout are not payable any more.
 */
export const payoutRunJob: JobDefinition = {
  name: "payout-run",
  cron: "0 2 * * *",
  description: "create payouts from approved commissions that the programs' payout schedules make payable",
  async run(deps) {
    const ctx = { ...deps, actor: { ...systemActor, label: "payout-run job" }, config: { sessionTtlHours: 0 } };
    const result = await runPayouts(ctx, {});
    return { runId: result.runId, payouts: result.payoutsCreated, skipped: result.partnersSkipped };
  },
};
