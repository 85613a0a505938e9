import type { Db } from "../db/client.js";
import type { CommissionWorker } from "../domain/commissions/commission-worker.js";
import type { Logger } from "../domain/context.js";
import type { Clock } from "../lib/clock.js";

/** What a scheduled job may use. */
export interface JobDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  commissions: CommissionWorker;
  /** Records what waits in the intake (IntakeWorker). */
  intake: { drain(): Promise<void> };
}

/**
 * A scheduled job. pg-boss creates one run per cron tick across every instance (a singleton queue), and a run
 * is fetched with SKIP LOCKED by exactly one worker; `run` must still be idempotent, because a run that crashes
 * midway is retried.
 */
export interface JobDefinition {
  name: string;
  /** Cron in UTC, e.g. every five minutes: 0/5 * * * * */
  cron: string;
  description: string;
  run(deps: JobDeps, job: { id: string; createdOn: Date }): Promise<Record<string, unknown>>;
}
