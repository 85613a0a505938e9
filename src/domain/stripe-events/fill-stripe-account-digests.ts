import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { payoutMethods } from "../../db/schema/index.js";
import type { Ctx } from "../context.js";
import type { PayoutMethodDetails } from "../payouts/payout-method-details.js";
import type { PayoutRuntime } from "../payouts/payout-runtime.js";
import { stripeAccountDigest } from "./stripe-account-digest.js";

/**
 * Stripe methods saved before the digest column existed (migration 0009) have none, so Stripe's account events
 * cannot find them. Run at startup: it decrypts each of those once and fills the digest in. A row that does
 * not decrypt (a key removed too early) is logged and left for the next start; the others are filled anyway.
 * Safe on several instances at once: each update writes the same value and only where it is still missing.
 */
export async function fillStripeAccountDigests(
  deps: { db: Db; log: Ctx["log"] },
  keyring: PayoutRuntime["keyring"],
): Promise<{ filled: number; failed: number }> {
  const missing = await deps.db
    .select({ partnerId: payoutMethods.partnerId, detailsEncrypted: payoutMethods.detailsEncrypted })
    .from(payoutMethods)
    .where(and(eq(payoutMethods.kind, "stripe_connect"), isNull(payoutMethods.stripeAccountDigest)));
  let filled = 0;
  let failed = 0;
  for (const m of missing) {
    try {
      const details = JSON.parse(keyring.open(m.detailsEncrypted, m.partnerId)) as PayoutMethodDetails;
      if (!details.accountId) continue;
      await deps.db
        .update(payoutMethods)
        .set({ stripeAccountDigest: stripeAccountDigest(details.accountId) })
        .where(and(eq(payoutMethods.partnerId, m.partnerId), isNull(payoutMethods.stripeAccountDigest)));
      filled += 1;
    } catch (error) {
      failed += 1;
      deps.log.error(
        { partnerId: m.partnerId, err: error },
        "a Stripe payout method could not be read to index its account: Stripe's account events will not find it",
      );
    }
  }
  if (missing.length > 0) deps.log.info({ filled, failed }, "Stripe account digests filled in");
  return { filled, failed };
}
