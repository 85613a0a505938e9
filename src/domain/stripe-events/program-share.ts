import { allocate, roundHalfUp } from "../../lib/money.js";

/** A Stripe invoice line's money, in the shapes of every API version (`taxes` since 2025-03-31, `tax_amounts` before). */
export interface MoneyLine {
  amount?: number | undefined;
  discount_amounts?: { amount: number }[] | null | undefined;
  taxes?: { amount: number; tax_behavior?: string | null | undefined }[] | null | undefined;
  tax_amounts?: { amount: number; inclusive?: boolean | null | undefined }[] | null | undefined;
}

const total = (amounts: number[]) => amounts.reduce((sum, amount) => sum + BigInt(amount), 0n);

/**
 * A line's `amount` is before its discounts (invoice-wide coupons included: Stripe spreads them over the lines), and
 * includes its tax when the price is tax-inclusive. `net` is what the vendor earns on the line (after discounts,
 * without tax), `charged` what the customer was charged for it (after discounts, with tax).
 */
export function lineMoney(line: MoneyLine) {
  const amount = BigInt(line.amount ?? 0);
  const discounts = total((line.discount_amounts ?? []).map((d) => d.amount));
  const taxes = [
    ...(line.taxes ?? []).map((t) => ({ amount: t.amount, inclusive: t.tax_behavior === "inclusive" })),
    ...(line.tax_amounts ?? []).map((t) => ({ amount: t.amount, inclusive: t.inclusive === true })),
  ];
  const inclusive = total(taxes.filter((t) => t.inclusive).map((t) => t.amount));
  const exclusive = total(taxes.filter((t) => !t.inclusive).map((t) => t.amount));
  return { net: amount - discounts - inclusive, charged: amount - discounts + exclusive };
}

/**
 * Each program's part of what an invoice was paid (an invoice of two programs' products is a sale of each): its own
 * lines after discounts and without tax (tax is the state's, not the vendor's revenue), at most what was paid for
 * them. When the invoice was paid less than its lines charged (the customer's credit balance paid part), the parts
 * are taken in proportion: each program's net, and the rest (tax, the vendor's other products) what is left of what
 * the lines charged, share what was paid by the largest remainder — so the parts never add up to more than was paid
 * (rounded half-up each, two halves could), and a single program's part is `paid × net / charged` rounded half-up
 * (with two weights the largest remainder is that rounding). An invoice wholly one program's, without tax or credit,
 * is its `amount_paid`. Never below zero (proration credits are negative lines), never above what was paid.
 */
export function programShares(
  all: readonly MoneyLine[],
  programs: readonly (readonly MoneyLine[])[],
  amountPaid: number,
): number[] {
  const paid = BigInt(amountPaid);
  const nets = programs.map((lines) => lines.reduce((sum, line) => sum + lineMoney(line).net, 0n));
  const charged = all.reduce((sum, line) => sum + lineMoney(line).charged, 0n);
  const weights = nets.map((net) => (net > 0n ? net : 0n));
  const credited = weights.reduce((sum, w) => sum + w, 0n);
  if (credited === 0n || charged <= 0n || paid <= 0n) return nets.map(() => 0);
  const rest = charged > credited ? charged - credited : 0n;
  const parts = allocate(paid, [...weights, rest]);
  return weights.map((net, i) => Number([parts[i]!, net, paid].reduce((least, x) => (x < least ? x : least))));
}

/**
 * The part of a sale a refund takes back, refunds taken in the order they happened: a refund of `P` paid that
 * brings the order's refunded total from `before` to `after` takes the sale `S` from `S × before / P` to
 * `S × after / P` (each rounded half-up). So a full refund takes the whole sale whatever its tax and other
 * products, and partial ones add up to it without drifting by a unit each.
 */
export function refundShare(saleAmount: bigint, paid: bigint, before: bigint, after: bigint): bigint {
  if (paid <= 0n || saleAmount === paid) return after - before;
  const at = (refunded: bigint) => roundHalfUp((refunded > paid ? paid : refunded) * saleAmount, paid);
  return at(after) - at(before);
}

/**
 * refundShare for an order that is a sale of several programs (`sales`, each program's amount): the parts never add
 * up to more than was refunded — rounded half-up each, two halves would (sales of 50 and 50 paid 100: a refund of 1
 * would take 1 from each) — and a full refund takes each sale whole.
 * - Two sales: what the refunds so far take of both, `(S₁ + S₂) × refunded / P` rounded half-up, is split between
 *   them by the largest remainder (with two, that only ever grows each part as the total grows); a refund takes the
 *   growth of each part.
 * - Three or more: each sale's part is rounded down, `S × refunded / P`. The largest remainder over three or more can
 *   give a sale less of a larger total (the Alabama paradox), so a later refund would have to give back to it; rounded
 *   down, a sale is short of its exact part by less than a unit until the full refund.
 */
export function splitRefundShares(sales: readonly bigint[], paid: bigint, before: bigint, after: bigint): bigint[] {
  const all = sales.reduce((sum, sale) => sum + (sale > 0n ? sale : 0n), 0n);
  if (paid <= 0n || all <= 0n) return sales.map(() => 0n);
  const capped = (refunded: bigint) => (refunded > paid ? paid : refunded);
  const at = (refunded: bigint): bigint[] =>
    sales.length === 2
      ? allocate(
          roundHalfUp(capped(refunded) * (all > paid ? paid : all), paid),
          sales.map((sale) => (sale > 0n ? sale : 0n)),
        )
      : sales.map((sale) => (sale > 0n ? (capped(refunded) * sale) / paid : 0n));
  const [was, now] = [at(before), at(after)];
  return now.map((part, i) => part - was[i]!);
}
