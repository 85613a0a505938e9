import { expect, test } from "vitest";
import { currencyDigits, isCurrencyCode, minorToDecimal } from "./currency-digits.js";

test.each([
  ["USD", 2],
  ["EUR", 2],
  ["JPY", 0],
  ["KWD", 3],
])("%s has %s minor digits", (currency, digits) => expect(currencyDigits(currency)).toBe(digits));

test.each([
  [12_345n, "USD", "123.45"],
  [5n, "USD", "0.05"],
  [-5n, "EUR", "-0.05"],
  [100n, "USD", "1.00"],
  [500n, "JPY", "500"],
  [1_234n, "KWD", "1.234"],
  [9_007_199_254_740_993n, "USD", "90071992547409.93"],
])("%s %s is %s", (amount, currency, want) => expect(minorToDecimal(amount, currency)).toBe(want));

// ISO 4217's minor units, where the runtime's ICU data shows fewer (CLDR display digits): 1000 HUF is 10.00 forint.
test.each([
  ["HUF", 2],
  ["IDR", 2],
  ["COP", 2],
  ["IQD", 3],
  ["CLF", 4],
])("%s has ISO's %s minor digits", (currency, digits) => expect(currencyDigits(currency)).toBe(digits));

test("1050 HUF minor units are 10.50 forint, not 1,050", () => expect(minorToDecimal(1050n, "HUF")).toBe("10.50"));

test.each(["VED", "SLE", "ZWG", "UYW", "XCG", "HRK", "USD"])("%s is a currency amounts can be in", (code) =>
  expect(isCurrencyCode(code)).toBe(true),
);

test.each(["XXX", "XTS", "XAU", "ABC", "usd", "DEM"])("%s is not", (code) => expect(isCurrencyCode(code)).toBe(false));
