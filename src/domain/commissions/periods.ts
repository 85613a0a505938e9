import type { PeriodKind } from "./plan-definition.js";

const DAY_MS = 86_400_000;

// The engine asks for the same few days thousands of times per batch: ISO strings are cached by day number.
const dayKeys = new Map<number, string>();
const periodCache = new Map<string, { first: string; last: string }>();
const CACHE_LIMIT = 20_000;

const dayKey = (dayNumber: number): string => {
  let key = dayKeys.get(dayNumber);
  if (key === undefined) {
    key = new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
    if (dayKeys.size > CACHE_LIMIT) dayKeys.clear();
    dayKeys.set(dayNumber, key);
  }
  return key;
};

/** The UTC calendar day of a moment, as `YYYY-MM-DD` (the key of the daily totals). */
export const dayOf = (at: Date): string => dayKey(Math.floor(at.getTime() / DAY_MS));

/** The UTC calendar month of a moment, as `YYYY-MM`. */
export const monthOf = (at: Date): string => dayOf(at).slice(0, 7);

/**
 * The days, first and last inclusive, of the period a moment falls in: its UTC calendar month, or the 30 days
 * ending with its day (rolling).
 */
export function periodDays(kind: PeriodKind, at: Date): { first: string; last: string } {
  const dayNumber = Math.floor(at.getTime() / DAY_MS);
  const cacheKey = `${kind}:${dayNumber}`;
  const cached = periodCache.get(cacheKey);
  if (cached) return cached;
  let range: { first: string; last: string };
  if (kind === "calendar_month") {
    const first = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1) / DAY_MS;
    const last = Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 0) / DAY_MS;
    range = { first: dayKey(first), last: dayKey(last) };
  } else {
    range = { first: dayKey(dayNumber - 29), last: dayKey(dayNumber) };
  }
  if (periodCache.size > CACHE_LIMIT) periodCache.clear();
  periodCache.set(cacheKey, range);
  return range;
}

/** `at` plus whole calendar months (clamped to the month's last day, as billing systems do). */
export function addMonths(at: Date, months: number): Date {
  const target = new Date(at.getTime());
  const day = target.getUTCDate();
  target.setUTCDate(1);
  target.setUTCMonth(target.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return target;
}

export const addDays = (at: Date, days: number): Date => new Date(at.getTime() + days * DAY_MS);
