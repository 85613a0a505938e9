import { and, eq } from "drizzle-orm";
import type Stripe from "stripe";
import type { Db } from "../../db/client.js";
import { payoutMethods } from "../../db/schema/index.js";
import type { Ctx } from "../context.js";
import { recordAudits } from "../governance/record-audit.js";
import { accountAttention } from "./account-attention.js";
import { stripeAccountDigest } from "./stripe-account-digest.js";

type StripeCtx = Pick<Ctx, "actor" | "clock" | "log">;

const usesAccount = (digest: string) =>
  and(eq(payoutMethods.stripeAccountDigest, digest), eq(payoutMethods.kind, "stripe_connect"));

/** Whether a payout method here uses the account, so that Stripe is asked about it only then. */
export async function accountIsKnown(db: Db, accountId: string) {
  const [row] = await db
    .select({ partnerId: payoutMethods.partnerId })
    .from(payoutMethods)
    .where(usesAccount(stripeAccountDigest(accountId)))
    .limit(1);
  return row !== undefined;
}

/**
 * `account.updated`: a connected account that can no longer be paid marks the payout methods that use it as
 * needing attention, with Stripe's reason (payouts to it are then held out of Stripe batches); one that can be
 * paid again clears the mark. `account` is Stripe's state read at `readAt`, not the event's copy: events come
 * out of order and their `created` has second precision, so the state read last is the one applied, and a
 * state read before the one already applied changes nothing. Runs in the caller's transaction and returns what
 * it did, for the event log.
 */
export async function applyAccountStatus(
  tx: Db,
  ctx: StripeCtx,
  account: Stripe.Account,
  readAt: Date,
  eventId: string,
) {
  const methods = await tx
    .select()
    .from(payoutMethods)
    .where(usesAccount(stripeAccountDigest(account.id)))
    .for("update");
  if (methods.length === 0) {
    ctx.log.info({ account: account.id, eventId }, "Stripe account event for no partner's payout method");
    return `unknown account ${account.id}`;
  }
  const reason = accountAttention(account);
  const now = ctx.clock.now();
  let changed = 0;
  for (const m of methods) {
    if (m.accountEventAt && m.accountEventAt.getTime() > readAt.getTime()) continue;
    await tx
      .update(payoutMethods)
      .set({
        attentionReason: reason,
        attentionSince: reason ? (m.attentionSince ?? now) : null,
        accountEventAt: readAt,
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
        after: { attentionReason: reason, stripeEventId: eventId },
      },
    ]);
  }
  const state = reason ? "needs attention" : "can be paid";
  return `account ${account.id} ${state}; ${changed} of ${methods.length} payout method(s) changed`;
}
