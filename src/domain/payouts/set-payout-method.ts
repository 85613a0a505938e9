import { eq } from "drizzle-orm";
import type { PayoutMethodKind } from "../../db/schema/index.js";
import { partnerUsers, payoutMethods } from "../../db/schema/index.js";
import { verifyPassword } from "../../lib/crypto.js";
import { AppError, fieldError } from "../../lib/errors.js";
import type { Ctx } from "../context.js";
import { rememberPartnerIdentifier } from "../fraud/remember-partner-identifier.js";
import { recordAudit } from "../governance/record-audit.js";
import { stripeAccountDigest } from "../stripe-events/stripe-account-digest.js";
import { actingPartnerId } from "./partner-of.js";
import { maskMethod, normalizeMethod, type PayoutMethodDetails } from "./payout-method-details.js";
import { type PayoutRuntime, payoutRuntime } from "./payout-runtime.js";
import { toPayoutMethodView } from "./payout-view.js";
import type { SetPayoutMethodRequest } from "./payouts.schemas.js";

/** Where the money goes is changed only by someone who knows the password, not by whoever holds a session. */
export async function confirmPassword(ctx: Ctx, password: string) {
  if (ctx.actor.type !== "partner") throw new AppError("forbidden", "only partner users manage their payout method");
  const [user] = await ctx.db
    .select({ passwordHash: partnerUsers.passwordHash })
    .from(partnerUsers)
    .where(eq(partnerUsers.id, ctx.actor.id));
  if (!user || !(await verifyPassword(user.passwordHash, password))) {
    throw fieldError("/currentPassword", "the password is not correct");
  }
}

type Keyring = PayoutRuntime["keyring"];

/** The account digest of the saved method; one saved before the digest column existed has none stored yet. */
function savedDigest(keyring: Keyring, method: typeof payoutMethods.$inferSelect): string | null {
  if (method.stripeAccountDigest || method.kind !== "stripe_connect") return method.stripeAccountDigest;
  try {
    const details = JSON.parse(keyring.open(method.detailsEncrypted, method.partnerId)) as PayoutMethodDetails;
    return details.accountId ? stripeAccountDigest(details.accountId) : null;
  } catch {
    // Unreadable (its key removed): it is being replaced anyway, and its mark cannot be tied to an account.
    return null;
  }
}

/**
 * The signed-in partner sets (or replaces) its organisation's payout method. The details are encrypted with
 * the newest key, bound to the partner id; the audit log records the kind and the masked form only.
 */
export async function setPayoutMethod(ctx: Ctx, input: SetPayoutMethodRequest) {
  const partnerId = actingPartnerId(ctx.actor);
  await confirmPassword(ctx, input.currentPassword);
  const { currentPassword: _confirmed, ...method } = input;
  const { kind, details } = normalizeMethod(method);
  return savePayoutMethod(ctx, partnerId, kind, details);
}

/**
 * Stores a checked method for the partner, in place of any other. `stripeState`: what Stripe said of the account
 * just now (the onboarding's return reads it), so the method starts with Stripe's word instead of none.
 */
export async function savePayoutMethod(
  ctx: Ctx,
  partnerId: string,
  kind: PayoutMethodKind,
  details: PayoutMethodDetails,
  stripeState?: { attention: string | null; readAt: Date },
) {
  const { keyring } = payoutRuntime(ctx);
  const now = ctx.clock.now();
  const masked = maskMethod(kind, details);
  const digest = kind === "stripe_connect" && details.accountId ? stripeAccountDigest(details.accountId) : null;
  const values = {
    kind,
    detailsEncrypted: keyring.seal(JSON.stringify(details), partnerId),
    keyId: keyring.current.id,
    masked,
    currency: details.currency ?? null,
    stripeAccountDigest: digest,
    updatedBy: ctx.actor.label,
    updatedAt: now,
  };
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx.select().from(payoutMethods).where(eq(payoutMethods.partnerId, partnerId)).for("update");
    // Stripe's word on an account stays with that account: another account (or method) starts without it.
    const sameAccount = digest !== null && before !== undefined && savedDigest(keyring, before) === digest;
    const fresh = stripeState
      ? {
          attentionReason: stripeState.attention,
          attentionSince: stripeState.attention ? (sameAccount ? (before?.attentionSince ?? now) : now) : null,
          accountEventAt: stripeState.readAt,
        }
      : sameAccount
        ? {}
        : { attentionReason: null, attentionSince: null, accountEventAt: null };
    const [row] = await tx
      .insert(payoutMethods)
      .values({ partnerId, createdAt: now, ...values, ...(stripeState ? fresh : {}) })
      .onConflictDoUpdate({ target: payoutMethods.partnerId, set: { ...values, ...fresh } })
      .returning();
    if (!row) throw new Error("upsert returned no row");
    if (details.email) {
      await rememberPartnerIdentifier(tx, { partnerId }, { kind: "payout_email", value: details.email }, now);
    }
    await recordAudit(tx, ctx, {
      action: before ? "payout_method.update" : "payout_method.create",
      entityType: "payout_method",
      entityId: partnerId,
      partnerId,
      before: before ? { kind: before.kind, masked: before.masked } : null,
      after: { kind, masked, ...(stripeState ? { via: "stripe_onboarding" } : {}) },
    });
    return toPayoutMethodView(row);
  });
}
