import { describe, expect, test } from "vitest";
import { formatBps } from "../../lib/money.js";
import { describeExclusions, formatDays, formatDuration } from "./describe-attribution.js";

describe("wording", () => {
  test.each([
    [10_000, "100%"],
    [5_000, "50%"],
    [3_334, "33.34%"],
    [6_670, "66.7%"],
    [7, "0.07%"],
    [0, "0%"],
  ])("formatBps(%s) = %s", (bps, want) => expect(formatBps(bps)).toBe(want));

  test.each([
    [0, "0 ms"],
    [1, "1 ms"],
    [90_000, "1 minute 30 seconds"],
    [3 * 86_400_000, "3 days"],
    [3 * 86_400_000 + 5 * 3_600_000 + 59_000, "3 days 5 hours"],
    [30 * 86_400_000 + 1, "30 days 1 ms"],
    [-86_400_000, "1 day"],
  ])("formatDuration(%s) = %s", (ms, want) => expect(formatDuration(ms)).toBe(want));

  test.each([
    [30, "30"],
    [0.5, "0.5"],
    [1 / 3, "0.333"],
  ])("formatDays(%s) = %s", (days, want) => expect(formatDays(days)).toBe(want));

  test("exclusions are counted per reason in a fixed order", () => {
    expect(describeExclusions([], 30, "sale")).toBe("");
    expect(describeExclusions(["other_program", "outside_window", "outside_window"], 30, "sale")).toBe(
      "3 touches excluded: 2 outside the 30-day window, 1 other program",
    );
    expect(describeExclusions(["after_conversion"], 7, "lead")).toBe("1 touch excluded: 1 after the lead");
  });
});
