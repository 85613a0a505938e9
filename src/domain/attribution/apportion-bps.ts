import { allocate } from "../../lib/money.js";
import { BPS_TOTAL } from "./attribution.types.js";

/**
 * Splits `total` units in proportion to non-negative integer weights with the largest-remainder (Hamilton)
 * method: every share starts as its quota rounded down, then the units left over go one each to the largest
 * remainders, ties to the lower index. Callers pass weights in touch-time order, so a tie favours the earlier
 * touch. Integer arithmetic throughout, so the shares always sum to `total`, each is within one unit of its
 * exact quota, and a zero weight always gets zero.
 */
export function apportionBps(weights: readonly bigint[], total: number = BPS_TOTAL): number[] {
  if (!Number.isSafeInteger(total) || total < 0) throw new Error(`total must be a non-negative integer, got ${total}`);
  return allocate(BigInt(total), weights).map(Number);
}
