import { describe, expect, test } from "vitest";
import {
  bpsToPercentText,
  formatMoney,
  formatRate,
  formatSignedMoney,
  minorToDecimal,
  moneyInput,
  parseMoney,
  parsePercent,
  parseWhole,
} from "../../web/src/shared/money.js";

describe("web money: typed amounts become minor units exactly", () => {
  test.each([
    ["129", "USD", 12_900],
    ["129.9", "USD", 12_990],
    ["0.07", "USD", 7],
    ["1,234.56", "USD", 123_456],
    ["1 234,56", "EUR", 123_456],
    ["12,5", "EUR", 1_250],
    ["5000", "JPY", 5_000],
    ["1.234", "KWD", 1_234],
    ["90071992547409.91", "USD", 9_007_199_254_740_991],
    [".5", "USD", 50],
  ])("%s %s → %i", (text, currency, minor) => {
    expect(parseMoney(text, currency)).toEqual({ ok: true, value: minor });
  });

  test.each([
    ["", "USD", "Enter an amount"],
    ["abc", "USD", "Enter an amount such as 49.90"],
    ["1.234", "USD", "Use at most 2 decimals for USD"],
    ["1,000", "USD", "Use at most 2 decimals for USD"],
    ["10.5", "JPY", "JPY has no decimals"],
    ["-5", "USD", "Enter a positive amount"],
    ["90071992547409.92", "USD", "This amount is too large"],
  ])("%s %s is refused: %s", (text, currency, error) => {
    expect(parseMoney(text, currency)).toEqual({ ok: false, error });
  });

  test("signed amounts for adjustments", () => {
    expect(parseMoney("-12.30", "USD", { signed: true })).toEqual({ ok: true, value: -1_230 });
    expect(parseMoney("−12.30", "USD", { signed: true })).toEqual({ ok: true, value: -1_230 });
  });

  test.each([
    [12_345, "USD", "123.45"],
    [-5, "USD", "-0.05"],
    [500, "JPY", "500"],
    [1_234, "KWD", "1.234"],
    [1_050, "HUF", "10.50"],
    [1_234, "IQD", "1.234"],
    [9_007_199_254_740_991, "USD", "90071992547409.91"],
  ])("%i %s shows as %s", (minor, currency, text) => {
    expect(minorToDecimal(minor, currency)).toBe(text);
    expect(moneyInput(minor, currency)).toBe(text);
  });

  test("formatting goes through the exact decimal", () => {
    expect(formatMoney(12_345, "USD")).toMatch(/123[.,]45/);
    expect(formatMoney(9_007_199_254_740_991, "USD").replace(/\D/g, "")).toBe("9007199254740991");
  });

  test("every ISO minor unit is shown, where the browser's own digits would round (HUF, IDR: none)", () => {
    expect(formatMoney(1_050, "HUF")).toMatch(/10[.,]50/);
    expect(formatMoney(123_456, "IDR")).toMatch(/1[.,\s\u00a0]?234[.,]56/);
    expect(parseMoney("10.50", "HUF")).toEqual({ ok: true, value: 1_050 });
  });
});

// The tests run in the en-US locale; U+2212 is the minus sign, "-" the hyphen-minus the browser would use.
describe("web money: a negative amount reads with the minus sign, wherever a page shows it", () => {
  test.each([
    [-1_000, "USD", "−$10.00", "−$10.00", "+$10.00"],
    [-5, "EUR", "−€0.05", "−€0.05", "+€0.05"],
    [0, "USD", "$0.00", "$0.00", "$0.00"],
    [4_900, "USD", "$49.00", "+$49.00", "−$49.00"],
    // No minor units: minor units are yen.
    [-500, "JPY", "−¥500", "−¥500", "+¥500"],
    [1_234_567, "JPY", "¥1,234,567", "+¥1,234,567", "−¥1,234,567"],
    // Three: fils.
    [-1_234, "BHD", "−BHD\u00a01.234", "−BHD\u00a01.234", "+BHD\u00a01.234"],
    [1_234, "KWD", "KWD\u00a01.234", "+KWD\u00a01.234", "−KWD\u00a01.234"],
  ])("%i %s shows as %s, signed %s, its opposite signed %s", (minor, currency, plain, signed, opposite) => {
    expect(formatMoney(minor, currency)).toBe(plain);
    expect(formatSignedMoney(minor, currency)).toBe(signed);
    expect(formatSignedMoney(-minor, currency)).toBe(opposite);
  });

  test("compact figures (chart axes) and codes no list has get the minus sign too", () => {
    expect(formatMoney(-250_000, "USD", { compact: true })).toBe("−$2.5K");
    expect(formatMoney(-1_050, "XXY")).toBe("−XXY\u00a010.50");
  });
});

describe("web money: percentages are basis points", () => {
  test.each([
    ["10", 1_000],
    ["12.5", 1_250],
    ["15,5", 1_550],
    ["0.01", 1],
    ["100%", 10_000],
  ])("%s%% → %i bps", (text, bps) => {
    expect(parsePercent(text)).toEqual({ ok: true, value: bps });
  });

  test.each([
    ["15.005", "Use at most two decimals (basis points)"],
    ["", "Enter a percentage"],
    ["-3", "Enter a percentage such as 12.5"],
    ["1000.01", "Use at most 1000%"],
  ])("%s is refused", (text, error) => {
    expect(parsePercent(text)).toEqual({ ok: false, error });
  });

  test.each([
    [1_000, "10"],
    [1_250, "12.5"],
    [1, "0.01"],
    [10_000, "100"],
  ])("%i bps reads %s", (bps, text) => {
    expect(bpsToPercentText(bps)).toBe(text);
    expect(formatRate(bps)).toBe(`${text}%`);
  });

  test("whole numbers", () => {
    expect(parseWhole("1,200")).toEqual({ ok: true, value: 1_200 });
    expect(parseWhole("0", { min: 1 })).toEqual({ ok: false, error: "Must be at least 1" });
    expect(parseWhole("2.5")).toEqual({ ok: false, error: "Enter a whole number" });
  });
});
