import { describe, expect, test } from "vitest";
import { compactExplanation, expandExplanation } from "./explanation-codec.js";
import { type ExplanationRecipe, encodeRecipe, renderRecipe } from "./explanation-recipe.js";

/** What a jsonb column returns for a value: its JSON after PostgreSQL's key ordering. */
const jsonbOrdered = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(jsonbOrdered);
  if (!value || typeof value !== "object") return value;
  const keys = Object.keys(value).sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(keys.map((k) => [k, jsonbOrdered((value as Record<string, unknown>)[k])]));
};

const base: ExplanationRecipe = {
  currency: "USD",
  ruleName: "10% then 15%",
  amount: 950,
  steps: [
    ["c", 1, 0, 0, 1, 5],
    ["p", 1_000, 9_500, 950],
  ],
  event: "first sale",
  saleAmount: 9_500,
  creditedAmount: 9_500,
  shareBps: 10_000,
  products: null,
  country: null,
  partnerTier: null,
  plan: "Tiered v1",
  skipped: [],
};

const cases: [string, ExplanationRecipe][] = [
  ["tier by count, percentage", base],
  [
    "every kind of step, a split credit, conditions' inputs and skipped rules",
    {
      ...base,
      currency: "JPY",
      ruleName: 'Hybrid "gold" | partners',
      amount: "9007199254740993",
      steps: [
        "EUR 100.00 at 1 EUR = 160.5 JPY (2026-02-10) = JPY 16,050",
        ["c", 6, 1, 1, 6, null],
        ["c", 3, 0, -1, -1, null],
        ["r", 1_234_567, 0, 2],
        ["n"],
        ["f", 500],
        ["s", 500, 3_333, 167],
        ["p", 1_050, 16_050, 1_685],
        ["t", 1_852],
        ["k", 10_000, 1, 9_000, 1_852, 1_000],
      ],
      event: "recurring sale",
      saleAmount: null,
      shareBps: 3_333,
      products: ["pro", "team"],
      country: "DE",
      partnerTier: "gold",
      plan: null,
      skipped: [{ ruleId: "r1", ruleName: "Leads", reason: "rule is for leads" }],
    },
  ],
];

describe("explanation recipes", () => {
  test.each(cases)("%s: the text rendered when written is the text read back", (_name, recipe) => {
    const written = renderRecipe(recipe);
    const expected = JSON.stringify(jsonbOrdered(written));
    // node-postgres and PGlite parse the jsonb string; a driver handing back jsonb text quotes it once more.
    expect(JSON.stringify(expandExplanation(encodeRecipe(recipe)))).toBe(expected);
    expect(JSON.stringify(expandExplanation(JSON.stringify(encodeRecipe(recipe))))).toBe(expected);
  });

  test("the engine's steps read as they always have", () => {
    const text = renderRecipe(cases[1]![1]);
    expect(text.summary).toBe('Hybrid "gold" | partners: JPY 9,007,199,254,740,993');
    expect(text.steps).toEqual([
      "EUR 100.00 at 1 EUR = 160.5 JPY (2026-02-10) = JPY 16,050",
      "sale #6 this 30 days → tier level 2 (sales 6+)",
      "sale #3 this month → tier level 0",
      "JPY 1,234,567 credited revenue earlier this month → tier level 3",
      "rule has no reward",
      "flat JPY 500",
      "flat JPY 500 × credit share 33.33% = JPY 167",
      "10.5% of JPY 16,050 = JPY 1,685",
      "total JPY 1,852",
      "cap JPY 10,000 per 30 days, JPY 9,000 already earned: JPY 1,852 → JPY 1,000",
    ]);
    expect(text.inputs).toEqual({
      event: "recurring sale",
      creditedAmount: "JPY 9,500",
      creditShare: "33.33%",
      products: ["pro", "team"],
      country: "DE",
      partnerTier: "gold",
    });
  });

  test("the stored recipe is well under the compact explanation it replaces", () => {
    // As JSON text 116 against 203 characters; in the column, as a jsonb string against a jsonb object, ~125 against ~252 bytes.
    const compact = JSON.stringify(compactExplanation(renderRecipe(base)));
    expect(encodeRecipe(base).length).toBeLessThan(compact.length * 0.6);
  });
});
