import { eq } from "drizzle-orm";
import type Stripe from "stripe";
import { stripeEvents } from "../../db/schema/index.js";
import type { Actor, Ctx } from "../context.js";
import { payoutRuntime } from "../payouts/payout-runtime.js";
import { applyAccountStatus } from "./apply-account-status.js";
import { applyTransferReversal } from "./apply-transfer-reversal.js";

/** Who the audit log says changed a payout or a payout method because of an event. */
const stripeActor: Actor = { type: "system", label: "Stripe webhook" };

export interface StripeEventResult {
  received: true;
  /** The event id was handled before: nothing was done this time. */
  duplicate: boolean;
  outcome: string;
}

/**
 * A verified Stripe event, handled once: its id is recorded in the same transaction as its effect, so a
 * redelivery (Stripe retries until it gets a 2xx, and may deliver twice) finds it and changes nothing, and a
 * crash half-way leaves neither. Types Tributary does not use are acknowledged and recorded as ignored.
 */
export async function handleStripeEvent(requestCtx: Ctx, event: Stripe.Event): Promise<StripeEventResult> {
  const ctx = { ...requestCtx, actor: stripeActor };
  const { keyring } = payoutRuntime(ctx);
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const [fresh] = await tx
      .insert(stripeEvents)
      .values({
        id: event.id,
        type: event.type,
        account: event.account ?? null,
        outcome: "handling",
        stripeCreatedAt: new Date(event.created * 1000),
        receivedAt: now,
      })
      .onConflictDoNothing()
      .returning({ id: stripeEvents.id });
    if (!fresh) return { received: true, duplicate: true, outcome: "already handled" };
    let outcome: string;
    switch (event.type) {
      case "transfer.reversed":
      case "transfer.updated":
        outcome = await applyTransferReversal(tx, ctx, event.data.object, event.id);
        break;
      case "account.updated":
        outcome = await applyAccountStatus(tx, ctx, keyring, event.data.object, event);
        break;
      default:
        outcome = "ignored";
    }
    await tx
      .update(stripeEvents)
      .set({ outcome: outcome.slice(0, 500) })
      .where(eq(stripeEvents.id, event.id));
    return { received: true, duplicate: false, outcome };
  });
}
