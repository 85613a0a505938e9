import { describe, expect, test } from "vitest";
import { type CommissionInput, computeCommission, type PeriodTotals } from "./compute-commission.js";
import type { PlanDefinition, Rule } from "./plan-definition.js";

const noTotals: PeriodTotals = { salesCount: 0, revenueMinor: 0n, commissionMinor: 0n };

const sale = (overrides: Partial<CommissionInput> = {}): CommissionInput => ({
  event: "sale",
  recurring: false,
  occurredAt: new Date("2026-03-10T12:00:00Z"),
  saleAmount: 10_000n,
  creditedAmount: 10_000n,
  weightBps: 10_000,
  products: [],
  currency: "USD",
  totalsBefore: () => noTotals,
  ...overrides,
});

const plan = (...rules: Rule[]): PlanDefinition => ({ rules });
const earned = (
  p: PlanDefinition,
  input: CommissionInput,
  selection: "first_match" | "best_for_partner" = "first_match",
) => {
  const result = computeCommission(p, selection, input);
  return result.earns ? result.amount : null;
};

describe("reward types", () => {
  test.each([
    ["flat CPA", { type: "flat", amount: 2_500 } as const, 10_000, 2_500n],
    ["flat CPA split by a 40% credit", { type: "flat", amount: 2_500 } as const, 4_000, 1_000n],
    ["revenue share 20%", { type: "percent", bps: 2_000 } as const, 10_000, 2_000n],
    ["revenue share on a 40% credit (credited 4,000)", { type: "percent", bps: 2_000 } as const, 4_000, 800n],
    ["hybrid $10 + 5%", { type: "hybrid", amount: 1_000, bps: 500 } as const, 10_000, 1_500n],
    ["revenue share rounds half up: 12.5% of 4 = 0.5 → 1", { type: "percent", bps: 1_250 } as const, 10_000, 1n],
  ])("%s", (_name, reward, weightBps, want) => {
    const credited =
      reward.type === "percent" && _name.includes("rounds") ? 4n : (10_000n * BigInt(weightBps)) / 10_000n;
    const amount = earned(
      plan({ id: "r", name: "R", event: "sale", reward }),
      sale({ weightBps, creditedAmount: credited }),
    );
    expect(amount).toBe(want);
  });

  test("a lead earns a flat CPA; a sale rule does not pay leads", () => {
    const p = plan(
      { id: "lead", name: "Lead", event: "lead", reward: { type: "flat", amount: 500 } },
      { id: "sale", name: "Sale", event: "sale", reward: { type: "percent", bps: 1_000 } },
    );
    const lead = computeCommission(
      p,
      "first_match",
      sale({ event: "lead", saleAmount: undefined, creditedAmount: undefined }),
    );
    expect(lead.earns && lead.amount).toBe(500n);
    expect(lead.earns && lead.rule.id).toBe("lead");
    const s = computeCommission(p, "first_match", sale());
    expect(s.earns && s.rule.id).toBe("sale");
    expect(s.explanation.skipped).toEqual([{ ruleId: "lead", ruleName: "Lead", reason: "rule is for leads" }]);
  });
});

describe("volume tiers (seed 002: 10% for the first 5 sales a month, 15% beyond)", () => {
  const tiered = plan({
    id: "tiered",
    name: "Tiered revenue share",
    event: "sale",
    tiers: {
      period: "calendar_month",
      basis: "count",
      levels: [
        { upTo: 5, reward: { type: "percent", bps: 1_000 } },
        { upTo: null, reward: { type: "percent", bps: 1_500 } },
      ],
    },
  });
  const nth = (n: number) =>
    sale({ totalsBefore: () => ({ salesCount: n - 1, revenueMinor: 0n, commissionMinor: 0n }) });

  test.each([
    [1, 1_000n],
    [4, 1_000n],
    [5, 1_000n],
    [6, 1_500n],
    [7, 1_500n],
    [50, 1_500n],
  ])("sale #%i of the month earns %s on 10,000", (n, want) => {
    expect(earned(tiered, nth(n))).toBe(want);
  });

  test("the explanation names the position and the level", () => {
    const result = computeCommission(tiered, "first_match", nth(6));
    expect(result.explanation.steps[0]).toBe("sale #6 this month → tier level 2 (sales 6+)");
    expect(result.explanation.steps[1]).toBe("15% of USD 100.00 = USD 15.00");
  });

  test("revenue basis: the level is chosen by the credited revenue earlier in the period", () => {
    const byRevenue = plan({
      id: "rev",
      name: "Revenue tiers",
      event: "sale",
      tiers: {
        period: "rolling_30_days",
        basis: "revenue",
        levels: [
          { upTo: 100_000, reward: { type: "percent", bps: 1_000 } },
          { upTo: null, reward: { type: "percent", bps: 2_000 } },
        ],
      },
    });
    const withRevenue = (revenueMinor: bigint) => sale({ totalsBefore: () => ({ ...noTotals, revenueMinor }) });
    expect(earned(byRevenue, withRevenue(99_999n))).toBe(1_000n);
    expect(earned(byRevenue, withRevenue(100_000n))).toBe(2_000n);
  });
});

