import type Stripe from "stripe";
import type { CheckoutSessionObject, InvoiceObject } from "./stripe-billing-runtime.js";

type Line = NonNullable<InvoiceObject["lines"]>["data"][number];

const idOf = (ref: string | { id: string } | null | undefined) => (typeof ref === "string" ? ref : (ref?.id ?? null));

/** An invoice line as the platform's key reads it (this library's API version), in the shape its events carry. */
export const lineFromApi = (line: Stripe.InvoiceLineItem): Line => ({
  amount: line.amount,
  quantity: line.quantity,
  pricing: { price_details: { product: line.pricing?.price_details?.product ?? null } },
  discount_amounts: line.discount_amounts?.map((d) => ({ amount: d.amount })) ?? null,
  taxes: line.taxes?.map((t) => ({ amount: t.amount, tax_behavior: t.tax_behavior })) ?? null,
});

/** An invoice read from Stripe, as `invoice.paid` would have carried it (its first page of lines; the rest are read). */
export const invoiceFromApi = (invoice: Stripe.Invoice): InvoiceObject & { id: string } => ({
  id: invoice.id ?? "",
  customer: idOf(invoice.customer),
  amount_paid: invoice.amount_paid,
  currency: invoice.currency,
  billing_reason: invoice.billing_reason,
  customer_email: invoice.customer_email,
  customer_address: invoice.customer_address ? { country: invoice.customer_address.country } : null,
  status_transitions: { paid_at: invoice.status_transitions?.paid_at ?? null },
  lines: { data: invoice.lines.data.map(lineFromApi), has_more: invoice.lines.has_more },
});

/** A Checkout session read from Stripe, as `checkout.session.completed` would have carried it. */
export const sessionFromApi = (session: Stripe.Checkout.Session): CheckoutSessionObject => ({
  id: session.id,
  client_reference_id: session.client_reference_id,
  customer: idOf(session.customer),
  customer_details: session.customer_details
    ? {
        email: session.customer_details.email,
        address: session.customer_details.address ? { country: session.customer_details.address.country } : null,
      }
    : null,
  mode: session.mode,
  payment_status: session.payment_status,
  payment_intent: idOf(session.payment_intent),
  invoice: idOf(session.invoice),
  invoice_creation: session.invoice_creation ? { enabled: session.invoice_creation.enabled } : null,
  amount_total: session.amount_total,
  currency: session.currency,
});
