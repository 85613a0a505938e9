import type { AttributionInput, Touchpoint } from "./attribution.types.js";
import { DAY_MS } from "./attribution.types.js";

// Builders shared by the attribution tests: every touch is placed relative to one fixed conversion time.

export const CONVERSION_AT = new Date("2026-03-10T12:00:00.000Z");
export const PROGRAM = "prg_main";

export const before = (ms: number) => new Date(CONVERSION_AT.getTime() - ms);
export const daysBefore = (days: number) => before(days * DAY_MS);

let clickSeq = 0;

/** A touch `days` before the conversion (negative: after it), with a fresh click id unless one is given. */
export function touch(partnerId: string, days: number, extra: Partial<Touchpoint> = {}): Touchpoint {
  clickSeq += 1;
  return {
    clickId: `clk_${clickSeq}`,
    partnerId,
    programId: PROGRAM,
    at: daysBefore(days),
    source: "cookie",
    ...extra,
  };
}

export function input(overrides: Partial<AttributionInput> = {}): AttributionInput {
  return {
    programId: PROGRAM,
    conversionAt: CONVERSION_AT,
    windowDays: 30,
    model: "last_click",
    timeDecayHalfLifeDays: 7,
    touchpoints: [],
    couponPrecedence: "coupon_over_cookie",
    lifetimeBinding: false,
    conversionKind: "sale",
    ...overrides,
  };
}

/** Seeded PRNG (mulberry32) so the property-style loops are reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
