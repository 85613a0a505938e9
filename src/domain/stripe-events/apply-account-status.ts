import { and, eq, isNull } from "drizzle-orm";
import type Stripe from "stripe";
import type { Db } from "../../db/client.js";
import { payoutMethods } from "../../db/schema/index.js";
import type { Ctx } from "../context.js";
import { recordAudits } from "../governance/record-audit.js";
import type { PayoutMethodDetails } from "../payouts/payout-method-details.js";
import type { PayoutRuntime } from "../payouts/payout-runtime.js";
import { accountAttention } from "./account-attention.js";
import { stripeAccountDigest } from "./stripe-account-digest.js";

type StripeCtx = Pick<Ctx, "actor" | "clock" | "log">;

/**
 * Stripe methods saved before the digest column existed have none: the first account event after an upgrade
 * decrypts those once and fills it in, so later events find their method by one index probe.
 */
async function fillMissingDigests(tx: Db, keyring: PayoutRuntime["keyring"]) {
  const missing = await tx
    .select({ partnerId: payoutMethods.partnerId, detailsEncrypted: payoutMethods.detailsEncrypted })
    .from(payoutMethods)
    .where(and(eq(payoutMethods.kind, "stripe_connect"), isNull(payoutMethods.stripeAccountDigest)));
  for (const m of missing) {
    const details = JSON.parse(keyring.open(m.detailsEncrypted, m.partnerId)) as PayoutMethodDetails;
    if (!details.accountId) continue;
    await tx
      .update(payoutMethods)
      .set({ stripeAccountDigest: stripeAccountDigest(details.accountId) })
      .where(eq(payoutMethods.partnerId, m.partnerId));
  }
  return missing.length;
}

const methodsOf = (tx: Db, digest: string) =>
  tx
    .select()
    .from(payoutMethods)
    .where(and(eq(payoutMethods.stripeAccountDigest, digest), eq(payoutMethods.kind, "stripe_connect")))
    .for("update");

/**
 * `account.updated`: a connected account that can no longer be paid marks the payout methods that use it as
 * needing attention, with Stripe's reason (payouts to it are then held out of Stripe batches); one that can be
 * paid again clears the mark. An event older than the last one applied to a method changes nothing there.
 * Runs in the caller's transaction and returns what it did, for the event log.
 */
export async function applyAccountStatus(
  tx: Db,
  ctx: StripeCtx,
  keyring: PayoutRuntime["keyring"],
  account: Stripe.Account,
  event: Pick<Stripe.Event, "id" | "created">,
) {
  const digest = stripeAccountDigest(account.id);
  let methods = await methodsOf(tx, digest);
  if (methods.length === 0 && (await fillMissingDigests(tx, keyring)) > 0) methods = await methodsOf(tx, digest);
  if (methods.length === 0) {
    ctx.log.info({ account: account.id, eventId: event.id }, "Stripe account event for no partner's payout method");
    return `unknown account ${account.id}`;
  }
  const reason = accountAttention(account);
  const eventAt = new Date(event.created * 1000);
  const now = ctx.clock.now();
  let changed = 0;
  for (const m of methods) {
    if (m.accountEventAt && m.accountEventAt.getTime() > eventAt.getTime()) continue;
    await tx
      .update(payoutMethods)
      .set({
        attentionReason: reason,
        attentionSince: reason ? (m.attentionSince ?? now) : null,
        accountEventAt: eventAt,
      })
      .where(eq(payoutMethods.partnerId, m.partnerId));
    if (m.attentionReason === reason) continue;
    changed += 1;
    await recordAudits(tx, ctx, [
      {
        action: reason ? "payout_method.needs_attention" : "payout_method.attention_cleared",
        entityType: "payout_method",
        entityId: m.partnerId,
        partnerId: m.partnerId,
        before: { attentionReason: m.attentionReason },
        after: { attentionReason: reason, stripeEventId: event.id },
      },
    ]);
  }
  const state = reason ? "needs attention" : "can be paid";
  return `account ${account.id} ${state}; ${changed} of ${methods.length} payout method(s) changed`;
}
