import { expect, test } from "vitest";
import { formatBps, formatMinor } from "../../lib/money.js";
import { convertMinor, isValidRate, minorDigits } from "./fx.js";

test.each([
  // amount, from, to, rate, inverse, want
  [10_000n, "EUR", "USD", "1.0825", false, 10_825n],
  [1n, "EUR", "USD", "1.5", false, 2n], // 1.5 cents rounds half up
  [1_000n, "USD", "JPY", "150.25", false, 1_503n], // $10.00 → ¥1,502.5 → ¥1,503 (2 → 0 digits)
  [1_503n, "JPY", "USD", "0.0066", false, 992n], // ¥1,503 → $9.9198 → 992 cents
  [10_825n, "USD", "EUR", "1.0825", true, 10_000n], // a EUR→USD rate used the other way round
  [1_000n, "USD", "KWD", "0.307", false, 3_070n], // 3-digit currency
  [-10_000n, "EUR", "USD", "1.0825", false, -10_825n],
])("%s %s → %s at %s (inverse %s) = %s", (amount, from, to, rate, inverse, want) => {
  expect(convertMinor(amount, from, to, rate, inverse)).toBe(want);
});

test("minor digits come from ISO 4217", () => {
  expect([minorDigits("USD"), minorDigits("JPY"), minorDigits("KWD")]).toEqual([2, 0, 3]);
});

test.each([
  ["1", true],
  ["0.000001", true],
  ["0", false],
  ["-1", false],
  ["1e5", false],
  ["1.1234567890123", false],
  ["abc", false],
])("rate %s valid: %s", (rate, valid) => expect(isValidRate(rate)).toBe(valid));

test.each([
  [12_345n, "USD", 2, "USD 123.45"],
  [5n, "USD", 2, "USD 0.05"],
  [-123_456_789n, "EUR", 2, "-EUR 1,234,567.89"],
  [1_503n, "JPY", 0, "JPY 1,503"],
])("format %s %s", (amount, currency, digits, want) => expect(formatMinor(amount, currency, digits)).toBe(want));

test.each([
  [1_000, "10%"],
  [1_050, "10.5%"],
  [1_255, "12.55%"],
  [5, "0.05%"],
])("bps %s is %s", (bps, want) => expect(formatBps(bps)).toBe(want));
