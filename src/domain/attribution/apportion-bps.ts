import { BPS_TOTAL } from "./attribution.types.js";

/**
 * Splits `total` units in proportion to non-negative integer weights with the largest-remainder (Hamilton)
 * method: every share starts as its quota rounded down, then the units left over go one each to the largest
 * remainders, ties to the lower index. Callers pass weights in touch-time order, so a tie favours the earlier
 * touch. Integer arithmetic throughout, so the shares always sum to `total`, each is within one unit of its
 * exact quota, and a zero weight always gets zero.
 */
export function apportionBps(weights: readonly bigint[], total: number = BPS_TOTAL): number[] {
  if (!Number.isSafeInteger(total) || total < 0) throw new Error(`total must be a non-negative integer, got ${total}`);
  if (weights.length === 0) throw new Error("cannot apportion over no weights");
  let sum = 0n;
  for (const w of weights) {
    if (w < 0n) throw new Error(`weights must be non-negative, got ${w}`);
    sum += w;
  }
  if (sum === 0n) throw new Error("cannot apportion when every weight is zero");

  const units = BigInt(total);
  const shares = weights.map((w) => (w * units) / sum);
  const remainders = weights.map((w) => (w * units) % sum);
  const leftOver = total - Number(shares.reduce((a, b) => a + b, 0n));
  const byRemainder = weights
    .map((_, i) => i)
    .sort((a, b) => {
      const ra = remainders[a]!;
      const rb = remainders[b]!;
      if (ra !== rb) return rb > ra ? 1 : -1;
      return a - b;
    });
  for (let k = 0; k < leftOver; k++) {
    const i = byRemainder[k]!;
    shares[i] = shares[i]! + 1n;
  }
  return shares.map(Number);
}
