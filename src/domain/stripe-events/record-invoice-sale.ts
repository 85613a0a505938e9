import type { Ctx } from "../context.js";
import { trackSale } from "../conversions/track-sale.js";
import { stripeClient } from "../payouts/payout-runtime.js";
import { takesProducts } from "../programs/stripe-billing-setting.js";
import { clickIdOfNewCustomer } from "./click-id-of-customer.js";
import { lineMoney, programShare } from "./program-share.js";
import { usableEmail } from "./record-checkout-lead.js";
import { programOfInvoice } from "./stripe-billing-programs.js";
import { fromSeconds, type InvoiceObject, recordedText, type StripeBillingRuntime } from "./stripe-billing-runtime.js";
import { lineFromApi } from "./stripe-objects.js";

type Line = NonNullable<InvoiceObject["lines"]>["data"][number];

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
  return all.map(lineFromApi);
}

/**
 * The sale's products for commission rules: one entry per product, its lines' quantities and amounts (after
 * discounts, without tax, as the sale's amount) added up.
 */
export function productsOf<L>(
  lines: L[],
  productOfLine: (line: L) => string | undefined,
  line: (l: L) => { quantity?: number | null | undefined; net: bigint },
) {
  const byId = new Map<string, { id: string; quantity?: number; amount?: number }>();
  for (const item of lines) {
    const id = productOfLine(item);
    if (!id || id.length > MAX_PRODUCT_ID) continue;
    const entry = byId.get(id) ?? { id };
    if (!byId.has(id) && byId.size >= MAX_PRODUCTS) continue;
    const { quantity: lineQuantity, net } = line(item);
    const quantity = (entry.quantity ?? 0) + (lineQuantity ?? 0);
    if (quantity >= 1 && quantity <= MAX_QUANTITY) entry.quantity = quantity;
    // Proration credits are negative lines: the product's amount is what its lines add up to, when that is a charge.
    const amount = (entry.amount ?? 0) + Number(net);
    entry.amount = amount >= 0 ? amount : 0;
    byId.set(id, entry);
  }
  return [...byId.values()];
}

/**
 * `invoice.paid`: a sale of the program that takes the invoice's products, with the invoice id as its order id (the
 * Conversion API's idempotency key: the same invoice sent there too is the same order), and the customer id as the
 * customer, `recurring` for a subscription's renewal (`subscription_cycle`). Its amount is the program's lines only
 * (programShare: after their discounts, without tax): an invoice that also bills another product of the vendor, or a
 * tax, does not pay commission on them. Who is credited is the program's usual decision: the customer's stored
 * touches and lifetime binding, or the click id Stripe holds for a customer seen for the first time. An invoice that
 * paid nothing (a trial), or of no program's products, or of two programs', or whose program's lines come to nothing
 * (a proration credit), is acknowledged and not recorded. Returns what was done, for the event log.
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
  const setting = program.stripeBilling!;
  const mine = lines.filter((line) => {
    const product = productOf(line);
    return takesProducts(setting, product ? [product] : []);
  });
  // An invoice with no lines at all (never from Stripe itself) cannot be split: it is all the program's.
  const amount = lines.length === 0 ? invoice.amount_paid : programShare(lines, mine, invoice.amount_paid);
  if (amount <= 0)
    return `ignored: the lines of "${program.name}" in invoice ${invoice.id} come to nothing after discounts and credits`;
  const found = await clickIdOfNewCustomer(ctx, billing, program.id, invoice.customer);
  const country = invoice.customer_address?.country?.toUpperCase();
  const result = await trackSale(
    ctx,
    billing.keys,
    {
      programId: program.id,
      orderId: invoice.id,
      amount,
      currency: invoice.currency.toUpperCase(),
      customerExternalId: invoice.customer,
      clickId: found?.clickId,
      email: usableEmail(invoice.customer_email),
      products: productsOf(mine, productOf, (line) => ({ quantity: line.quantity, net: lineMoney(line).net })),
      recurring: invoice.billing_reason === "subscription_cycle",
      country: country && /^[A-Z]{2}$/.test(country) ? country : undefined,
      occurredAt: fromSeconds(invoice.status_transitions?.paid_at ?? eventCreated),
    },
    billing.programs,
    billing.conversions,
  );
  if (!result.replayed) billing.recorded();
  const via = found && !result.replayed ? ` (click id from ${found.from})` : "";
  const part =
    amount < invoice.amount_paid
      ? ` (${amount} of the ${invoice.amount_paid} paid: the program's lines, without tax)`
      : "";
  return `${recordedText(`sale of invoice ${invoice.id}`, program, result)}${part}${via}`;
}
