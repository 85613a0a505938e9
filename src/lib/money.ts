/**
 * Money is integer minor units (bigint) with an ISO currency; rates are basis points. Every rounding of
 * money happens in this file.
 */

/** Integer division rounded half away from zero (half-up for positive amounts). */
export function roundHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new Error("denominator must be positive");
  const negative = numerator < 0n;
  const n = negative ? -numerator : numerator;
  const q = (n + denominator / 2n) / denominator;
  return negative ? -q : q;
}

/** `bps` basis points of an amount: 2,000 bps of 1,000 is 200. */
export const percentOf = (amount: bigint, bps: number): bigint => roundHalfUp(amount * BigInt(bps), 10_000n);

/**
 * Splits `total` in proportion to non-negative weights with the largest-remainder (Hamilton) method:
 * shares start as their quota rounded down, the units left over go one each to the largest remainders, ties
 * to the lower index. The shares always sum to `total` and each is within one unit of its exact quota.
 */
export function allocate(total: bigint, weights: readonly bigint[]): bigint[] {
  if (total < 0n) throw new Error(`total must be non-negative, got ${total}`);
  if (weights.length === 0) throw new Error("cannot allocate over no weights");
  let sum = 0n;
  for (const w of weights) {
    if (w < 0n) throw new Error(`weights must be non-negative, got ${w}`);
    sum += w;
  }
  if (sum === 0n) throw new Error("cannot allocate when every weight is zero");
  // One share takes everything (the common single-partner credit; spares the remainder bookkeeping).
  if (weights.length === 1) return [total];
  const shares = weights.map((w) => (w * total) / sum);
  const remainders = weights.map((w) => (w * total) % sum);
  let leftOver = total - shares.reduce((a, b) => a + b, 0n);
  const byRemainder = weights
    .map((_, i) => i)
    .sort((a, b) => (remainders[a] === remainders[b] ? a - b : remainders[b]! > remainders[a]! ? 1 : -1));
  for (const i of byRemainder) {
    if (leftOver === 0n) break;
    shares[i] = shares[i]! + 1n;
    leftOver -= 1n;
  }
  return shares;
}

/** Minor units as a readable amount with its currency, e.g. 12345n USD → "USD 123.45"; exact, no floats. */
export function formatMinor(amount: bigint, currency: string, fractionDigits = 2): string {
  const negative = amount < 0n;
  const digits = (negative ? -amount : amount).toString().padStart(fractionDigits + 1, "0");
  const whole = digits.slice(0, digits.length - fractionDigits).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const fraction = fractionDigits > 0 ? `.${digits.slice(digits.length - fractionDigits)}` : "";
  return `${negative ? "-" : ""}${currency} ${whole}${fraction}`;
}

/** Basis points as a percentage for people: 1,050 → "10.5%". */
export function formatBps(bps: number): string {
  const whole = Math.trunc(bps / 100);
  const rest = String(bps % 100)
    .padStart(2, "0")
    .replace(/0+$/, "");
  return `${whole}${rest ? `.${rest}` : ""}%`;
}
