import type { FastifyBaseLogger } from "fastify";
import type { Db } from "../db/client.js";
import type { TeamRole } from "../db/schema/index.js";
import type { Clock } from "../lib/clock.js";
import type { PayoutRuntime } from "./payouts/payout-runtime.js";

export type Actor =
  | { type: "team"; id: string; label: string; role: TeamRole; ip?: string | undefined }
  | { type: "partner"; id: string; partnerId: string; label: string; ip?: string | undefined }
  | { type: "api_key"; id: string; label: string; scopes: string[]; ip?: string | undefined }
  | { type: "public"; label: string; ip?: string | undefined }
  | { type: "system"; label: string; ip?: undefined };

export type Logger = Pick<FastifyBaseLogger, "info" | "warn" | "error" | "debug">;

/** What every use case receives: `fn(ctx, input)`. */
export interface Ctx {
  db: Db;
  clock: Clock;
  log: Logger;
  actor: Actor;
  config: {
    sessionTtlHours: number;
    publicUrl?: string | undefined;
    /** false: DEVICE_COOKIE=off, Tributary's device cookie is neither set nor read. */
    deviceCookie?: boolean | undefined;
  };
  /**
   * Cache keys a use case changed (links, programs, enrollments, API keys). Other instances hear of them through NOTIFY; the HTTP layer also
   * drops them from this instance's cache once the transaction is done, so a change is visible at once here.
   */
  cacheChanges?: string[];
  /** Payout details keyring and Stripe client; payout use cases need it. */
  payouts?: PayoutRuntime;
}

export const systemActor: Actor = { type: "system", label: "system" };
