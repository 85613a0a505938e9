const cache = new Map<string, number>();

/** ISO 4217 minor-unit digits (USD 2, JPY 0, KWD 3), from the runtime's ICU data. */
export function currencyDigits(currency: string): number {
  let digits = cache.get(currency);
  if (digits === undefined) {
    try {
      digits =
        new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      digits = 2;
    }
    cache.set(currency, digits);
  }
  return digits;
}

/** Minor units as a plain decimal in major units, exact: 12345n USD → "123.45", 500n JPY → "500", -5n → "-0.05". */
export function minorToDecimal(amount: bigint, currency: string): string {
  const digits = currencyDigits(currency);
  const negative = amount < 0n;
  const text = (negative ? -amount : amount).toString().padStart(digits + 1, "0");
  const whole = text.slice(0, text.length - digits);
  const fraction = digits > 0 ? `.${text.slice(text.length - digits)}` : "";
  return `${negative ? "-" : ""}${whole}${fraction}`;
}
