import type { PeriodKind } from "./plan-definition.js";

const DAY_MS = 86_400_000;

/** The UTC calendar day of a moment, as `YYYY-MM-DD` (the key of the daily totals). */
export const dayOf = (at: Date): string => at.toISOString().slice(0, 10);

/** The UTC calendar month of a moment, as `YYYY-MM`. */
export const monthOf = (at: Date): string => at.toISOString().slice(0, 7);

/**
 * The days, first and last inclusive, of the period a moment falls in: its UTC calendar month, or the 30 days
 * ending with its day (rolling).
 */
export function periodDays(kind: PeriodKind, at: Date): { first: string; last: string } {
  if (kind === "calendar_month") {
    const first = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
    const last = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 0));
    return { first: dayOf(first), last: dayOf(last) };
  }
  const day = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
  return { first: dayOf(new Date(day - 29 * DAY_MS)), last: dayOf(new Date(day)) };
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
