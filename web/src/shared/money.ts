import currencyCodes from "currency-codes";
import type { Revenue } from "./types.js";

/*
 * Amounts from the API are integer minor units. They are shown through Intl.NumberFormat fed with an exact decimal
 * string (never minor / 100), and what a person types is read back into minor units with string arithmetic.
 */

const formats = new Map<string, Intl.NumberFormat>();

function currencyFormat(currency: string, compact: boolean): Intl.NumberFormat {
  const key = `${currency}:${compact}`;
  let format = formats.get(key);
  if (!format) {
    // Every minor unit shown: the browser's own digits for HUF or IDR are none, which would round 10.50 to 11.
    const digits = currencyDigits(currency);
    try {
      format = new Intl.NumberFormat(undefined, {
        style: "currency",
        currency,
        ...(compact
          ? { notation: "compact", maximumFractionDigits: 1 }
          : { minimumFractionDigits: digits, maximumFractionDigits: digits }),
      });
    } catch {
      // An unknown code still shows as a plain number with the code after it.
      format = new Intl.NumberFormat(undefined, { maximumFractionDigits: digits });
    }
    formats.set(key, format);
  }
  return format;
}

/**
 * ISO 4217 minor-unit digits, as the API's amounts use them: 2 for USD and HUF, 0 for JPY, 3 for KWD and IQD (the
 * server reads the same list). A code the list lacks falls back to 2.
 */
export function currencyDigits(currency: string): number {
  return currencyCodes.code(currency)?.digits ?? 2;
}

/** Whether a code is an ISO 4217 currency ("USD"), not just three capitals ("VIP"). */
export const isCurrencyCode = (code: string): boolean => currencyCodes.code(code) !== undefined;

/** How many minor units make one major unit: 100 for USD, 1 for JPY, 1000 for KWD. */
export function minorUnitsPerMajor(currency: string): number {
  return 10 ** currencyDigits(currency);
}

/** Minor units as an exact decimal in major units: 12345 USD → "123.45", -5 USD → "-0.05", 500 JPY → "500". */
export function minorToDecimal(minor: number, currency: string): `${number}` {
  const digits = currencyDigits(currency);
  const value = BigInt(minor);
  const negative = value < 0n;
  const text = (negative ? -value : value).toString().padStart(digits + 1, "0");
  const whole = text.slice(0, text.length - digits);
  const fraction = digits > 0 ? `.${text.slice(text.length - digits)}` : "";
  return `${negative ? "-" : ""}${whole}${fraction}` as `${number}`;
}

/** U+2212: a negative amount reads "−$10.00" on every page, never with the hyphen the browser formats it with. */
const MINUS_SIGN = "\u2212";

/**
 * 12345 USD → "$123.45", -1000 USD → "−$10.00": every amount a page shows, negative ones included. Amounts in the
 * API are integer minor units. The locale still places the sign (before or after the symbol); only its glyph is
 * the typographic minus. Files people feed to other programs (the CSV exports) are written by the server, with "-".
 */
export function formatMoney(minor: number, currency: string, { compact = false } = {}): string {
  const format = currencyFormat(currency, compact);
  const decimal = minorToDecimal(minor, currency);
  const text =
    minor < 0
      ? format
          .formatToParts(decimal)
          .map((part) => (part.type === "minusSign" ? MINUS_SIGN : part.value))
          .join("")
      : format.format(decimal);
  return format.resolvedOptions().style === "currency" ? text : `${text} ${currency}`;
}

/** "+$12.00" / "−$3.50" / "$0.00": a signed movement (adjustments, clawbacks, statement lines); zero moves nothing. */
export function formatSignedMoney(minor: number, currency: string): string {
  return minor > 0 ? `+${formatMoney(minor, currency)}` : formatMoney(minor, currency);
}

/**
 * The revenue map as currency amounts in a stable order: `fallback` (the program's currency) first, then by code.
 * Amounts in different currencies are never compared or added (¥10,000 is not more than €5,000). An empty map is a
 * zero in `fallback`.
 */
export function revenueEntries(revenue: Revenue, fallback = "USD"): { currency: string; amount: number }[] {
  const entries = Object.entries(revenue)
    .filter(([, amount]) => amount !== 0)
    .map(([currency, amount]) => ({ currency, amount }))
    .sort((a, b) =>
      a.currency === fallback ? -1 : b.currency === fallback ? 1 : a.currency.localeCompare(b.currency),
    );
  return entries.length ? entries : [{ currency: fallback, amount: 0 }];
}

