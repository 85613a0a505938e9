import { eq } from "drizzle-orm";
import Stripe from "stripe";
import { stripeEvents } from "../../db/schema/index.js";
import type { Actor, Ctx } from "../context.js";
import { type PayoutRuntime, payoutRuntime, stripeClient } from "../payouts/payout-runtime.js";
import { accountIsKnown, applyAccountStatus } from "./apply-account-status.js";
import { applyTransferReversal, mayPayAPayout } from "./apply-transfer-reversal.js";

/** Who the audit log says changed a payout or a payout method because of an event. */
const stripeActor: Actor = { type: "system", label: "Stripe webhook" };

export interface StripeEventResult {
  received: true;
  /** The event id was handled before: nothing was done this time. */
  duplicate: boolean;
  outcome: string;
}

/** What an event is about, as Stripe's API says now, or why it changes nothing here. */
type Subject =
  | { kind: "transfer"; transfer: Stripe.Transfer }
  | { kind: "account"; account: Stripe.Account; readAt: Date }
  | { kind: "ignored"; outcome: string };

const ignored = (outcome: string): Subject => ({ kind: "ignored", outcome });

/** Stripe answers 404 for an object the platform's key cannot see (another account's, or the other mode's). */
const missing = (error: unknown) =>
  error instanceof Stripe.errors.StripeError && (error.statusCode === 404 || error.statusCode === 403);

/**
 * The event's own copy is never trusted beyond its id and type: a connected account (a partner) can make its
 * own transfers with any metadata and reverse them, in test mode too, and its events reach the Connect
 * endpoint signed like any other. So transfer events count only from the platform endpoint (no `account`),
 * account events only from connected accounts, only in the mode of the platform's key, and the transfer or
 * account is read again from Stripe with the platform's key. Runs before the transaction: no lock is held
 * while Stripe answers, and a network error is a 500, so Stripe delivers the event again later.
 */
async function readSubject(ctx: Ctx, runtime: PayoutRuntime, event: Stripe.Event): Promise<Subject> {
  const isTransfer = event.type === "transfer.reversed" || event.type === "transfer.updated";
  if (!isTransfer && event.type !== "account.updated") return ignored("ignored");
  if (runtime.stripeLivemode !== undefined && event.livemode !== runtime.stripeLivemode) {
    const mode = (live: boolean) => (live ? "live" : "test");
    return ignored(
      `ignored: a ${mode(event.livemode)}-mode event, and STRIPE_SECRET_KEY is a ${mode(runtime.stripeLivemode)}-mode key`,
    );
  }
  const stripe = stripeClient(ctx);
  if (isTransfer) {
    const copy = event.data.object as Stripe.Transfer;
    if (event.account)
      return ignored(
        `ignored: transfer ${copy.id} belongs to connected account ${event.account}; transfers count only from the platform endpoint`,
      );
    if (!(await mayPayAPayout(ctx.db, copy))) return ignored(`unknown transfer ${copy.id}`);
    try {
      return { kind: "transfer", transfer: await stripe.transfers.retrieve(copy.id) };
    } catch (error) {
      if (!missing(error)) throw error;
      return ignored(`unknown transfer ${copy.id}: not a transfer of the platform account`);
    }
  }
  if (!event.account) return ignored("ignored: an account event without `account` is the platform's own");
  if (!(await accountIsKnown(ctx.db, event.account))) return ignored(`unknown account ${event.account}`);
  try {
    const account = await stripe.accounts.retrieve(event.account);
    return { kind: "account", account, readAt: ctx.clock.now() };
  } catch (error) {
    if (!missing(error)) throw error;
    ctx.log.warn({ account: event.account, eventId: event.id }, "Stripe does not let the platform read the account");
    return ignored(`ignored: Stripe does not let the platform read account ${event.account}`);
  }
}

/**
 * A verified Stripe event, handled once: its id is recorded in the same transaction as its effect, so a
 * redelivery (Stripe retries until it gets a 2xx, and may deliver twice, even at once) finds it and changes
 * nothing, and a crash half-way leaves neither. Types Tributary does not use are acknowledged and recorded as
 * ignored.
 */
export async function handleStripeEvent(requestCtx: Ctx, event: Stripe.Event): Promise<StripeEventResult> {
  const ctx = { ...requestCtx, actor: stripeActor };
  const runtime = payoutRuntime(ctx);
  const duplicate: StripeEventResult = { received: true, duplicate: true, outcome: "already handled" };
  const [seen] = await ctx.db.select({ id: stripeEvents.id }).from(stripeEvents).where(eq(stripeEvents.id, event.id));
  if (seen) return duplicate;
  const subject = await readSubject(ctx, runtime, event);
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    // A concurrent delivery of the same id waits here on the key and then finds it taken.
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
    if (!fresh) return duplicate;
    let outcome: string;
    switch (subject.kind) {
      case "transfer":
        outcome = await applyTransferReversal(tx, ctx, runtime.keyring, subject.transfer, event.id);
        break;
      case "account":
        outcome = await applyAccountStatus(tx, ctx, subject.account, subject.readAt, event.id);
        break;
      default:
        outcome = subject.outcome;
    }
    await tx
      .update(stripeEvents)
      .set({ outcome: outcome.slice(0, 500) })
      .where(eq(stripeEvents.id, event.id));
    return { received: true, duplicate: false, outcome };
  });
}
