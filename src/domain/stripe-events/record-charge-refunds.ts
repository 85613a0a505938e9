import { and, eq, inArray } from "drizzle-orm";
import type Stripe from "stripe";
import { conversions, programs } from "../../db/schema/index.js";
import { AppError } from "../../lib/errors.js";
import type { Ctx } from "../context.js";
import { trackRefund } from "../conversions/track-refund.js";
import { stripeClient } from "../payouts/payout-runtime.js";
import { refundShare, splitRefundShares } from "./program-share.js";
import { recordCheckoutSale } from "./record-checkout-sale.js";
import { recordInvoiceSale } from "./record-invoice-sale.js";
import {
  type ChargeObject,
  fromSeconds,
  missing,
  type RefundObject,
  type StripeBillingRuntime,
} from "./stripe-billing-runtime.js";
import { invoiceFromApi, sessionFromApi } from "./stripe-objects.js";

/**
 * The invoice a charge paid: named on the charge by endpoints of API versions before 2025-03-31; since then Stripe
 * links them through the invoice's payments, found by the charge's PaymentIntent.
 */
async function invoiceOf(ctx: Ctx, named: string | null | undefined, paymentIntent: string | null | undefined) {
  if (named) return named;
  if (!paymentIntent) return undefined;
  const payments = await stripeClient(ctx).invoicePayments.list({
    payment: { type: "payment_intent", payment_intent: paymentIntent },
    limit: 10,
  });
  const paid = payments.data.find((p) => p.status === "paid") ?? payments.data[0];
  if (!paid) return undefined;
  return typeof paid.invoice === "string" ? paid.invoice : paid.invoice.id;
}

/** What a charge paid for: an invoice (its sale's order id), else a one-time payment (the PaymentIntent's). */
type Order = { kind: "invoice"; id: string } | { kind: "payment"; id: string };
const orderText = (order: Order) => `${order.kind} ${order.id}`;

/**
 * The order as Stripe has it now, read with the platform's key: what the customer paid for it (`amount_paid` of the
 * invoice, `amount_total` of the Checkout session), and a way to record its sale from that state.
 */
async function readOrder(ctx: Ctx, billing: StripeBillingRuntime, order: Order) {
  const stripe = stripeClient(ctx);
  if (order.kind === "invoice") {
    let invoice: Stripe.Invoice | undefined;
    try {
      invoice = await stripe.invoices.retrieve(order.id);
    } catch (error) {
      if (!missing(error)) throw error;
    }
    return {
      paid: invoice ? BigInt(invoice.amount_paid) : undefined,
      recordSale: async () => {
        if (!invoice) return `Stripe does not let the platform read invoice ${order.id}`;
        if (invoice.status !== "paid") return `invoice ${order.id} is ${invoice.status ?? "not paid"}`;
        return recordInvoiceSale(ctx, billing, invoiceFromApi(invoice), invoice.created);
      },
    };
  }
  const sessions = await stripe.checkout.sessions.list({ payment_intent: order.id, limit: 1 });
  const session = sessions.data.find((s) => s.status === "complete");
  return {
    paid: session?.amount_total == null ? undefined : BigInt(session.amount_total),
    recordSale: async () => {
      if (!session) return `payment ${order.id} was made by no completed Checkout session`;
      return (await recordCheckoutSale(ctx, billing, sessionFromApi(session), session.created)) || "not a payment";
    },
  };
}

/**
 * The programs holding a sale of this order id, and its amount, looked up by the conversions' key (program, kind,
 * order) with every program named: joined instead, PostgreSQL walked that index for the order id across all programs.
 */
async function salesOfOrder(ctx: Ctx, orderId: string) {
  const all = await ctx.db.select({ id: programs.id, name: programs.name }).from(programs);
  if (all.length === 0) return [];
  const found = await ctx.db
    .select({ programId: conversions.programId, amount: conversions.amountMinor })
    .from(conversions)
    .where(
      and(
        inArray(
          conversions.programId,
          all.map((p) => p.id),
        ),
        eq(conversions.kind, "sale"),
        eq(conversions.idempotencyKey, orderId),
      ),
    )
    // Every program's sale of the order: an order of two programs' products is a sale of each.
    .limit(all.length);
  return found.map((f) => ({ ...all.find((p) => p.id === f.programId)!, amount: f.amount ?? 0n }));
}

const refundRecorded = async (ctx: Ctx, programId: string, refundId: string) =>
  (
    await ctx.db
      .select({ id: conversions.id })
      .from(conversions)
      .where(
        and(
          eq(conversions.programId, programId),
          eq(conversions.kind, "refund"),
          eq(conversions.idempotencyKey, refundId),
        ),
      )
      .limit(1)
  )[0];

/**
 * `charge.refunded` (a charge refunded, in full or in part) and `refund.updated` / `charge.refund.updated` (a refund's
 * status changed): each succeeded refund of the charge, read from Stripe, is recorded as a refund of the sale of what
 * the charge paid for (its invoice, else its PaymentIntent: a one-time Checkout payment), under the Stripe refund id
 * (its idempotency key: refunds recorded before are not recorded again, however many events name them). A refund
 * still pending is recorded when Stripe reports it succeeded; a failed or canceled one never is.
 *
 * A sale is the program's part of what was paid (its products, without tax), so a refund takes back the same part
 * of itself (refundShare): refunding the whole charge refunds the whole sale.
 *
 * Stripe does not deliver events in order, so a refund can come before its sale's `invoice.paid` (or
 * `checkout.session.completed`), above all when that event failed and waits for Stripe's retry. The sale is then
 * recorded here, from the invoice or session as Stripe has it now (as Stripe advises: fetch the current state), under
 * the same order id, so the late event finds it recorded and changes nothing. Answering with an error to make Stripe
 * redeliver the refund later was not chosen: a refund of an invoice that is no program's (the vendor's other
 * products) would fail until Stripe gives up (three retries over a few hours in test mode, three days live), every
 * failure counts towards Stripe disabling the endpoint, and a sale event lost for good would lose its refunds too.
 * Parking the refund until the sale lands needs a table and still depends on that event arriving.
 */
