import { expect, test } from "vitest";
import { formatRelative } from "../../web/src/shared/format.js";

// Local times: days are counted on the local calendar, whatever the machine's time zone.
const local = (day: number, hour: number, minute = 0) => new Date(2026, 10, day, hour, minute).getTime();
const now = local(22, 3, 14);
const at = (day: number, hour: number, minute = 0) => new Date(local(day, hour, minute)).toISOString();

test("days are calendar days: an evening two days back is not 'yesterday'", () => {
  expect(formatRelative(at(20, 21, 38), now)).toBe("2 days ago");
  expect(formatRelative(at(20, 14, 30), now)).toBe("2 days ago");
  expect(formatRelative(at(21, 2, 0), now)).toBe("yesterday");
  expect(formatRelative(at(19, 23, 59), now)).toBe("3 days ago");
});

test("under a day it is hours and minutes; a week and more, weeks", () => {
  expect(formatRelative(at(21, 5, 0), now)).toBe("22 hours ago");
  expect(formatRelative(at(22, 3, 4), now)).toBe("10 minutes ago");
  expect(formatRelative(at(22, 3, 14), now)).toBe("just now");
  expect(formatRelative(at(24, 9, 0), now)).toBe("in 2 days");
  expect(formatRelative(at(8, 3, 14), now)).toBe("2 weeks ago");
  expect(formatRelative(null, now)).toBe("—");
});

test("24 hours back on the day clocks go back (25 hours long) is '24 hours ago', not 'today'", () => {
  const zone = process.env.TZ;
  // Node reads TZ again when it changes: New York's clocks went back at 2 am on 1 November 2026.
  process.env.TZ = "America/New_York";
  try {
    const lateThatDay = new Date(2026, 10, 1, 23, 30).getTime();
    const earlyThatDay = new Date(2026, 10, 1, 0, 30).toISOString();
    expect(lateThatDay - new Date(earlyThatDay).getTime()).toBe(24 * 3_600_000);
    expect(formatRelative(earlyThatDay, lateThatDay)).toBe("24 hours ago");
  } finally {
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
  }
});