describe("durations", () => {
  const firstSaleAt = new Date("2026-01-31T00:00:00Z");
  const recurring = (at: string) => sale({ recurring: true, firstSaleAt, occurredAt: new Date(at) });
  const withDuration = (duration: Rule["duration"]) =>
    plan({ id: "r", name: "R", event: "sale", reward: { type: "percent", bps: 1_000 }, duration });

  test("first sale only: a renewal earns nothing", () => {
    expect(earned(withDuration({ type: "first_sale" }), sale())).toBe(1_000n);
    expect(earned(withDuration({ type: "first_sale" }), recurring("2026-02-15T00:00:00Z"))).toBeNull();
  });
  test("N months after the first sale: the last moment earns, the end does not (month-end clamped)", () => {
    const threeMonths = withDuration({ type: "months", months: 3 });
    // Jan 31 + 3 months = Apr 30 (clamped).
    expect(earned(threeMonths, recurring("2026-04-29T23:59:59Z"))).toBe(1_000n);
    expect(earned(threeMonths, recurring("2026-04-30T00:00:00Z"))).toBeNull();
  });
  test("lifetime: years later still earns", () => {
    expect(earned(withDuration({ type: "lifetime" }), recurring("2031-01-01T00:00:00Z"))).toBe(1_000n);
  });
  test("first_sale and recurring_sale events split new and renewal", () => {
    const p = plan(
      { id: "new", name: "New", event: "first_sale", reward: { type: "percent", bps: 3_000 } },
      { id: "renewal", name: "Renewal", event: "recurring_sale", reward: { type: "percent", bps: 1_000 } },
    );
    expect(earned(p, sale())).toBe(3_000n);
    expect(earned(p, recurring("2026-02-15T00:00:00Z"))).toBe(1_000n);
  });
});

describe("conditions compare typed values", () => {
  const when = (...conditions: NonNullable<Rule["conditions"]>) =>
    plan({ id: "r", name: "R", event: "sale", reward: { type: "flat", amount: 100 }, conditions });

  test.each([
    [
      "amount ≥ 9 999 vs 10 000 (numbers, not strings: '10000' < '9999')",
      when({ field: "amount", op: "gte", value: 9_999 }),
      sale(),
      true,
    ],
    ["amount ≥ 10 001", when({ field: "amount", op: "gte", value: 10_001 }), sale(), false],
    ["amount ≤ 10 000 (inclusive)", when({ field: "amount", op: "lte", value: 10_000 }), sale(), true],
    [
      "product in list",
      when({ field: "product", op: "in", values: ["pro"] }),
      sale({ products: ["basic", "pro"] }),
      true,
    ],
    [
      "product not in list",
      when({ field: "product", op: "in", values: ["pro"] }),
      sale({ products: ["basic"] }),
      false,
    ],
    ["product excluded", when({ field: "product", op: "not_in", values: ["pro"] }), sale({ products: ["pro"] }), false],
    ["country in list", when({ field: "country", op: "in", values: ["DE", "FR"] }), sale({ country: "FR" }), true],
    ["unknown country fails 'in'", when({ field: "country", op: "in", values: ["DE"] }), sale(), false],
    ["unknown country passes 'not_in'", when({ field: "country", op: "not_in", values: ["DE"] }), sale(), true],
    ["new customer", when({ field: "customer", op: "is", value: "new" }), sale(), true],
    ["returning customer", when({ field: "customer", op: "is", value: "new" }), sale({ recurring: true }), false],
    ["partner tier", when({ field: "partner_tier", op: "in", values: ["gold"] }), sale({ partnerTier: "gold" }), true],
    ["no partner tier", when({ field: "partner_tier", op: "in", values: ["gold"] }), sale(), false],
  ])("%s", (_name, p, input, applies) => {
    expect(computeCommission(p, "first_match", input).earns).toBe(applies);
  });
});

describe("rule selection", () => {
  const p = plan(
    { id: "base", name: "Base", event: "sale", reward: { type: "percent", bps: 1_000 } },
    { id: "big", name: "Big orders", event: "sale", reward: { type: "flat", amount: 5_000 } },
  );
  test("first match takes the first rule in order", () => {
    const result = computeCommission(p, "first_match", sale());
    expect(result.earns && [result.rule.id, result.amount]).toEqual(["base", 1_000n]);
  });
  test("best for the partner takes the highest amount and says why the other lost", () => {
    const result = computeCommission(p, "best_for_partner", sale());
    expect(result.earns && [result.rule.id, result.amount]).toEqual(["big", 5_000n]);
    expect(result.explanation.skipped?.[0]?.reason).toContain('pays less (USD 10.00) than "Big orders"');
  });
});

describe("caps", () => {
  const capped: PlanDefinition = {
    rules: [{ id: "r", name: "R", event: "sale", reward: { type: "percent", bps: 1_000 } }],
    cap: { amount: 2_500, period: "calendar_month" },
  };
  const after = (commissionMinor: bigint) => sale({ totalsBefore: () => ({ ...noTotals, commissionMinor }) });
  test.each([
    [0n, 1_000n],
    [1_500n, 1_000n],
    [2_000n, 500n],
    [2_500n, 0n],
    [9_000n, 0n],
  ])("after %s earned this month the sale earns %s", (before, want) => {
    expect(earned(capped, after(before))).toBe(want);
  });
});
