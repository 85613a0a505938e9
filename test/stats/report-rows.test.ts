import { expect, test } from "vitest";
import { reportRows } from "../../src/domain/stats/credited-counts.js";

test("a report's rows are made when their key is first seen, from clicks or credits, and keep what names them", () => {
  const rows = reportRows((partnerId: string) => ({ partnerId }));
  rows.addClicks("ptn_a", 3);
  rows.addCredits("ptn_b", { kind: "lead", currency: null, n: 2, amount: null });
  rows.addCredits("ptn_a", { kind: "sale", currency: "USD", n: 2, amount: "15000" });
  rows.addCredits("ptn_a", { kind: "refund", currency: "USD", n: 1, amount: "-2500" });
  rows.addCredits("ptn_a", { kind: "sale", currency: "EUR", n: 1, amount: "900" });
  rows.addClicks("ptn_a", 1);
  expect([...rows.rows.values()]).toEqual([
    { partnerId: "ptn_a", clicks: 4, leads: 0, sales: 3, revenue: { USD: 12_500, EUR: 900 } },
    { partnerId: "ptn_b", clicks: 0, leads: 2, sales: 0, revenue: {} },
  ]);
});

test("a null key (clicks without a sub-id, credits without a click) is a row like any other", () => {
  const rows = reportRows((key: string | null) => ({ key }));
  rows.addClicks(null, 5);
  rows.addCredits(null, { kind: "sale", currency: "USD", n: 1, amount: "100" });
  rows.addClicks("spring", 1);
  expect(rows.rows.get(null)).toEqual({ key: null, clicks: 5, leads: 0, sales: 1, revenue: { USD: 100 } });
  expect(rows.rows.size).toBe(2);
});
