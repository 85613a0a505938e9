import { describe, expect, test } from "vitest";
import { attribute } from "./attribute.js";
import { daysBefore, input, touch } from "./attribution.fixtures.js";

const coupon = { code: "SPRING10", partnerId: "ptn_coupon", enrollmentId: "enr_coupon" };
const boundPartner = { partnerId: "ptn_bound", boundAt: daysBefore(200), enrollmentId: "enr_bound" };

describe("precedence: binding > coupon > cookie", () => {
  test("a lifetime binding takes 100% over a coupon and valid touches", () => {
    const touchpoints = [touch("ptn_a", 2), touch("ptn_b", 40), touch("ptn_c", 1, { programId: "prg_other" })];
    const decision = attribute(input({ touchpoints, coupon, lifetimeBinding: true, boundPartner }));

    expect(decision).toMatchObject({
      attributed: true,
      model: "lifetime_binding",
      credits: [{ partnerId: "ptn_bound", enrollmentId: "enr_bound", weightBps: 10_000 }],
      coupon: { ...coupon, outcome: "overridden_by_binding" },
    });
    expect(decision.considered.map((c) => [c.included, c.reason, c.screenedOut])).toEqual([
      [false, "overridden_by_binding", undefined],
      [false, "overridden_by_binding", "outside_window"],
      [false, "overridden_by_binding", "other_program"],
    ]);
    expect(decision.considered[0]!.explanation).toBe("valid, but the customer is bound to ptn_bound for life");
    expect(decision.summary).toBe(
      `lifetime binding: 100% to ptn_bound (customer bound since ${daysBefore(200).toISOString()}); coupon SPRING10 (ptn_coupon) overridden by the binding; 3 touches overridden by the lifetime binding (excluded anyway: 1 outside the 30-day window, 1 other program)`,
    );
  });

  test("a lifetime binding attributes even without touches", () => {
    const decision = attribute(
      input({ lifetimeBinding: true, boundPartner: { partnerId: "ptn_bound", boundAt: daysBefore(1) } }),
    );
    expect(decision).toEqual({
      attributed: true,
      model: "lifetime_binding",
      credits: [{ partnerId: "ptn_bound", weightBps: 10_000 }],
      considered: [],
      summary: `lifetime binding: 100% to ptn_bound (customer bound since ${daysBefore(1).toISOString()})`,
    });
  });

  test("a conversion dated before the binding is not the bound partner's: the next rules decide, and say why", () => {
    const later = { partnerId: "ptn_bound", boundAt: daysBefore(-3), enrollmentId: "enr_bound" };
    const note = `the lifetime binding to ptn_bound (since ${daysBefore(-3).toISOString()}) does not apply: the sale happened before it`;

    const byClick = attribute(input({ touchpoints: [touch("ptn_a", 5)], lifetimeBinding: true, boundPartner: later }));
    expect(byClick).toMatchObject({ model: "last_click", credits: [{ partnerId: "ptn_a", weightBps: 10_000 }] });
    expect(byClick.summary).toContain(`; ${note}`);

    const byCoupon = attribute(input({ coupon, lifetimeBinding: true, boundPartner: later }));
    expect(byCoupon).toMatchObject({ model: "coupon", credits: [{ partnerId: "ptn_coupon" }] });
    expect(byCoupon.summary).toContain(note);

    const byNothing = attribute(input({ lifetimeBinding: true, boundPartner: later }));
    expect(byNothing).toMatchObject({ attributed: false, reason: "no_touchpoints" });
    expect(byNothing.summary).toBe(`not attributed: no touchpoints; ${note}`);
  });

  test("a conversion at the very moment of the binding is the bound partner's", () => {
    const decision = attribute(
      input({ lifetimeBinding: true, boundPartner: { partnerId: "ptn_bound", boundAt: daysBefore(0) } }),
    );
    expect(decision).toMatchObject({ model: "lifetime_binding", credits: [{ partnerId: "ptn_bound" }] });
  });

  test("a bound partner is ignored when the program has lifetime binding off", () => {
    const decision = attribute(input({ touchpoints: [touch("ptn_a", 2)], lifetimeBinding: false, boundPartner }));
    expect(decision).toMatchObject({ model: "last_click", credits: [{ partnerId: "ptn_a", weightBps: 10_000 }] });
  });

  test("lifetime binding on but no bound partner yet: the next rules apply", () => {
    const decision = attribute(input({ touchpoints: [touch("ptn_a", 2)], lifetimeBinding: true }));
    expect(decision).toMatchObject({ model: "last_click", credits: [{ partnerId: "ptn_a", weightBps: 10_000 }] });
  });

  test("coupon over cookie: the coupon takes 100%, valid touches are overridden, invalid ones keep their reason", () => {
    const touchpoints = [touch("ptn_a", 2), touch("ptn_b", 1, { programId: "prg_other" }), touch("ptn_a", 5)];
    const decision = attribute(input({ model: "linear", touchpoints, coupon }));

    expect(decision).toMatchObject({
      attributed: true,
      model: "coupon",
      credits: [{ partnerId: "ptn_coupon", enrollmentId: "enr_coupon", weightBps: 10_000 }],
      coupon: { ...coupon, outcome: "applied" },
    });
    expect(decision.considered.map((c) => [c.included, c.reason, c.weightBps])).toEqual([
      [false, "overridden_by_coupon", undefined],
      [false, "other_program", undefined],
      [false, "overridden_by_coupon", undefined],
    ]);
    expect(decision.considered[0]!.explanation).toBe("valid, but coupon SPRING10 takes precedence over cookies");
    expect(decision.summary).toBe(
      "coupon SPRING10: 100% to ptn_coupon (coupons take precedence over cookies); 3 touches excluded: 2 overridden by the coupon, 1 other program",
    );
  });

  test("coupon over cookie without any touch", () => {
    const decision = attribute(input({ coupon }));
    expect(decision).toMatchObject({ attributed: true, model: "coupon", considered: [] });
    expect(decision.summary).toBe("coupon SPRING10: 100% to ptn_coupon (coupons take precedence over cookies)");
  });

  test("cookie over coupon with a valid touch: the model applies and the coupon is reported as overridden", () => {
    const touchpoints = [touch("ptn_a", 2, { enrollmentId: "enr_a" })];
    const decision = attribute(input({ touchpoints, coupon, couponPrecedence: "cookie_over_coupon" }));

    expect(decision).toMatchObject({
      attributed: true,
      model: "last_click",
      credits: [{ partnerId: "ptn_a", enrollmentId: "enr_a", weightBps: 10_000 }],
      coupon: { ...coupon, outcome: "overridden_by_cookie" },
    });
    expect(decision.considered).toHaveLength(1);
    expect(decision.considered[0]).toMatchObject({ included: true, weightBps: 10_000 });
    expect(decision.summary).toBe(
      `last click: 100% to ptn_a (click at ${daysBefore(2).toISOString()}, 2 days before the sale); coupon SPRING10 (ptn_coupon) overridden by cookie attribution (cookies take precedence over coupons)`,
    );
  });

  test("cookie over coupon with only invalid touches: the coupon wins and the touches keep their reasons", () => {
    const touchpoints = [touch("ptn_a", 31), touch("ptn_b", -1)];
    const decision = attribute(input({ touchpoints, coupon, couponPrecedence: "cookie_over_coupon" }));

    expect(decision).toMatchObject({
      attributed: true,
      model: "coupon",
      credits: [{ partnerId: "ptn_coupon", weightBps: 10_000 }],
      coupon: { outcome: "applied" },
    });
    expect(decision.considered.map((c) => c.reason)).toEqual(["outside_window", "after_conversion"]);
    expect(decision.summary).toBe(
      "coupon SPRING10: 100% to ptn_coupon (cookies take precedence, but no touch is valid); 2 touches excluded: 1 outside the 30-day window, 1 after the sale",
    );
  });

  test("an inactive partner's touch does not beat a coupon under cookie over coupon", () => {
    const touchpoints = [touch("ptn_gone", 1)];
    const decision = attribute(
      input({
        touchpoints,
        coupon,
        couponPrecedence: "cookie_over_coupon",
        eligiblePartnerIds: new Set(["ptn_a", "ptn_coupon"]),
      }),
    );
    expect(decision).toMatchObject({ model: "coupon", considered: [{ reason: "partner_not_active" }] });
  });

  test("a coupon whose partner is not active is reported, not applied: the touches decide", () => {
    const note = "coupon SPRING10 (ptn_coupon) not applied: partner ptn_coupon has no active enrollment in the program";
    const eligiblePartnerIds = new Set(["ptn_a"]);
    const byClick = attribute(input({ touchpoints: [touch("ptn_a", 2)], coupon, eligiblePartnerIds }));
    expect(byClick).toMatchObject({
      model: "last_click",
      credits: [{ partnerId: "ptn_a", weightBps: 10_000 }],
      coupon: { ...coupon, outcome: "partner_not_active" },
    });
    expect(byClick.summary).toContain(`; ${note}`);

    const byNothing = attribute(input({ coupon, eligiblePartnerIds }));
    expect(byNothing).toMatchObject({
      attributed: false,
      reason: "no_touchpoints",
      coupon: { ...coupon, outcome: "partner_not_active" },
    });
    expect(byNothing.summary).toBe(`not attributed: no touchpoints; ${note}`);

    const bound = { partnerId: "ptn_a", boundAt: daysBefore(10) };
    const byBinding = attribute(input({ coupon, eligiblePartnerIds, lifetimeBinding: true, boundPartner: bound }));
    expect(byBinding).toMatchObject({ model: "lifetime_binding", coupon: { outcome: "partner_not_active" } });
    expect(byBinding.summary).toContain(note);
  });

  test("a code no enabled coupon has is named in the summary of whatever decided", () => {
    const decision = attribute(input({ touchpoints: [touch("ptn_a", 2)], unknownCouponCode: "NOPE" }));
    expect(decision).toMatchObject({ model: "last_click", credits: [{ partnerId: "ptn_a" }] });
    expect(decision).not.toHaveProperty("coupon");
    expect(decision.summary).toContain("; coupon code NOPE not applied: no enabled coupon of the program has it");
  });

  test("a binding to a partner no longer active does not apply, and says so; the next rules decide", () => {
    const note = `the lifetime binding to ptn_bound (since ${daysBefore(200).toISOString()}) does not apply: partner ptn_bound has no active enrollment in the program`;
    const eligiblePartnerIds = new Set(["ptn_a", "ptn_coupon"]);
    const byClick = attribute(
      input({ touchpoints: [touch("ptn_a", 2)], lifetimeBinding: true, boundPartner, eligiblePartnerIds }),
    );
    expect(byClick).toMatchObject({ model: "last_click", credits: [{ partnerId: "ptn_a", weightBps: 10_000 }] });
    expect(byClick.summary).toContain(`; ${note}`);

    const byCoupon = attribute(input({ coupon, lifetimeBinding: true, boundPartner, eligiblePartnerIds }));
    expect(byCoupon).toMatchObject({ model: "coupon", coupon: { outcome: "applied" } });
    expect(byCoupon.summary).toContain(note);

    const byNothing = attribute(input({ lifetimeBinding: true, boundPartner, eligiblePartnerIds }));
    expect(byNothing).toMatchObject({ attributed: false, reason: "no_touchpoints" });
    expect(byNothing.summary).toBe(`not attributed: no touchpoints; ${note}`);
  });
});

describe("nothing to attribute", () => {
  test("no touchpoints at all", () => {
    expect(attribute(input())).toEqual({
      attributed: false,
      reason: "no_touchpoints",
      considered: [],
      summary: "not attributed: no touchpoints",
    });
  });

  test("every touch excluded", () => {
    const duplicate = touch("ptn_a", 50, { clickId: "clk_twice" });
    const touchpoints = [duplicate, { ...duplicate }, touch("ptn_b", 1, { programId: "prg_other" })];
    const decision = attribute(input({ touchpoints }));
    expect(decision).toMatchObject({
      attributed: false,
      reason: "all_touchpoints_excluded",
      summary: "not attributed: all 3 touches excluded: 1 outside the 30-day window, 1 other program, 1 duplicate",
    });
    expect(decision.considered.map((c) => [c.included, c.reason])).toEqual([
      [false, "outside_window"],
      [false, "duplicate"],
      [false, "other_program"],
    ]);
  });
});
