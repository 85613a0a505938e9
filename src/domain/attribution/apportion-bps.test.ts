import { describe, expect, test } from "vitest";
import { apportionBps } from "./apportion-bps.js";
import { seededRandom } from "./attribution.fixtures.js";

describe("apportionBps", () => {
  const cases: [bigint[], number[]][] = [
    [[1n], [10_000]],
    [
      [1n, 1n],
      [5_000, 5_000],
    ],
    [
      [1n, 1n, 1n],
      [3_334, 3_333, 3_333],
    ],
    [
      [1n, 1n, 1n, 1n, 1n, 1n],
      [1_667, 1_667, 1_667, 1_667, 1_666, 1_666],
    ],
    [
      [1n, 0n, 0n],
      [10_000, 0, 0],
    ],
    [
      [0n, 0n, 5n],
      [0, 0, 10_000],
    ],
    [
      [2n, 1n],
      [6_667, 3_333],
    ],
    [
      [1n, 2n],
      [3_333, 6_667],
    ],
    [
      [6n, 1n, 1n, 1n, 6n],
      [4_000, 667, 667, 666, 4_000],
    ],
    [
      [1n, 2n, 4n],
      [1_429, 2_857, 5_714],
    ],
    [
      [1n, 2n, 4n, 8n, 16n],
      [323, 645, 1_290, 2_581, 5_161],
    ],
    [
      [10n ** 30n, 1n],
      [10_000, 0],
    ],
  ];
  // Named by hand: test titles cannot serialise bigint.
  test.each(cases.map(([weights, want]) => [weights.join(":"), weights, want] as const))("%s", (_, weights, want) => {
    expect(apportionBps(weights)).toEqual(want);
  });

  test("equal remainders go to the lower index (the earlier touch)", () => {
    expect(apportionBps([1n, 1n, 1n], 2)).toEqual([1, 1, 0]);
    expect(apportionBps([1n, 1n, 1n], 1)).toEqual([1, 0, 0]);
  });

  test("another total, e.g. minor units", () => {
    expect(apportionBps([1n, 1n, 1n], 100)).toEqual([34, 33, 33]);
    expect(apportionBps([1n, 1n], 0)).toEqual([0, 0]);
  });

  test("refuses malformed input", () => {
    expect(() => apportionBps([])).toThrow("no weights");
    expect(() => apportionBps([1n, -1n])).toThrow("non-negative");
    expect(() => apportionBps([0n, 0n])).toThrow("every weight is zero");
    expect(() => apportionBps([1n], -1)).toThrow("non-negative integer");
    expect(() => apportionBps([1n], 1.5)).toThrow("non-negative integer");
  });

  test("property: sums to the total, each share within 1 unit of its exact quota, zero weight gets zero", () => {
    const random = seededRandom(20_260_310);
    for (let run = 0; run < 5_000; run++) {
      const n = 1 + Math.floor(random() * 12);
      const scale = [10, 1_000, 2 ** 53][run % 3]!;
      const weights: bigint[] = Array.from({ length: n }, () =>
        random() < 0.2 ? 0n : BigInt(Math.floor(random() * scale)),
      );
      if (!weights.some((w) => w > 0n)) weights[0] = 1n;
      const total = run % 5 === 0 ? Math.floor(random() * 1_000_000) : 10_000;

      const shares = apportionBps(weights);
      const sharesOfTotal = apportionBps(weights, total);
      expect(shares.reduce((a, b) => a + b, 0)).toBe(10_000);
      expect(sharesOfTotal.reduce((a, b) => a + b, 0)).toBe(total);

      const sum = weights.reduce((a, b) => a + b, 0n);
      weights.forEach((w, i) => {
        // |share - w·T/W| < 1  ⇔  |share·W - w·T| < W, checked exactly in bigint.
        for (const [got, t] of [
          [shares[i]!, 10_000],
          [sharesOfTotal[i]!, total],
        ] as const) {
          const gap = BigInt(got) * sum - w * BigInt(t);
          expect(gap < sum && -gap < sum).toBe(true);
          if (w === 0n) expect(got).toBe(0);
        }
      });
    }
  });
});