/** Basis points as a share: 10000 → "100%", 3333 → "33.3%". */
export const formatShare = (bps: number): string =>
  `${new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 }).format(bps / 100)}%`;

const rateFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });

/** A commission rate in basis points, exactly: 1000 → "10%", 1250 → "12.5%", 1 → "0.01%". */
export const formatRate = (bps: number): string => `${rateFormat.format(bpsToPercentText(bps) as `${number}`)}%`;

export type Parsed = { ok: true; value: number } | { ok: false; error: string };

const fail = (error: string): Parsed => ({ ok: false, error });

/**
 * Reads a decimal a person typed: spaces and thousands separators are dropped ("1 234,5" or "1,234.5");
 * a lone comma is a decimal comma. Returns sign, whole and fraction digits, or null when it is not a number.
 */
function readDecimal(input: string): { negative: boolean; whole: string; fraction: string } | null {
  let text = input.trim().replace(/[\s_\u00a0']/g, "");
  if (text.includes(",") && text.includes(".")) text = text.replaceAll(",", "");
  else if ((text.match(/,/g) ?? []).length === 1) text = text.replace(",", ".");
  const match = /^([-+\u2212]?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (!match || (match[2] === "" && (match[3] ?? "") === "")) return null;
  return { negative: match[1] === "-" || match[1] === "\u2212", whole: match[2] || "0", fraction: match[3] ?? "" };
}

/** "1,234.56" USD → 123456 minor units; exact (string arithmetic), with the currency's number of decimals. */
export function parseMoney(input: string, currency: string, { signed = false } = {}): Parsed {
  if (input.trim() === "") return fail("Enter an amount");
  const decimal = readDecimal(input);
  if (!decimal) return fail("Enter an amount such as 49.90");
  if (decimal.negative && !signed) return fail("Enter a positive amount");
  const digits = currencyDigits(currency);
  if (decimal.fraction.length > digits) {
    return fail(digits === 0 ? `${currency} has no decimals` : `Use at most ${digits} decimals for ${currency}`);
  }
  const minor = BigInt(decimal.whole) * 10n ** BigInt(digits) + BigInt(decimal.fraction.padEnd(digits, "0") || "0");
  if (minor > BigInt(Number.MAX_SAFE_INTEGER)) return fail("This amount is too large");
  return { ok: true, value: Number(decimal.negative ? -minor : minor) };
}

/** Minor units back into what an input shows: 123450 USD → "1234.50". */
export const moneyInput = (minor: number | null | undefined, currency: string): string =>
  minor === null || minor === undefined ? "" : minorToDecimal(minor, currency);

/** "12.5" (percent) → 1250 basis points, exactly; at most two decimals. */
export function parsePercent(input: string): Parsed {
  if (input.trim() === "") return fail("Enter a percentage");
  const decimal = readDecimal(input.replace(/%\s*$/, ""));
  if (!decimal || decimal.negative) return fail("Enter a percentage such as 12.5");
  if (decimal.fraction.length > 2) return fail("Use at most two decimals (basis points)");
  const bps = BigInt(decimal.whole) * 100n + BigInt(decimal.fraction.padEnd(2, "0") || "0");
  if (bps > 100_000n) return fail("Use at most 1000%");
  return { ok: true, value: Number(bps) };
}

/** Basis points as the percentage an input shows: 1250 → "12.5", 1000 → "10", 1 → "0.01". */
export function bpsToPercentText(bps: number): string {
  const text = String(Math.abs(Math.trunc(bps))).padStart(3, "0");
  const fraction = text.slice(-2).replace(/0+$/, "");
  return `${bps < 0 ? "-" : ""}${text.slice(0, -2)}${fraction ? `.${fraction}` : ""}`;
}

/** A whole number a person typed (a count, a number of months); commas and spaces allowed. */
export function parseWhole(input: string, { min = 0, max = Number.MAX_SAFE_INTEGER } = {}): Parsed {
  const text = input.trim().replace(/[\s,_]/g, "");
  if (text === "") return fail("Enter a number");
  if (!/^\d+$/.test(text)) return fail("Enter a whole number");
  const value = Number(text);
  if (value < min) return fail(`Must be at least ${min}`);
  if (value > max) return fail(`Must be at most ${max}`);
  return { ok: true, value };
}
