import { describe, expect, test } from "vitest";
import { enrollmentStatuses } from "../../db/schema/index.js";
import { enrollmentActions, planEnrollmentTransition } from "./enrollment-lifecycle.js";

// The whole lifecycle as a table: [from, action, to or null when refused].
const allowed: [string, string, string][] = [
  ["applied", "approve", "approved"],
  ["applied", "reject", "rejected"],
  ["approved", "activate", "active"],
  ["active", "suspend", "suspended"],
  ["suspended", "activate", "active"],
  ["applied", "terminate", "terminated"],
  ["approved", "terminate", "terminated"],
  ["rejected", "terminate", "terminated"],
  ["active", "terminate", "terminated"],
  ["suspended", "terminate", "terminated"],
];

describe("enrollment lifecycle", () => {
  const cases = enrollmentStatuses.flatMap((from) => enrollmentActions.map((action) => [from, action] as const));
  test.each(cases)("%s --%s-->", (from, action) => {
    const want = allowed.find(([f, a]) => f === from && a === action)?.[2];
    const plan = planEnrollmentTransition(from, action, "because");
    if (want) expect(plan).toEqual({ ok: true, to: want });
    else expect(plan).toEqual({ ok: false, error: "invalid_transition", from, action });
  });

  test.each(["reject", "suspend", "terminate"] as const)("%s needs a reason", (action) => {
    const from = action === "suspend" ? "active" : "applied";
    expect(planEnrollmentTransition(from, action, undefined)).toEqual({ ok: false, error: "reason_required", action });
    expect(planEnrollmentTransition(from, action, "   ")).toEqual({ ok: false, error: "reason_required", action });
  });

  test("approve and activate need no reason", () => {
    expect(planEnrollmentTransition("applied", "approve", undefined).ok).toBe(true);
    expect(planEnrollmentTransition("approved", "activate", undefined).ok).toBe(true);
  });

  test("terminated is final", () => {
    for (const action of enrollmentActions) expect(planEnrollmentTransition("terminated", action, "x").ok).toBe(false);
  });
});
