import { and, eq } from "drizzle-orm";
import type Stripe from "stripe";
import { customers } from "../../db/schema/index.js";
import type { Ctx } from "../context.js";
import { trackSale } from "../conversions/track-sale.js";
import { stripeClient } from "../payouts/payout-runtime.js";
import { verifyClickId } from "../tracking/click-id.js";
import { usableEmail } from "./record-checkout-lead.js";
import { programOfInvoice } from "./stripe-billing-programs.js";
import {
  fromSeconds,
  type InvoiceObject,
  missing,
  recordedText,
  type StripeBillingRuntime,
} from "./stripe-billing-runtime.js";

type Line = NonNullable<InvoiceObject["lines"]>["data"][number];

/** The customer metadata key a vendor that creates its Stripe customers itself puts the click id under. */
export const CLICK_ID_METADATA = "tributary_click_id";

/** What the Conversion API takes of a sale's products (TrackSaleSchema). */
const MAX_PRODUCTS = 100;
const MAX_PRODUCT_ID = 100;
const MAX_QUANTITY = 1_000_000_000;

/** A line's product, as endpoints of API versions since 2025-03-31 (`pricing.price_details`) and before (`price`) name it. */
const productOf = (line: Line): string | undefined => {
  const fromPricing = line.pricing?.price_details?.product;
  if (fromPricing) return fromPricing;
  const product = line.price?.product;
  return typeof product === "string" ? product : (product?.id ?? undefined);
};

/** Every line of the invoice: the event carries the first page of them, the rest are read from Stripe. */
async function linesOf(ctx: Ctx, invoice: InvoiceObject): Promise<Line[]> {
  if (!invoice.lines?.has_more) return invoice.lines?.data ?? [];
  const all = await stripeClient(ctx)
    .invoices.listLineItems(invoice.id, { limit: 100 })
    .autoPagingToArray({ limit: 10_000 });
  return all.map((line) => ({
    amount: line.amount,
    quantity: line.quantity,
    pricing: { price_details: { product: line.pricing?.price_details?.product ?? null } },
  }));
}

/** The invoice's products for commission rules: one entry per product, its lines' quantities and amounts added up. */
function productsOf(lines: Line[]) {
  const byId = new Map<string, { id: string; quantity?: number; amount?: number }>();
  for (const line of lines) {
    const id = productOf(line);
    if (!id || id.length > MAX_PRODUCT_ID) continue;
    const entry = byId.get(id) ?? { id };
    if (!byId.has(id) && byId.size >= MAX_PRODUCTS) continue;
    const quantity = (entry.quantity ?? 0) + (line.quantity ?? 0);
    if (quantity >= 1 && quantity <= MAX_QUANTITY) entry.quantity = quantity;
    // Proration credits are negative lines: the product's amount is what its lines add up to, when that is a charge.
    const amount = (entry.amount ?? 0) + (line.amount ?? 0);
    entry.amount = amount >= 0 ? amount : 0;
    byId.set(id, entry);
  }
  return [...byId.values()];
}

/**
 * The click id of a customer the program does not know yet, as Stripe holds it: the customer's
 * `metadata.tributary_click_id` (vendors that create their customers themselves), else the `client_reference_id` of
 * the customer's latest completed Checkout session when it is a click of this program (the invoice's event can come
 * before the session's: Stripe does not keep events in order). A customer the program knows already has its
 * touches stored, so Stripe is asked about a customer's first invoice only.
 */
async function clickIdOfNewCustomer(
  ctx: Ctx,
  billing: StripeBillingRuntime,
  programId: string,
  customerId: string,
): Promise<{ clickId: string; from: string } | undefined> {
  const [known] = await ctx.db
    .select({ id: customers.id })
    .from(customers)
    .where(and(eq(customers.programId, programId), eq(customers.externalId, customerId)))
    .limit(1);
  if (known) return undefined;
  const stripe = stripeClient(ctx);
  let customer: Stripe.Customer | Stripe.DeletedCustomer | undefined;
  try {
    customer = await stripe.customers.retrieve(customerId);
  } catch (error) {
    if (!missing(error)) throw error;
  }
  const fromMetadata = customer && !customer.deleted ? customer.metadata?.[CLICK_ID_METADATA]?.trim() : undefined;
  if (fromMetadata && fromMetadata.length <= 200) return { clickId: fromMetadata, from: "the customer's metadata" };
  const sessions = await stripe.checkout.sessions.list({ customer: customerId, limit: 10 });
  for (const session of sessions.data) {
    const reference = session.client_reference_id;
    if (session.status !== "complete" || !reference) continue;
    const verified = verifyClickId(billing.keys, reference);
    if (verified.ok && verified.claims.programId === programId)
      return { clickId: reference, from: `checkout session ${session.id}` };
  }
  return undefined;
}

/**
 * `invoice.paid`: a sale of the program that takes the invoice's products, with the invoice id as its order id (the
 * Conversion API's idempotency key: the same invoice sent there too is the same order), `amount_paid` (minor units
 * already), the customer id as the customer, and `recurring` for a subscription's renewal (`subscription_cycle`).
 * Who is credited is the program's usual decision: the customer's stored touches and lifetime binding, or the click
 * id Stripe holds for a customer seen for the first time. An invoice that paid nothing (a trial), or of no program's
 * products, or of two programs', is acknowledged and not recorded. Returns what was done, for the event log.
 */
export async function recordInvoiceSale(
  ctx: Ctx,
  billing: StripeBillingRuntime,
  invoice: InvoiceObject,
  eventCreated: number,
): Promise<string> {
  if (invoice.amount_paid <= 0) return `ignored: invoice ${invoice.id} paid nothing (a trial or a free invoice)`;
  if (!invoice.customer) return `ignored: invoice ${invoice.id} has no customer`;
  const lines = await linesOf(ctx, invoice);
  const productIds = [...new Set(lines.map(productOf).filter((id): id is string => id !== undefined))];
  const products = productIds.length ? productIds.join(", ") : "no product";
  const owner = await programOfInvoice(ctx.db, productIds);
  if (owner.kind === "none")
    return `ignored: no program takes the Stripe invoices of ${products} (invoice ${invoice.id})`;
  if (owner.kind === "several")
    return `ignored: invoice ${invoice.id} (${products}) matches ${owner.programs.map((p) => `"${p.name}"`).join(" and ")}; an invoice must match one program's Stripe billing products`;
  const { program } = owner;
  const found = await clickIdOfNewCustomer(ctx, billing, program.id, invoice.customer);
  const country = invoice.customer_address?.country?.toUpperCase();
  const result = await trackSale(
    ctx,
    billing.keys,
    {
      programId: program.id,
      orderId: invoice.id,
      amount: invoice.amount_paid,
      currency: invoice.currency.toUpperCase(),
      customerExternalId: invoice.customer,
      clickId: found?.clickId,
      email: usableEmail(invoice.customer_email),
      products: productsOf(lines),
      recurring: invoice.billing_reason === "subscription_cycle",
      country: country && /^[A-Z]{2}$/.test(country) ? country : undefined,
      occurredAt: fromSeconds(invoice.status_transitions?.paid_at ?? eventCreated),
    },
    billing.programs,
    billing.conversions,
  );
  if (!result.replayed) billing.recorded();
  const via = found && !result.replayed ? ` (click id from ${found.from})` : "";
  return `${recordedText(`sale of invoice ${invoice.id}`, program, result)}${via}`;
}