export async function recordChargeRefunds(
  ctx: Ctx,
  billing: StripeBillingRuntime,
  subject: { charge: ChargeObject } | { refund: RefundObject },
): Promise<string> {
  const chargeId = "charge" in subject ? subject.charge.id : subject.refund.charge;
  if (!chargeId) return `ignored: refund ${"refund" in subject ? subject.refund.id : ""} has no charge`;
  const paymentIntent = "charge" in subject ? subject.charge.payment_intent : subject.refund.payment_intent;
  const invoiceId = await invoiceOf(ctx, "charge" in subject ? subject.charge.invoice : undefined, paymentIntent);
  const order: Order | undefined = invoiceId
    ? { kind: "invoice", id: invoiceId }
    : paymentIntent
      ? { kind: "payment", id: paymentIntent }
      : undefined;
  if (!order) return `ignored: charge ${chargeId} paid no invoice and has no payment intent`;
  const stripeOrder = await readOrder(ctx, billing, order);
  let sales = await salesOfOrder(ctx, order.id);
  let late = "";
  if (sales.length === 0) {
    const recorded = await stripeOrder.recordSale();
    sales = await salesOfOrder(ctx, order.id);
    if (sales.length === 0)
      return `ignored: no sale of ${orderText(order)} was recorded (charge ${chargeId}): ${recorded}`;
    late = `${recorded} (before its own event); `;
  }
  if (sales.length > 1 && stripeOrder.paid === undefined)
    return `ignored: ${orderText(order)} is a sale of ${sales.map((s) => `"${s.name}"`).join(" and ")}, and Stripe does not let the platform read what was paid to split its refunds`;
  const refunds = await stripeClient(ctx)
    .refunds.list({ charge: chargeId, limit: 100 })
    .autoPagingToArray({ limit: 10_000 });
  if (refunds.length === 0) return `${late}ignored: charge ${chargeId} has no refunds`;
  // Oldest first, as they happened: each is taken from what the ones before it left of the sale.
  refunds.sort((a, b) => a.created - b.created);
  const parts: string[] = [];
  // An order of two programs' products is a sale of each (its own lines): a refund takes back the same part of each.
  for (const sale of sales)
    parts.push(
      `in "${sale.name}": ${(await refundSale(ctx, billing, order, stripeOrder.paid, sale, refunds, sales)).join("; ")}`,
    );
  return `${late}refunds of ${orderText(order)} ${parts.join("; ")}`;
}

/** Records each succeeded refund of the charge against one program's sale of the order; what was done, per refund. */
async function refundSale(
  ctx: Ctx,
  billing: StripeBillingRuntime,
  order: Order,
  paid: bigint | undefined,
  sale: { id: string; amount: bigint },
  refunds: Stripe.Refund[],
  /** Every program's sale of the order: the parts of a refund of several are taken together (splitRefundShares). */
  sales: { id: string; amount: bigint }[],
): Promise<string[]> {
  const done: string[] = [];
  let refunded = 0n;
  for (const refund of refunds) {
    if (refund.status !== "succeeded") {
      done.push(`${refund.id} ${refund.status ?? "pending"}, not recorded`);
      continue;
    }
    const before = refunded;
    refunded += BigInt(refund.amount);
    if (await refundRecorded(ctx, sale.id, refund.id)) {
      done.push(`${refund.id} already recorded`);
      continue;
    }
    const amount =
      paid === undefined
        ? BigInt(refund.amount)
        : sales.length > 1
          ? splitRefundShares(
              sales.map((s) => s.amount),
              paid,
              before,
              refunded,
            )[sales.indexOf(sale)]!
          : refundShare(sale.amount, paid, before, refunded);
    if (amount <= 0n) {
      done.push(`${refund.id} not recorded: its part of the sale rounds to nothing`);
      continue;
    }
    try {
      const result = await trackRefund(
        ctx,
        {
          programId: sale.id,
          orderId: order.id,
          refundId: refund.id,
          amount: Number(amount),
          occurredAt: fromSeconds(refund.created),
        },
        billing.programs,
      );
      if (!result.replayed) billing.recorded();
      const part = amount === BigInt(refund.amount) ? "" : ` (${amount} of the sale for ${refund.amount} refunded)`;
      done.push(
        result.replayed ? `${refund.id} already recorded` : `${refund.id} recorded as ${result.conversion.id}${part}`,
      );
    } catch (error) {
      // Refused by the Conversion API's rules (more than is left of the sale, the id reused for another refund).
      if (!(error instanceof AppError)) throw error;
      ctx.log.warn({ refund: refund.id, order: order.id, err: error.message }, "Stripe refund not recorded");
      done.push(`${refund.id} not recorded: ${error.message}`);
    }
  }
  return done;
}
