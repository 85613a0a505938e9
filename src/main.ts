import type { Config } from "./config.js";
import { type Database, openDatabase } from "./db/client.js";
import { migrateDatabase } from "./db/migrate.js";
import { ensureSetting } from "./db/settings.js";
import { createPayoutRuntime } from "./domain/payouts/payout-runtime.js";
import { fillStripeAccountDigests } from "./domain/stripe-events/fill-stripe-account-digests.js";
import { type App, createApp } from "./http/app.js";
import { type JobRunner, startJobs } from "./jobs/job-runner.js";
import { jobDefinitions } from "./jobs/registry.js";
import { type Clock, systemClock } from "./lib/clock.js";
import { randomToken } from "./lib/crypto.js";

export interface Runtime {
  app: App;
  jobs: JobRunner | undefined;
  database: Database;
  close(): Promise<void>;
}

export async function connect(config: Config): Promise<Database> {
  const database = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    dataDir: config.DATA_DIR,
    poolSize: config.DATABASE_POOL_SIZE,
  });
  await migrateDatabase(database);
  return database;
}

/** Composition root: config → database (migrated) → HTTP app. */
export async function buildRuntime(
  config: Config,
  options: { clock?: Clock; database?: Database; logger?: boolean } = {},
): Promise<Runtime> {
  const database = options.database ?? (await connect(config));
  const cookieSecret =
    config.COOKIE_SECRET ?? (await ensureSetting(database.db, "cookie_secret", () => randomToken(32)));
  const payouts = await createPayoutRuntime(config, database.db);
  const app = await createApp(
    { config, database, clock: options.clock ?? systemClock, cookieSecret, payouts },
    { logger: options.logger ?? true },
  );
  // Here rather than in the webhook: one unreadable method must not turn every Stripe event into an error.
  await fillStripeAccountDigests({ db: database.db, log: app.log }, payouts.keyring);
  // Scheduled jobs (holding release, commission sweep, bonuses, payout runs) run in every instance that has
  // them on; pg-boss hands each run to exactly one of them.
  const jobs =
    config.JOBS === "on"
      ? await startJobs(
          database,
          {
            db: database.db,
            clock: options.clock ?? systemClock,
            log: app.log,
            commissions: app.commissions,
            intake: app.intake.worker,
          },
          jobDefinitions,
        )
      : undefined;
  return {
    app,
    database,
    jobs,
    close: async () => {
      await jobs?.stop();
      await app.close();
      await database.close();
    },
  };
}
