import { type AttributionModel, DAY_MS } from "./attribution.types.js";

// Time-decay weights are floats (they are proportions, not money); they become integers at this scale, so the
// apportionment that follows is exact. 2^53 keeps the newest touch's weight an exact integer.
const DECAY_SCALE = 2 ** 53;

/**
 * Relative integer weights, one per touch, for touches already sorted by click time (oldest first).
 * Only proportions matter: apportionBps turns them into basis points.
 */
export function modelWeights(
  model: AttributionModel,
  clickTimes: readonly Date[],
  conversionAt: Date,
  halfLifeDays: number,
): bigint[] {
  const n = clickTimes.length;
  if (n === 0) throw new Error("a model needs at least one touch");
  switch (model) {
    case "first_click":
      return clickTimes.map((_, i) => (i === 0 ? 1n : 0n));
    case "last_click":
      return clickTimes.map((_, i) => (i === n - 1 ? 1n : 0n));
    case "linear":
      return clickTimes.map(() => 1n);
    case "position_based":
      return positionBasedWeights(n);
    case "time_decay":
      return timeDecayWeights(clickTimes, conversionAt, halfLifeDays);
  }
}

/**
 * 40/20/40 as integers: with m = n - 2 middle touches, the ends weigh 2m each and every middle touch 1, so
 * the ends get 2m / 5m = 40% and the middle shares m / 5m = 20%. One touch takes all, two split evenly.
 */
function positionBasedWeights(n: number): bigint[] {
  if (n <= 2) return Array.from({ length: n }, () => 1n);
  const end = BigInt(2 * (n - 2));
  return Array.from({ length: n }, (_, i) => (i === 0 || i === n - 1 ? end : 1n));
}

/**
 * 2^(-age / halfLife), taken relative to the newest touch (the ratio is the same once normalised) so that a
 * window many half-lives long cannot underflow every weight to zero. A touch too old to matter at this
 * precision weighs 0 and ends up with 0 bps.
 */
function timeDecayWeights(clickTimes: readonly Date[], conversionAt: Date, halfLifeDays: number): bigint[] {
  const halfLifeMs = halfLifeDays * DAY_MS;
  const ages = clickTimes.map((at) => conversionAt.getTime() - at.getTime());
  const youngest = ages.reduce((a, b) => Math.min(a, b));
  return ages.map((age) => BigInt(Math.round(2 ** (-(age - youngest) / halfLifeMs) * DECAY_SCALE)));
}
