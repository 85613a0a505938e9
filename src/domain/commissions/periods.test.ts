import { expect, test } from "vitest";
import { addMonths, dayOf, monthOf, periodDays } from "./periods.js";

test.each([
  ["calendar_month", "2026-02-14T23:59:59Z", "2026-02-01", "2026-02-28"],
  ["calendar_month", "2028-02-01T00:00:00Z", "2028-02-01", "2028-02-29"],
  ["calendar_month", "2026-12-31T23:59:59.999Z", "2026-12-01", "2026-12-31"],
  ["rolling_30_days", "2026-03-10T12:00:00Z", "2026-02-09", "2026-03-10"],
] as const)("%s around %s is %s..%s", (kind, at, first, last) => {
  expect(periodDays(kind, new Date(at))).toEqual({ first, last });
});

test("day and month keys are UTC", () => {
  expect(dayOf(new Date("2026-03-31T23:59:59.999Z"))).toBe("2026-03-31");
  expect(dayOf(new Date("2026-04-01T00:00:00Z"))).toBe("2026-04-01");
  expect(monthOf(new Date("2026-04-01T00:00:00Z"))).toBe("2026-04");
  expect(dayOf(new Date("1969-12-31T12:00:00Z"))).toBe("1969-12-31");
});

test.each([
  ["2026-01-31T00:00:00Z", 1, "2026-02-28T00:00:00.000Z"],
  ["2026-01-31T00:00:00Z", 3, "2026-04-30T00:00:00.000Z"],
  ["2026-01-15T10:00:00Z", 12, "2027-01-15T10:00:00.000Z"],
])("%s plus %i months is %s", (at, months, want) => {
  expect(addMonths(new Date(at), months).toISOString()).toBe(want);
});
