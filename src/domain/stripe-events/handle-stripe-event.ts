import { eq } from "drizzle-orm";
import type Stripe from "stripe";
import type { Db } from "../../db/client.js";
import { stripeEvents } from "../../db/schema/index.js";
import { AppError } from "../../lib/errors.js";
import type { Actor, Ctx } from "../context.js";
import { type PayoutRuntime, payoutRuntime, stripeClient } from "../payouts/payout-runtime.js";
import { accountIsKnown, applyAccountStatus } from "./apply-account-status.js";
import { applyTransferReversal, mayPayAPayout } from "./apply-transfer-reversal.js";
import { recordChargeRefunds } from "./record-charge-refunds.js";
import { recordCheckoutLead } from "./record-checkout-lead.js";
import { recordCheckoutSale } from "./record-checkout-sale.js";
import { recordInvoiceSale } from "./record-invoice-sale.js";
import {
  type ChargeObject,
  type CheckoutSessionObject,
  type InvoiceObject,
  missing,
  type RefundObject,
  type StripeBillingRuntime,
} from "./stripe-billing-runtime.js";
import { isStripeBillingEvent } from "./stripe-events.schemas.js";

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

/** Why an event of the other mode than the platform's key is not this installation's, or undefined when it is. */
function otherMode(runtime: PayoutRuntime, event: Stripe.Event) {
  if (runtime.stripeLivemode === undefined || event.livemode === runtime.stripeLivemode) return undefined;
  const mode = (live: boolean) => (live ? "live" : "test");
  return `ignored: a ${mode(event.livemode)}-mode event, and STRIPE_SECRET_KEY is a ${mode(runtime.stripeLivemode)}-mode key`;
}

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
  const mode = otherMode(runtime, event);
  if (mode) return ignored(mode);
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
 * A billing event of the vendor's own Stripe account (the platform's): a Checkout session's lead, a paid invoice's
 * sale, a charge's refunds, recorded through the Conversion API's use cases, which commit each conversion under its
 * own idempotency key (the session, invoice, PaymentIntent or refund id). Events of connected accounts never count: a partner's
 * account can bill whatever it likes. What the Conversion API refuses (an order id sent before with another amount,
 * a refund of more than is left) is acknowledged with the reason: Stripe sending it again would change nothing.
 */
async function handleBillingEvent(
  ctx: Ctx,
  runtime: PayoutRuntime,
  billing: StripeBillingRuntime | undefined,
  event: Stripe.Event,
): Promise<string> {
  const mode = otherMode(runtime, event);
  if (mode) return mode;
  if (event.account)
    return `ignored: a ${event.type} event of connected account ${event.account}; billing counts only on the platform's own account`;
  if (!billing) return "ignored: Stripe billing tracking is not running in this instance";
  const object = event.data.object as unknown;
  // Each conversion an event records is tried on its own: a lead the Conversion API refuses leaves its session's sale.
  const outcome = async (record: () => Promise<string>) => {
    try {
      return await record();
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      ctx.log.warn(
        { stripeEvent: event.id, type: event.type, err: error.message },
        "Stripe billing event not recorded",
      );
      return `not recorded: ${error.message}`;
    }
  };
  switch (event.type) {
    case "checkout.session.completed": {
      const session = object as CheckoutSessionObject;
      const lead = await outcome(() => recordCheckoutLead(ctx, billing, session, event.created));
      const sale = await outcome(() => recordCheckoutSale(ctx, billing, session, event.created));
      return sale ? `${lead}; ${sale}` : lead;
    }
    case "checkout.session.async_payment_succeeded":
      return (
        (await outcome(() => recordCheckoutSale(ctx, billing, object as CheckoutSessionObject, event.created))) ||
        "ignored: not a one-time payment"
      );
    case "invoice.paid":
      return outcome(() => recordInvoiceSale(ctx, billing, object as InvoiceObject, event.created));
    case "charge.refunded":
      return outcome(() => recordChargeRefunds(ctx, billing, { charge: object as ChargeObject }));
    default:
      return outcome(() => recordChargeRefunds(ctx, billing, { refund: object as RefundObject }));
  }
}

/** The event's row, written first in the transaction of its effect: a concurrent delivery waits on its key, then finds it. */
async function claimEvent(tx: Db, event: Stripe.Event, now: Date, outcome = "handling") {
  const [fresh] = await tx
    .insert(stripeEvents)
    .values({
      id: event.id,
      type: event.type,
      account: event.account ?? null,
      outcome: outcome.slice(0, 500),
      stripeCreatedAt: new Date(event.created * 1000),
      receivedAt: now,
    })
    .onConflictDoNothing()
    .returning({ id: stripeEvents.id });
  return fresh !== undefined;
}

const setOutcome = (tx: Db, eventId: string, outcome: string) =>
  tx
    .update(stripeEvents)
    .set({ outcome: outcome.slice(0, 500) })
    .where(eq(stripeEvents.id, eventId));

/**
 * A verified Stripe event, handled once: its id is recorded in the same transaction as its effect, so a
 * redelivery (Stripe retries until it gets a 2xx, and may deliver twice, even at once) finds it and changes
 * nothing, and a crash half-way leaves neither. Types Tributary does not use are acknowledged and recorded as
 * ignored.
 */
export async function handleStripeEvent(
  requestCtx: Ctx,
  event: Stripe.Event,
  billing?: StripeBillingRuntime,
): Promise<StripeEventResult> {
  const ctx = { ...requestCtx, actor: stripeActor };
  const runtime = payoutRuntime(ctx);
  const duplicate: StripeEventResult = { received: true, duplicate: true, outcome: "already handled" };
  const [seen] = await ctx.db.select({ id: stripeEvents.id }).from(stripeEvents).where(eq(stripeEvents.id, event.id));
  if (seen) return duplicate;
  if (isStripeBillingEvent(event.type)) {
    // The conversions commit in their own transactions, keyed by the Conversion API's idempotency keys: a crash before
    // the event's row is written, or a concurrent delivery, records each of them once all the same.
    const outcome = await handleBillingEvent(ctx, runtime, billing, event);
    if (!(await claimEvent(ctx.db, event, ctx.clock.now(), outcome))) return duplicate;
    return { received: true, duplicate: false, outcome };
  }
  const subject = await readSubject(ctx, runtime, event);
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    // A concurrent delivery of the same id waits here on the key and then finds it taken.
    if (!(await claimEvent(tx, event, now))) return duplicate;
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
    await setOutcome(tx, event.id, outcome);
    return { received: true, duplicate: false, outcome };
  });
}
