import { createHash } from "node:crypto";

/**
 * How a Stripe Connect account id is found among payout methods, whose details are only stored encrypted. An
 * account id carries ~95 random bits, so its digest cannot be turned back into it by trying ids.
 */
export const stripeAccountDigest = (accountId: string): string => createHash("sha256").update(accountId).digest("hex");
