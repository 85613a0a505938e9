import { expect, test } from "vitest";
import { currencyDigits, minorToDecimal } from "./currency-digits.js";

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
