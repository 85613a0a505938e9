import currencyCodes from "currency-codes";

/*
 * Amounts are integer minor units of ISO 4217, the unit Stripe and billing systems send: 1000 HUF is 10.00 forint,
 * 1000 IQD is 1.000 dinar. The runtime's ICU data is not that list: it carries CLDR's display digits (HUF, IDR,
 * COP and IQD with none), which read 10.00 forint as 1,000, and it lacks current codes such as VED. So the digits
 * and the codes come from ISO's published list (currency-codes); the runtime's list only adds codes newer than the
 * library's copy (XCG, 2025) or withdrawn since (HRK), so a program created with one keeps working.
 */

/** Entries whose entity is "ZZ…" are not money: precious metals, bond units, the testing and no-currency codes. */
const isMoney = (entry: currencyCodes.CurrencyCodeRecord) => entry.countries.some((entity) => !/^zz/i.test(entity));
const notMoney = new Set(currencyCodes.data.filter((entry) => !isMoney(entry)).map((entry) => entry.code));
const isoDigits = new Map(currencyCodes.data.filter(isMoney).map((entry) => [entry.code, entry.digits]));
const runtimeOnly = new Set(Intl.supportedValuesOf("currency").filter((code) => !notMoney.has(code)));

/** Whether a code is a currency amounts can be in (ISO 4217 list one, less the codes that are not money). */
export function isCurrencyCode(code: string): boolean {
  return isoDigits.has(code) || runtimeOnly.has(code);
}

/**
 * ISO 4217 minor-unit digits (USD 2, JPY 0, KWD 3, HUF 2). The codes ISO's copy here lacks (XCG, HRK, SLL, ZWL)
 * all have two; the web reads the same list.
 */
export function currencyDigits(currency: string): number {
  return isoDigits.get(currency) ?? 2;
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
