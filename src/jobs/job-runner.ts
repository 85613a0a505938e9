import PgBoss from "pg-boss";
import { advisoryLease } from "../db/advisory-lease.js";
import type { Database } from "../db/client.js";
import type { JobDefinition, JobDeps } from "./job-definition.js";

/** The advisory lock key under which an instance creates its job queues ("tribjobq"). */
const QUEUE_CREATION_LOCK = 0x7472_6962_6a6f_6271n;

export interface JobRunner {
  /** Runs a job now through the queue (same path as the schedule) and waits for the result. */
  runNow(name: string): Promise<Record<string, unknown>>;
  stop(): Promise<void>;
}

/**
 * pg-boss on the application's own database: on PostgreSQL through the app's pool, on PGlite through its
 * `query`/`exec` (pg-boss runs its migrations as multi-statement SQL without parameters).
 */
export async function startJobs(
  database: Database,
  deps: JobDeps,
  definitions: JobDefinition[],
  /** Tests tighten pg-boss's polling intervals. */
  tuning: PgBoss.SchedulingOptions & PgBoss.MaintenanceOptions = {},
): Promise<JobRunner> {
  const boss = new PgBoss({ db: adapterFor(database), schedule: true, supervise: true, migrate: true, ...tuning });
  boss.on("error", (error) => deps.log.error({ err: error }, "job queue error"));
  await boss.start();
  const byName = new Map(definitions.map((d) => [d.name, d]));
  const waiting = new Map<string, (result: Record<string, unknown>) => void>();
  // Instances starting together create the queues in turn: creating one is DDL (a partition of pg-boss's job table),
  // and two sessions creating the same queue at once deadlocked (seen in CI on PostgreSQL).
  const lease = await advisoryLease(database, QUEUE_CREATION_LOCK)?.(true);
  try {
    for (const definition of definitions) {
      // A singleton queue holds at most one active run: a slow run is never overlapped by the next tick.
      await boss.createQueue(definition.name, {
        name: definition.name,
        policy: "singleton",
        retryLimit: 3,
        retryDelay: 30,
      });
    }
  } finally {
    await lease?.release();
  }
  for (const definition of definitions) {
    await boss.schedule(definition.name, definition.cron, {}, { tz: "UTC" });
    await boss.work<{ requestId?: string }>(
      definition.name,
      { pollingIntervalSeconds: 2, includeMetadata: true },
      async ([job]) => {
        if (!job) return {};
        const result = await definition.run(deps, { id: job.id, createdOn: new Date(job.createdOn) });
        deps.log.info({ job: definition.name, ...result }, "job done");
        const requestId = job.data?.requestId;
        if (requestId) waiting.get(requestId)?.(result);
        return result;
      },
    );
  }
  return {
    async runNow(name) {
      if (!byName.has(name)) throw new Error(`no job ${name}`);
      const requestId = `${name}:${Date.now()}:${Math.random()}`;
      const done = new Promise<Record<string, unknown>>((resolve) => waiting.set(requestId, resolve));
      await boss.send(name, { requestId });
      try {
        return await done;
      } finally {
        waiting.delete(requestId);
      }
    },
    async stop() {
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
    },
  };
}

function adapterFor(database: Database): PgBoss.Db {
  if (database.pool) {
    const pool = database.pool;
    return { executeSql: (text, values) => pool.query(text, values) };
  }
  const pglite = database.pglite!;
  return {
    async executeSql(text, values) {
      if (values && values.length > 0) return pglite.query(text, values);
      const results = await pglite.exec(text);
      return { rows: results.at(-1)?.rows ?? [] };
    },
  };
}
