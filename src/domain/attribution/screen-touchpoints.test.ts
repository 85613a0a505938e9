import { describe, expect, test } from "vitest";
import { attribute } from "./attribute.js";
import { before, input, PROGRAM, touch } from "./attribution.fixtures.js";
import { DAY_MS, type ScreeningReason } from "./attribution.types.js";
import { screenTouchpoints } from "./screen-touchpoints.js";

const reasonOf = (t: ReturnType<typeof touch>, overrides: Parameters<typeof input>[0] = {}) => {
  const [screened] = screenTouchpoints(input({ touchpoints: [t], ...overrides }));
  return screened!.valid ? "valid" : screened!.reason;
};

describe("screening touchpoints", () => {
  test.each<[string, number, number, "valid" | ScreeningReason]>([
    ["exactly at the end of a 30-day window", 30, 30 * DAY_MS, "valid"],
    ["1 ms past the end of a 30-day window", 30, 30 * DAY_MS + 1, "outside_window"],
    ["1 ms inside a 30-day window", 30, 30 * DAY_MS - 1, "valid"],
    ["exactly at the conversion time", 30, 0, "valid"],
    ["1 ms after the conversion", 30, -1, "after_conversion"],
    ["a day after the conversion", 30, -DAY_MS, "after_conversion"],
    ["exactly at the end of a half-day window", 0.5, 12 * 3_600_000, "valid"],
    ["1 ms past a half-day window", 0.5, 12 * 3_600_000 + 1, "outside_window"],
    ["exactly at the end of a 1-day window", 1, DAY_MS, "valid"],
  ])("a click %s", (_, windowDays, msBefore, want) => {
    expect(reasonOf(touch("ptn_a", 0, { at: before(msBefore) }), { windowDays })).toBe(want);
  });

  test("a touch of another program", () => {
    expect(reasonOf(touch("ptn_a", 1, { programId: "prg_other" }))).toBe("other_program");
  });

  test("partner eligibility is checked only when a set is given", () => {
    const t = touch("ptn_gone", 1);
    expect(reasonOf(t)).toBe("valid");
    expect(reasonOf(t, { eligiblePartnerIds: new Set(["ptn_a"]) })).toBe("partner_not_active");
    expect(reasonOf(t, { eligiblePartnerIds: new Set(["ptn_gone"]) })).toBe("valid");
    expect(reasonOf(t, { eligiblePartnerIds: new Set() })).toBe("partner_not_active");
  });

  test("the same click id twice: the first in input order is kept, the rest are duplicates", () => {
    const first = touch("ptn_a", 2, { clickId: "clk_same", source: "cookie" });
    const again = { ...first, source: "click_id" as const };
    const third = { ...first, source: "stored" as const };
    const other = touch("ptn_b", 1);
    const screened = screenTouchpoints(input({ touchpoints: [first, other, again, third] }));
    expect(screened.map((s) => (s.valid ? "valid" : s.reason))).toEqual(["valid", "valid", "duplicate", "duplicate"]);
    expect(screened[2]).toMatchObject({ explanation: "same click id as touch #0, which is the one counted" });
  });

  test("a foreign touch does not claim its click id", () => {
    const foreign = touch("ptn_a", 2, { clickId: "clk_shared", programId: "prg_other" });
    const ours = touch("ptn_a", 2, { clickId: "clk_shared" });
    const screened = screenTouchpoints(input({ touchpoints: [foreign, ours] }));
    expect(screened.map((s) => (s.valid ? "valid" : s.reason))).toEqual(["other_program", "valid"]);
  });

  test("the first applicable reason wins: program, duplicate, after, window, partner", () => {
    const eligiblePartnerIds = new Set(["ptn_a"]);
    expect(reasonOf(touch("ptn_x", 99, { programId: "prg_other" }), { eligiblePartnerIds })).toBe("other_program");
    expect(reasonOf(touch("ptn_x", -1), { eligiblePartnerIds })).toBe("after_conversion");
    expect(reasonOf(touch("ptn_x", 99), { eligiblePartnerIds })).toBe("outside_window");
    const kept = touch("ptn_a", 99, { clickId: "clk_d" });
    const screened = screenTouchpoints(input({ touchpoints: [kept, { ...kept }], eligiblePartnerIds }));
    expect(screened.map((s) => (s.valid ? "valid" : s.reason))).toEqual(["outside_window", "duplicate"]);
  });

  test("every excluded touch explains itself", () => {
    const touchpoints = [
      touch("ptn_a", 31),
      touch("ptn_a", -0.5),
      touch("ptn_a", 1, { programId: "prg_other" }),
      touch("ptn_b", 1),
    ];
    const decision = attribute(input({ touchpoints, eligiblePartnerIds: new Set(["ptn_a"]) }));
    expect(decision.considered.map((c) => c.explanation)).toEqual([
      "clicked 31 days before the sale; its 30-day window closed at 2026-03-09T12:00:00.000Z",
      "clicked 12 hours after the sale",
      `belongs to program prg_other, not ${PROGRAM}`,
      "partner ptn_b has no active enrollment in the program",
    ]);
    expect(decision).toMatchObject({
      attributed: false,
      reason: "all_touchpoints_excluded",
      summary:
        "not attributed: all 4 touches excluded: 1 outside the 30-day window, 1 after the sale, 1 other program, 1 partner not active",
    });
  });
});
