import type Stripe from "stripe";
import type { programs } from "../../db/schema/index.js";
import type { Ctx } from "../context.js";
import { trackSale } from "../conversions/track-sale.js";
import { stripeClient } from "../payouts/payout-runtime.js";
import { verifyClickId } from "../tracking/click-id.js";
import { clickIdOfNewCustomer } from "./click-id-of-customer.js";
import { usableEmail } from "./record-checkout-lead.js";
import { productsOf } from "./record-invoice-sale.js";
import { programsOfLines } from "./stripe-billing-programs.js";
import {
  type CheckoutSessionObject,
  fromSeconds,
  recordedText,
  type StripeBillingRuntime,
} from "./stripe-billing-runtime.js";

type Program = typeof programs.$inferSelect;

const productOf = (item: Stripe.LineItem) => {
  const product = item.price?.product;
  return typeof product === "string" ? product : product?.id;
};

/** A Checkout line after its discount, without its tax (`amount_total` adds exclusive tax, or holds inclusive tax). */
const netOf = (item: Stripe.LineItem) => BigInt(item.amount_total - item.amount_tax);

/**
 * Why a completed Checkout session is not a sale of its own, or undefined when it is one: only a one-time payment
 * (mode `payment`) that Checkout made no invoice for. A subscription's payments, and a payment with
 * `invoice_creation`, are sales of their invoices (`invoice.paid`, the invoice id as order id): recording the session
 * too would count the same money twice.
 */
function notASale(session: CheckoutSessionObject): string | undefined {
  if (session.mode !== "payment") return "";
  if (session.invoice || session.invoice_creation?.enabled)
    return `the payment of checkout session ${session.id} is a sale of its invoice${session.invoice ? ` ${session.invoice}` : ""}, recorded from invoice.paid`;
  if (session.payment_status !== "paid")
    return `the payment of checkout session ${session.id} is ${session.payment_status ?? "not paid"}: it is recorded when Stripe reports it paid (checkout.session.async_payment_succeeded)`;
  if (!session.payment_intent || !session.currency || session.amount_total == null)
    return `ignored: checkout session ${session.id} has no payment intent, currency or amount`;
  return undefined;
}

/**
 * A paid one-time Checkout payment without an invoice (`checkout.session.completed` paid at once, or
 * `checkout.session.async_payment_succeeded` for a delayed method): a sale of each program that takes its products,
 * under the PaymentIntent id as order id, so that a refund of its charge (which names that PaymentIntent) finds it.
 * The line items are read from Stripe (the event does not carry them): a program's lines, after their discounts and
 * without tax, are its sale's amount, as for an invoice (a payment of two programs' products is a sale of each).
 * Credited to the session's click (`client_reference_id`) when it is a click of that program, else as the program
 * decides for the customer. Returns what was done (an empty string for a session that is not a payment), for the
 * event log.
 */
export async function recordCheckoutSale(
  ctx: Ctx,
  billing: StripeBillingRuntime,
  session: CheckoutSessionObject,
  completedAt: number,
): Promise<string> {
  const why = notASale(session);
  if (why !== undefined) return why;
  const intent = session.payment_intent as string;
  const items = await stripeClient(ctx)
    .checkout.sessions.listLineItems(session.id, { limit: 100 })
    .autoPagingToArray({ limit: 10_000 });
  const productIds = [...new Set(items.map(productOf).filter((id): id is string => id !== undefined))];
  const products = productIds.length ? productIds.join(", ") : "no product";
  const owned = await programsOfLines(ctx.db, items, productOf);
  if (owned.kind === "ambiguous")
    return `ignored: payment ${intent} (${products}) has ${owned.product}, which ${owned.programs.map((p) => `"${p.name}"`).join(" and ")} all take; a product must be one program's Stripe billing product`;
  if (owned.parts.length === 0)
    return `ignored: no program takes the Stripe payments of ${products} (payment ${intent})`;
  const done: string[] = [];
  for (const part of owned.parts)
    done.push(await recordProgramSale(ctx, billing, session, intent, completedAt, part.program, part.lines));
  return done.join("; ");
}

/** The sale of one program's lines of the payment. */
async function recordProgramSale(
  ctx: Ctx,
  billing: StripeBillingRuntime,
  session: CheckoutSessionObject,
  intent: string,
  completedAt: number,
  program: Program,
  mine: Stripe.LineItem[],
): Promise<string> {
  const net = mine.reduce((sum, item) => sum + netOf(item), 0n);
  const paid = BigInt(session.amount_total ?? 0);
  const amount = Number(net < paid ? net : paid);
  if (amount <= 0) return `ignored: the lines of "${program.name}" in payment ${intent} come to nothing`;
  const reference = session.client_reference_id;
  const verified = reference ? verifyClickId(billing.keys, reference) : undefined;
  const clickId = verified?.ok && verified.claims.programId === program.id ? reference! : undefined;
  const found =
    clickId || !session.customer ? undefined : await clickIdOfNewCustomer(ctx, billing, program.id, session.customer);
  if (!session.customer && !clickId)
    return `ignored: payment ${intent} has neither a Stripe customer nor a click of "${program.name}" to credit`;
  const country = session.customer_details?.address?.country?.toUpperCase();
  const result = await trackSale(
    ctx,
    billing.keys,
    {
      programId: program.id,
      orderId: intent,
      amount,
      currency: (session.currency as string).toUpperCase(),
      customerExternalId: session.customer ?? undefined,
      clickId: clickId ?? found?.clickId,
      email: usableEmail(session.customer_details?.email),
      products: productsOf(mine, productOf, (item) => ({ quantity: item.quantity, net: netOf(item) })),
      recurring: false,
      country: country && /^[A-Z]{2}$/.test(country) ? country : undefined,
      occurredAt: fromSeconds(completedAt),
    },
    billing.programs,
    billing.conversions,
  );
  if (!result.replayed) billing.recorded();
  return recordedText(`sale of payment ${intent}`, program, result);
}
