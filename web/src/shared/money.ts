import type { Revenue } from "./types.js";

const formats = new Map<string, Intl.NumberFormat>();

function currencyFormat(currency: string, compact: boolean): Intl.NumberFormat {
  const key = `${currency}:${compact}`;
  let format = formats.get(key);
  if (!format) {
    try {
      format = new Intl.NumberFormat(undefined, {
        style: "currency",
        currency,
        ...(compact ? { notation: "compact", maximumFractionDigits: 1 } : {}),
      });
    } catch {
      // An unknown code still shows as a plain number with the code after it.
      format = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });
    }
    formats.set(key, format);
  }
  return format;
}

/** How many minor units make one major unit: 100 for USD, 1 for JPY, 1000 for KWD. */
export function minorUnitsPerMajor(currency: string): number {
  const digits = currencyFormat(currency, false).resolvedOptions().maximumFractionDigits ?? 2;
  return 10 ** digits;
}

/** 12345 USD → "$123.45". Amounts in the API are integer minor units. */
export function formatMoney(minor: number, currency: string, { compact = false } = {}): string {
  const format = currencyFormat(currency, compact);
  const text = format.format(minor / minorUnitsPerMajor(currency));
  return format.resolvedOptions().style === "currency" ? text : `${text} ${currency}`;
}

/** The revenue map as currency amounts, largest first; an empty map is a zero in `fallback`. */
export function revenueEntries(revenue: Revenue, fallback = "USD"): { currency: string; amount: number }[] {
  const entries = Object.entries(revenue)
    .filter(([, amount]) => amount !== 0)
    .map(([currency, amount]) => ({ currency, amount }))
    .sort((a, b) => b.amount / minorUnitsPerMajor(b.currency) - a.amount / minorUnitsPerMajor(a.currency));
  return entries.length ? entries : [{ currency: fallback, amount: 0 }];
}

/** Basis points as a share: 10000 → "100%", 3333 → "33.3%". */
export const formatShare = (bps: number): string =>
  `${new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 }).format(bps / 100)}%`;
