import { describe, expect, test } from "vitest";
import { allocate, percentOf, roundHalfUp } from "./money.js";

describe("money", () => {
  // Tables hold numbers: Vitest cannot serialise bigint test arguments.
  test.each([
    [1000, 2000, 200],
    [7, 2000, 1],
    [5, 1000, 1], // 0.5 rounds up
    [4, 1000, 0],
    [-5, 1000, -1], // half away from zero
    [123_456_789, 1, 12_346],
  ])("%s at %s bps is %s", (amount, bps, want) => expect(percentOf(BigInt(amount), bps)).toBe(BigInt(want)));

  test("roundHalfUp", () => {
    expect(roundHalfUp(15n, 10n)).toBe(2n);
    expect(roundHalfUp(14n, 10n)).toBe(1n);
    expect(() => roundHalfUp(1n, 0n)).toThrow();
  });

  test.each([
    [100, [1, 1, 1], [34, 33, 33]],
    [10_000, [4000, 2000, 4000], [4000, 2000, 4000]],
    [1, [1, 1], [1, 0]],
    [999, [6667, 3333], [666, 333]],
    [0, [1, 2], [0, 0]],
  ])("allocate %s over %j", (total, weights, want) =>
    expect(allocate(BigInt(total), weights.map(BigInt))).toEqual(want.map(BigInt)),
  );

  test("allocations always sum to the total and stay within one unit of the quota", () => {
    let seed = 42;
    const rand = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    for (let run = 0; run < 2_000; run++) {
      const total = BigInt(rand(10_000_000));
      const weights = Array.from({ length: 1 + rand(6) }, () => BigInt(rand(10_000)));
      if (!weights.some((w) => w > 0n)) weights[0] = 1n;
      const shares = allocate(total, weights);
      expect(shares.reduce((a, b) => a + b, 0n)).toBe(total);
      const sum = weights.reduce((a, b) => a + b, 0n);
      shares.forEach((s, i) => {
        const exact = (total * weights[i]!) / sum;
        expect(s - exact === 0n || s - exact === 1n).toBe(true);
      });
    }
  });
});
