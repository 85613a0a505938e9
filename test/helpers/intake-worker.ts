import { advisoryLease } from "../../src/db/advisory-lease.js";
import type { Database } from "../../src/db/client.js";
import type { Logger } from "../../src/domain/context.js";
import type { ProgramCache } from "../../src/domain/conversions/find-program-ref.js";
import { INTAKE_LOCK, IntakeWorker } from "../../src/domain/intake/intake-worker.js";
import { loadClickIdKeys } from "../../src/domain/tracking/tracking-runtime.js";
import { TtlCache } from "../../src/domain/ttl-cache.js";
import type { Clock } from "../../src/lib/clock.js";

/** A real intake worker on this database, for jobs started outside an app. */
export async function intakeWorkerFor(
  database: Database,
  clock: Clock,
  log: Logger,
  commissions: { kick(): void },
  onRound?: (tried: number) => void,
): Promise<IntakeWorker> {
  const programs: ProgramCache = new TtlCache(30_000);
  return new IntakeWorker({
    db: database.db,
    clock,
    log,
    keys: await loadClickIdKeys(database.db),
    programs,
    commissions,
    // As an app's worker: on PostgreSQL one instance records at a time.
    lease: advisoryLease(database, INTAKE_LOCK),
    onRound,
  });
}
