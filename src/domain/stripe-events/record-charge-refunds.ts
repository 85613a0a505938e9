import { and, eq, inArray } from "drizzle-orm";
import { conversions, programs } from "../../db/schema/index.js";
import { AppError } from "../../lib/errors.js";
import type { Ctx } from "../context.js";
import { trackRefund } from "../conversions/track-refund.js";
import { stripeClient } from "../payouts/payout-runtime.js";
import {
  type ChargeObject,
  fromSeconds,
  type RefundObject,
  type StripeBillingRuntime,
} from "./stripe-billing-runtime.js";

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

/**
 * The programs holding a sale of this order id, looked up by the conversions' key (program, kind, order) with every
 * program named: joined instead, PostgreSQL walked that index for the order id across all programs.
 */
async function salesOfOrder(ctx: Ctx, orderId: string) {
  const all = await ctx.db.select({ id: programs.id, name: programs.name }).from(programs);
  if (all.length === 0) return [];
  const found = await ctx.db
    .select({ programId: conversions.programId })
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
    .limit(2);
  return all.filter((p) => found.some((f) => f.programId === p.id));
}

/**
 * `charge.refunded` (a charge refunded, in full or in part) and `refund.updated` / `charge.refund.updated` (a refund's
 * status changed): each succeeded refund of the charge, read from Stripe, is recorded as a refund of the sale whose
 * order id is the charge's invoice, under the Stripe refund id (its idempotency key: refunds recorded before are
 * not recorded again, however many events name them). A refund still pending is recorded when Stripe reports it
 * succeeded; a failed or canceled one never is. A charge that paid no invoice, or an invoice Tributary recorded no
 * sale for, is acknowledged and ignored. Returns what was done, for the event log.
 */
export async function recordChargeRefunds(
  ctx: Ctx,
  billing: StripeBillingRuntime,
  subject: { charge: ChargeObject } | { refund: RefundObject },
): Promise<string> {
  const chargeId = "charge" in subject ? subject.charge.id : subject.refund.charge;
  if (!chargeId) return `ignored: refund ${"refund" in subject ? subject.refund.id : ""} has no charge`;
  const invoiceId = await invoiceOf(
    ctx,
    "charge" in subject ? subject.charge.invoice : undefined,
    "charge" in subject ? subject.charge.payment_intent : subject.refund.payment_intent,
  );
  if (!invoiceId) return `ignored: charge ${chargeId} paid no invoice`;
  const sales = await salesOfOrder(ctx, invoiceId);
  if (sales.length === 0) return `ignored: no sale of invoice ${invoiceId} was recorded (charge ${chargeId})`;
  if (sales.length > 1)
    return `ignored: invoice ${invoiceId} is a sale of ${sales.map((s) => `"${s.name}"`).join(" and ")}; which one was refunded is not known`;
  const sale = sales[0]!;
  const refunds = await stripeClient(ctx)
    .refunds.list({ charge: chargeId, limit: 100 })
    .autoPagingToArray({ limit: 10_000 });
  const done: string[] = [];
  // Oldest first, as they happened: each is taken from what the ones before it left of the sale.
  for (const refund of refunds.sort((a, b) => a.created - b.created)) {
    if (refund.status !== "succeeded") {
      done.push(`${refund.id} ${refund.status ?? "pending"}, not recorded`);
      continue;
    }
    try {
      const result = await trackRefund(
        ctx,
        {
          programId: sale.id,
          orderId: invoiceId,
          refundId: refund.id,
          amount: refund.amount,
          occurredAt: fromSeconds(refund.created),
        },
        billing.programs,
      );
      if (!result.replayed) billing.recorded();
      done.push(result.replayed ? `${refund.id} already recorded` : `${refund.id} recorded as ${result.conversion.id}`);
    } catch (error) {
      // Refused by the Conversion API's rules (more than is left of the sale, the id reused for another refund).
      if (!(error instanceof AppError)) throw error;
      ctx.log.warn({ refund: refund.id, invoice: invoiceId, err: error.message }, "Stripe refund not recorded");
      done.push(`${refund.id} not recorded: ${error.message}`);
    }
  }
  if (done.length === 0) return `ignored: charge ${chargeId} has no refunds`;
  return `refunds of invoice ${invoiceId} in "${sale.name}": ${done.join("; ")}`;
}
