import { analyzeSmallTablesJob } from "./definitions/analyze-small-tables.js";
import { commissionSweep } from "./definitions/commission-sweep.js";
import { evaluateBonusesJob } from "./definitions/evaluate-bonuses.js";
import { forgetIpSaltsJob } from "./definitions/forget-ip-salts.js";
import { fraudSweepJob } from "./definitions/fraud-sweep.js";
import { intakeSweepJob } from "./definitions/intake-sweep.js";
import { payoutRunJob } from "./definitions/payout-run.js";
import { pgliteAutovacuumJob } from "./definitions/pglite-autovacuum.js";
import { prunePayoutSkipsJob } from "./definitions/prune-payout-skips.js";
import { releaseHoldingsJob } from "./definitions/release-holdings.js";
import { rollUpClickHoursJob } from "./definitions/roll-up-click-hours.js";
import { rollUpCreditDaysJob } from "./definitions/roll-up-credit-days.js";
import type { JobDefinition } from "./job-definition.js";

/** Every scheduled job; add a definition file and list it here. */
export const jobDefinitions: JobDefinition[] = [
  commissionSweep,
  releaseHoldingsJob,
  evaluateBonusesJob,
  payoutRunJob,
  prunePayoutSkipsJob,
  fraudSweepJob,
  rollUpClickHoursJob,
  rollUpCreditDaysJob,
  forgetIpSaltsJob,
  intakeSweepJob,
  analyzeSmallTablesJob,
  pgliteAutovacuumJob,
];
