import type { programs } from "../../db/schema/index.js";
import type { Ctx } from "../context.js";
import { trackSale } from "../conversions/track-sale.js";
import { stripeClient } from "../payouts/payout-runtime.js";
import { clickIdOfNewCustomer } from "./click-id-of-customer.js";
import { lineMoney, programShares } from "./program-share.js";
import { usableEmail } from "./record-checkout-lead.js";
import { programsOfLines } from "./stripe-billing-programs.js";
import { fromSeconds, type InvoiceObject, recordedText, type StripeBillingRuntime } from "./stripe-billing-runtime.js";
import { lineFromApi } from "./stripe-objects.js";

type Program = typeof programs.$inferSelect;
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
 * `invoice.paid`: a sale of each program that takes the invoice's products, with the invoice id as its order id (the
 * Conversion API's idempotency key: the same invoice sent there too is the same order), and the customer id as the
 * customer, `recurring` for a subscription's renewal (`subscription_cycle`). A sale's amount is its program's lines
 * only (programShares: after their discounts, without tax): an invoice that also bills another product of the vendor,
 * or a tax, does not pay commission on them, and an invoice of two programs' products is a sale of each, of its own
 * lines (programsOfLines). Who is credited is each program's usual decision: the customer's stored touches and
 * lifetime binding, or the click id Stripe holds for a customer seen for the first time. An invoice that paid nothing
 * (a trial), or of no program's products, or with a product two programs take, or whose program's lines come to
 * nothing (a proration credit), is acknowledged and not recorded. Returns what was done, for the event log.
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
  // An invoice with no lines at all (never from Stripe itself) cannot be split: it is all of the program that takes
  // every product, if one does.
  const owned = lines.length
    ? await programsOfLines(ctx.db, lines, productOf)
    : await programsOfLines(ctx.db, [undefined], () => undefined);
  if (owned.kind === "ambiguous")
    return `ignored: invoice ${invoice.id} (${products}) has ${owned.product}, which ${owned.programs.map((p) => `"${p.name}"`).join(" and ")} all take; a product must be one program's Stripe billing product`;
  if (owned.parts.length === 0)
    return `ignored: no program takes the Stripe invoices of ${products} (invoice ${invoice.id})`;
  const mine = owned.parts.map((part) => part.lines.filter((line): line is Line => line !== undefined));
  // Each program's part of the payment, split so that the parts never add up to more than was paid.
  const amounts = lines.length === 0 ? [invoice.amount_paid] : programShares(lines, mine, invoice.amount_paid);
  const done: string[] = [];
  for (const [i, part] of owned.parts.entries()) {
    const sale = { program: part.program, mine: mine[i]!, amount: amounts[i]! };
    done.push(await recordProgramSale(ctx, billing, invoice, invoice.customer, eventCreated, sale));
  }
  return done.join("; ");
}

/** The sale of one program's lines of the invoice, for its part of what was paid. */
async function recordProgramSale(
  ctx: Ctx,
  billing: StripeBillingRuntime,
  invoice: InvoiceObject,
  customer: string,
  eventCreated: number,
  { program, mine, amount }: { program: Program; mine: Line[]; amount: number },
): Promise<string> {
  if (amount <= 0)
    return `ignored: the lines of "${program.name}" in invoice ${invoice.id} come to nothing after discounts and credits`;
  const found = await clickIdOfNewCustomer(ctx, billing, program.id, customer);
  const country = invoice.customer_address?.country?.toUpperCase();
  const result = await trackSale(
    ctx,
    billing.keys,
    {
      programId: program.id,
      orderId: invoice.id,
      amount,
      currency: invoice.currency.toUpperCase(),
      customerExternalId: customer,
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
