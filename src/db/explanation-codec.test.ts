import { describe, expect, test } from "vitest";
import { compactExplanation, expandExplanation } from "./explanation-codec.js";
import type { CommissionExplanation } from "./schema/commissions.js";

/** What a jsonb column returns for a value: its JSON after PostgreSQL's key ordering. */
const jsonbOrdered = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(jsonbOrdered);
  if (!value || typeof value !== "object") return value;
  const keys = Object.keys(value).sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(keys.map((k) => [k, jsonbOrdered((value as Record<string, unknown>)[k])]));
};

const cases: CommissionExplanation[] = [
  {
    summary: "10% then 15%: USD 12.00",
    steps: ["sale #3 this month → tier level 1 (sales 1–5)", "10.00% of USD 120.00 = USD 12.00"],
    inputs: {
      event: "first sale",
      saleAmount: "USD 120.00",
      creditedAmount: "USD 120.00",
      creditShare: "100.00%",
      plan: "Tiered v1",
    },
    skipped: [],
  },
  {
    summary: "no rule of the plan applies to this conversion",
    steps: [],
    inputs: { event: "recurring sale", products: ["pro", "team"], country: "DE", partnerTier: "gold" },
    skipped: [{ ruleId: "r1", ruleName: "Leads", reason: "rule is for leads" }],
  },
  { summary: "manual adjustment EUR -5.00: goodwill", steps: ["by admin@example.com"] },
  {
    summary: "level 1 override",
    steps: ["5.00% of GBP 1.00 = GBP 0.05"],
    inputs: { level: 1, recruitedPartnerId: "ptn_x" },
  },
  // Shapes the compact form does not cover are stored as they are.
  { summary: "odd \u0001 text", steps: [] },
  { summary: "short keys", steps: [], inputs: { e: 1, other: "x" } },
  { summary: "extra", steps: [], note: "kept" } as CommissionExplanation,
];

describe("explanation codec", () => {
  test.each(cases.map((c) => [c.summary, c]))("%s reads back as jsonb returned it", (_name, explanation) => {
    const stored = jsonbOrdered(JSON.parse(JSON.stringify(compactExplanation(explanation))));
    const read = expandExplanation(stored);
    expect(JSON.stringify(read)).toBe(JSON.stringify(jsonbOrdered(explanation)));
  });

  test("the engine's explanation shrinks by a fifth", () => {
    const full = JSON.stringify(cases[0]);
    expect(JSON.stringify(compactExplanation(cases[0]!)).length).toBeLessThan(full.length * 0.8);
  });

  test("a row written before the compact form reads as it was", () => {
    expect(expandExplanation(cases[1])).toEqual(cases[1]);
    expect(expandExplanation(JSON.stringify(cases[2]))).toEqual(cases[2]);
  });
});
