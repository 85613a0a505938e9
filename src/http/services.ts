import type { Config } from "../config.js";
import type { Database } from "../db/client.js";
import type { CommissionWorker } from "../domain/commissions/commission-worker.js";
import type { PayoutRuntime } from "../domain/payouts/payout-runtime.js";
import type { TrackingRuntime } from "../domain/tracking/tracking-runtime.js";
import type { Clock } from "../lib/clock.js";

/** What the composition root hands the HTTP layer. */
export interface AppServices {
  config: Config;
  database: Database;
  clock: Clock;
  /** Signs cookies (the CSRF secret); generated once per installation and kept in the database. */
  cookieSecret: string;
  /** Created by createApp when not given, and closed (clicks flushed) when the app closes. */
  tracking?: TrackingRuntime;
  /** The in-process commission engine runner; created by createApp when not given. */
  commissions?: CommissionWorker;
  /** Created by createApp when not given (keyring from PAYOUT_ENCRYPTION_KEYS or the generated key, Stripe client). */
  payouts?: PayoutRuntime;
}
