import { eq } from "drizzle-orm";
import Stripe from "stripe";
import type { Config } from "../../config.js";
import type { Db } from "../../db/client.js";
import { settings } from "../../db/schema/index.js";
import { ensureSetting } from "../../db/settings.js";
import { AppError } from "../../lib/errors.js";
import { type EncryptionKey, generateKeySpec, Keyring, parseKeyList } from "../../lib/secret-box.js";
import type { Ctx } from "../context.js";

/** What the payout use cases need beyond the database: the keyring for payout details and the Stripe client. */
export interface PayoutRuntime {
  keyring: Keyring;
  /** Present when STRIPE_SECRET_KEY is set. */
  stripe?: Stripe | undefined;
  /** Present when STRIPE_WEBHOOK_SECRET is set: the signing secrets of the Stripe webhook endpoints. */
  stripeWebhookSecrets?: string[] | undefined;
  /** Whether STRIPE_SECRET_KEY is a live-mode key (`sk_live_…`, `rk_live_…`): events of the other mode are not ours. */
  stripeLivemode?: boolean | undefined;
}

export const GENERATED_KEY_SETTING = "payout_encryption_key";

/**
 * The keyring: PAYOUT_ENCRYPTION_KEYS when configured (first key encrypts), followed by the key generated
 * at first start (kept in the database like the cookie secret) so values written before the keys were
 * configured still decrypt until they are re-encrypted. With no configuration the generated key is used.
 */
export async function loadKeyring(db: Db, configured: EncryptionKey[] | undefined): Promise<Keyring> {
  if (!configured?.length) {
    return new Keyring(parseKeyList(await ensureSetting(db, GENERATED_KEY_SETTING, () => generateKeySpec("local"))));
  }
  const [stored] = await db.select().from(settings).where(eq(settings.key, GENERATED_KEY_SETTING));
  return new Keyring([...configured, ...(stored ? parseKeyList(stored.value) : [])]);
}

export function createStripeClient(secretKey: string, apiBase?: string): Stripe {
  const base = apiBase ? new URL(apiBase) : undefined;
  return new Stripe(secretKey, {
    maxNetworkRetries: 2,
    timeout: 30_000,
    telemetry: false,
    ...(base
      ? {
          host: base.hostname,
          port: base.port || (base.protocol === "http:" ? 80 : 443),
          protocol: base.protocol === "http:" ? "http" : "https",
        }
      : {}),
  });
}

export async function createPayoutRuntime(
  config: Pick<Config, "PAYOUT_ENCRYPTION_KEYS" | "STRIPE_SECRET_KEY" | "STRIPE_API_BASE"> &
    Partial<Pick<Config, "STRIPE_WEBHOOK_SECRET">>,
  db: Db,
): Promise<PayoutRuntime> {
  return {
    keyring: await loadKeyring(db, config.PAYOUT_ENCRYPTION_KEYS),
    stripe: config.STRIPE_SECRET_KEY ? createStripeClient(config.STRIPE_SECRET_KEY, config.STRIPE_API_BASE) : undefined,
    stripeWebhookSecrets: config.STRIPE_WEBHOOK_SECRET,
    stripeLivemode: config.STRIPE_SECRET_KEY ? /^(sk|rk)_live_/.test(config.STRIPE_SECRET_KEY) : undefined,
  };
}

export function payoutRuntime(ctx: Pick<Ctx, "payouts">): PayoutRuntime {
  if (!ctx.payouts) throw new Error("the payout runtime is not configured in this context");
  return ctx.payouts;
}

export function stripeClient(ctx: Pick<Ctx, "payouts">): Stripe {
  const stripe = payoutRuntime(ctx).stripe;
  if (!stripe)
    throw new AppError(
      "invalid_state",
      "Stripe is not configured: set STRIPE_SECRET_KEY to send Stripe Connect transfers",
    );
  return stripe;
}
