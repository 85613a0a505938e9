import { currencyDigits } from "../../lib/currency-digits.js";
import { roundHalfUp } from "../../lib/money.js";

const SCALE_DIGITS = 12;
const SCALE = 10n ** BigInt(SCALE_DIGITS);
const RATE_PATTERN = /^(\d{1,12})(?:\.(\d{1,12}))?$/;

/** Whether a decimal string is a usable rate: positive, at most 12 integer and 12 fractional digits. */
export function isValidRate(rate: string): boolean {
  const match = RATE_PATTERN.exec(rate);
  return match !== null && parseRate(rate) > 0n;
}

/** A decimal rate as an integer scaled by 10^12: exact, no floats. */
export function parseRate(rate: string): bigint {
  const match = RATE_PATTERN.exec(rate);
  if (!match) throw new Error(`not a decimal rate: ${rate}`);
  const fraction = (match[2] ?? "").padEnd(SCALE_DIGITS, "0");
  return BigInt(match[1]!) * SCALE + BigInt(fraction);
}

/** Minor-unit exponent of a currency (USD 2, JPY 0, KWD 3). */
export const minorDigits = currencyDigits;

/**
 * Converts minor units of `from` into minor units of `to` at `rate` (1 from = rate to), rounding half-up once at
 * the end. `inverse` uses a rate quoted the other way round (1 to = rate from).
 */
export function convertMinor(amount: bigint, from: string, to: string, rate: string, inverse = false): bigint {
  const scaled = parseRate(rate);
  const shift = minorDigits(to) - minorDigits(from);
  let numerator = inverse ? amount * SCALE : amount * scaled;
  let denominator = inverse ? scaled : SCALE;
  if (shift > 0) numerator *= 10n ** BigInt(shift);
  if (shift < 0) denominator *= 10n ** BigInt(-shift);
  return roundHalfUp(numerator, denominator);
}
