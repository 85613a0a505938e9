import type { payoutMethods } from "../../src/db/schema/index.js";
import type { Keyring } from "../../src/lib/secret-box.js";

/** PayPal payout methods for these partners, sealed as the portal seals them: rows for payout_methods. */
export const sealedPaypalMethods = (
  keyring: Keyring,
  partnerIds: string[],
  at: Date,
): (typeof payoutMethods.$inferInsert)[] =>
  partnerIds.map((partnerId) => ({
    partnerId,
    kind: "paypal" as const,
    detailsEncrypted: keyring.seal(JSON.stringify({ email: `${partnerId}@example.com` }), partnerId),
    keyId: keyring.current.id,
    masked: "PayPal p***@example.com",
    updatedBy: "setup",
    createdAt: at,
    updatedAt: at,
  }));
