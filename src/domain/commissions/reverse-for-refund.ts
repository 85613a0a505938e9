import { formatMinor, roundHalfUp } from "../../lib/money.js";
import { minorDigits } from "./fx.js";
import type { SourceEntry } from "./load-calculation-context.js";
import type { NewEntry } from "./write-ledger-batch.js";

/** A refunded sale as a reversal reads it: its amount and currency (minor units), and its refunds in order. */
export interface RefundedSale {
  amountMinor: bigint;
  /** The sale's own currency (it can differ from the program's, in which the commission is kept). */
  currency: string | null;
  refunds: { id: string; amountMinor: bigint }[];
}

/**
 * The entry that takes back a refunded share of what a sale earned. The share is cumulative — what the refunds up
 * to and including this one take back, minus what the earlier ones took — so partial refunds that add up to the
 * whole sale take back exactly the whole commission, never a cent more or less.
 * An unpaid entry is reversed in its own status (a pending commission nets to its remainder); one already paid
 * or in a payout is clawed back by an approved negative entry that offsets the next payout.
 */
export function reverseForRefund(
  source: SourceEntry,
  sale: RefundedSale,
  refundId: string,
  occurredAt: Date,
  currency: string,
): Omit<NewEntry, "id"> | undefined {
  if (source.amountMinor <= 0n || sale.amountMinor <= 0n || source.status === "rejected") return undefined;
  let before = 0n;
  let through = 0n;
  for (const refund of sale.refunds) {
    through += refund.amountMinor;
    if (refund.id === refundId) break;
    before += refund.amountMinor;
  }
  if (!sale.refunds.some((r) => r.id === refundId)) return undefined;
  // The same cumulative share of anything the source carries: its amount, and the revenue it counted.
  const share = (value: bigint) =>
    roundHalfUp(value * through, sale.amountMinor) - roundHalfUp(value * before, sale.amountMinor);
  const amount = share(source.amountMinor);
  // The refund that completes the sale's refunds takes the sale itself out of the count (tiers count sales).
  const completes = before < sale.amountMinor && through >= sale.amountMinor;
  const revenue = share(source.countedRevenueMinor);
  // A share that rounds to nothing is still written when it takes the sale or revenue out of the totals.
  if (amount === 0n && revenue === 0n && !(completes && source.countedSales !== 0)) return undefined;
  const paid = source.status === "paid" || source.payoutId !== null;
  const money = (a: bigint) => formatMinor(a, currency, minorDigits(currency));
  const saleMoney = (a: bigint) => (sale.currency ? formatMinor(a, sale.currency, minorDigits(sale.currency)) : `${a}`);
  return {
    programId: source.programId,
    partnerId: source.partnerId,
    enrollmentId: source.enrollmentId,
    kind: paid ? "clawback" : "reversal",
    amountMinor: -amount,
    currency,
    status: paid ? "approved" : source.status,
    conversionId: refundId,
    sourceEntryId: source.id,
    planVersionId: source.planVersionId,
    ruleId: source.ruleId,
    dedupeKey: `refund:${refundId}:${source.id}`,
    occurredAt,
    holdUntil: paid ? null : source.holdUntil,
    counted: { sales: completes ? -source.countedSales : 0, revenueMinor: -revenue },
    explanation: {
      summary: paid
        ? `refund after payout: ${money(-amount)} clawed back from the next payout`
        : `refund before payout: ${money(-amount)} reverses part of the commission`,
      steps: [
        `refunded ${saleMoney(through)} of a ${saleMoney(sale.amountMinor)} sale (${saleMoney(before)} before this refund)`,
        `${money(source.amountMinor)} × ${through}/${sale.amountMinor} − ${money(source.amountMinor)} × ${before}/${sale.amountMinor} = ${money(amount)}`,
      ],
      inputs: { sourceEntryId: source.id },
    },
  };
}
