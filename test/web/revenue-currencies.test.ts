import { expect, test } from "vitest";
import { revenueCurrencies } from "../../web/src/shared/performance-series.js";
import type { StatsPoint } from "../../web/src/shared/types.js";

const day = (revenue: Record<string, number>): StatsPoint => ({
  bucket: "2026-03-01T00:00:00.000Z",
  clicks: 0,
  leads: 0,
  sales: 0,
  revenue,
});

test("the program's currency comes first, even when another one's total is larger", () => {
  // ¥10,000 is far more minor units than €5,000: the chart still opens on the program's euros.
  const series = [day({ EUR: 500_000 }), day({ JPY: 10_000 })];
  expect(revenueCurrencies({ series }, "EUR")).toEqual(["EUR", "JPY"]);
});

test("a currency whose days cancel out over the period is still offered; one with no revenue is not", () => {
  const series = [day({ GBP: 4_000, USD: 0 }), day({ GBP: -4_000 })];
  expect(revenueCurrencies({ series }, "EUR")).toEqual(["EUR", "GBP"]);
});

test("without a program (a partner across programs), the currencies seen, or USD when there is none", () => {
  expect(revenueCurrencies({ series: [day({ SEK: 100 }), day({ CHF: 5 })] }, undefined)).toEqual(["CHF", "SEK"]);
  expect(revenueCurrencies({ series: [day({})] }, undefined)).toEqual(["USD"]);
  expect(revenueCurrencies(undefined, "JPY")).toEqual(["JPY"]);
});
