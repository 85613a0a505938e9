import { describe, expect, test } from "vitest";
import { type MoneyLine, programShares, refundShare, splitRefundShares } from "./program-share.js";

/** One program's part of the invoice. */
const programShare = (all: readonly MoneyLine[], mine: readonly MoneyLine[], paid: number) =>
  programShares(all, [mine], paid)[0];

const line = (amount: number, extra: Partial<MoneyLine> = {}): MoneyLine => ({ amount, ...extra });
const exclusiveTax = (amount: number) => ({ taxes: [{ amount, tax_behavior: "exclusive" }] });

describe("programShare", () => {
  test.each([
    ["the whole invoice, no tax", [line(4_900)], [0], 4_900, 4_900],
    ["one of two products", [line(3_000), line(1_000)], [0], 4_000, 3_000],
    ["after its discount", [line(3_000, { discount_amounts: [{ amount: 500 }] }), line(1_000)], [0], 3_500, 2_500],
    ["without exclusive tax", [line(1_000, exclusiveTax(190))], [0], 1_190, 1_000],
    [
      "without inclusive tax",
      [line(1_190, { taxes: [{ amount: 190, tax_behavior: "inclusive" }] })],
      [0],
      1_190,
      1_000,
    ],
    [
      "legacy inclusive tax_amounts",
      [line(1_200, { tax_amounts: [{ amount: 200, inclusive: true }] })],
      [0],
      1_200,
      1_000,
    ],
    ["a credit balance paid half: in proportion", [line(2_000), line(2_000)], [0], 2_000, 1_000],
    ["a proration credit larger than the charge", [line(-3_000), line(1_000)], [0, 1], 0, 0],
    ["none of the program's lines", [line(1_000)], [], 1_000, 0],
    ["an old balance paid too: never more than its lines", [line(1_000)], [0], 1_500, 1_000],
  ] as const)("%s", (_name, lines, mine, paid, want) => {
    expect(
      programShare(
        lines,
        mine.map((i) => lines[i]!),
        paid,
      ),
    ).toBe(want);
  });
});

describe("programShares", () => {
  test.each([
    ["two programs, no tax: the whole payment", [line(3_000), line(1_000)], [[0], [1]], 4_000, [3_000, 1_000]],
    ["two programs and another product", [line(3_000), line(1_000), line(500)], [[0], [1]], 4_500, [3_000, 1_000]],
    [
      "two programs and tax",
      [line(2_000, exclusiveTax(200)), line(1_000, exclusiveTax(100))],
      [[0], [1]],
      3_300,
      [2_000, 1_000],
    ],
    // A credit balance paid a unit: halves rounded up each would take 50 + 50 of the 99 paid.
    ["two halves of 99 paid: never more than was paid", [line(50), line(50)], [[0], [1]], 99, [50, 49]],
    ["thirds of a partly paid invoice", [line(100), line(100), line(100)], [[0], [1], [2]], 200, [67, 67, 66]],
    ["a program whose lines come to nothing", [line(-500), line(1_000)], [[0], [1]], 500, [0, 500]],
  ] as const)("%s", (_name, lines, parts, paid, want) => {
    const shares = programShares(
      lines,
      parts.map((indexes) => indexes.map((i) => lines[i]!)),
      paid,
    );
    expect(shares).toEqual(want);
    expect(shares.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(paid);
  });
});

describe("refundShare", () => {
  test.each([
    ["the sale is what was paid", 1_000n, 1_000n, 0n, 300n, 300n],
    ["a quarter of the charge", 4_000n, 8_400n, 0n, 2_100n, 1_000n],
    ["the rest of it", 4_000n, 8_400n, 2_100n, 8_400n, 3_000n],
    ["thirds add up to the sale", 1_000n, 3_000n, 2_000n, 3_000n, 333n],
    ["beyond what was paid takes nothing more", 500n, 1_000n, 1_000n, 1_200n, 0n],
  ] as const)("%s", (_name, sale, paid, before, after, want) => {
    expect(refundShare(sale, paid, before, after)).toBe(want);
  });

  test("the parts of a split order's refunds never add up to more than was refunded, and a full refund takes each sale whole", () => {
    // Orders of two programs or more (sales summing to what was paid, or less: tax), refunded a unit at a time.
    const cases = [
      { sales: [50n, 50n], paid: 100n },
      { sales: [4_000n, 2_000n], paid: 9_000n },
      { sales: [1n, 998n], paid: 1_000n },
      { sales: [333n, 333n, 333n], paid: 1_100n },
      // The largest remainder's Alabama paradox would strike here: with it, 26 taken of 25 refunded.
      { sales: [7n, 11n, 13n, 17n], paid: 48n },
    ];
    for (const { sales, paid } of cases) {
      const taken = sales.map(() => 0n);
      for (let refunded = 1n; refunded <= paid; refunded++) {
        const parts = splitRefundShares(sales, paid, refunded - 1n, refunded);
        parts.forEach((part, i) => {
          expect(part).toBeGreaterThanOrEqual(0n);
          taken[i] = taken[i]! + part;
        });
        expect(taken.reduce((a, b) => a + b, 0n)).toBeLessThanOrEqual(refunded);
      }
      expect(taken).toEqual(sales);
    }
    // Rounded half-up each, the first unit refunded would have taken a unit from each sale: two for one.
    expect(refundShare(50n, 100n, 0n, 1n) + refundShare(50n, 100n, 0n, 1n)).toBe(2n);
    expect(splitRefundShares([50n, 50n], 100n, 0n, 1n)).toEqual([1n, 0n]);
    // Sales of 4,000 and 2,000 paid 9,000 with tax: a third refunded takes a third of the 6,000, 2,000, split
    // 1,333.3 / 666.7; then the rest.
    expect(splitRefundShares([4_000n, 2_000n], 9_000n, 0n, 3_000n)).toEqual([1_333n, 667n]);
    expect(splitRefundShares([4_000n, 2_000n], 9_000n, 3_000n, 9_000n)).toEqual([2_667n, 1_333n]);
  });
});
