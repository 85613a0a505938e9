import { expect, test } from "vitest";
import { attribute } from "./attribute.js";
import { input, PROGRAM, seededRandom, touch } from "./attribution.fixtures.js";
import type { AttributionInput, AttributionModel, Touchpoint } from "./attribution.types.js";

const MODELS: AttributionModel[] = ["first_click", "last_click", "linear", "position_based", "time_decay"];
const PARTNERS = ["ptn_a", "ptn_b", "ptn_c", "ptn_d"];

function randomInput(random: () => number): AttributionInput {
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const touchpoints: Touchpoint[] = [];
  const count = Math.floor(random() * 9);
  for (let i = 0; i < count; i++) {
    const previous = touchpoints[Math.floor(random() * touchpoints.length)];
    if (previous && random() < 0.1) touchpoints.push({ ...previous, source: "click_id" });
    else
      touchpoints.push(touch(pick(PARTNERS), random() * 50 - 5, { programId: random() < 0.1 ? "prg_other" : PROGRAM }));
  }
  return input({
    model: pick(MODELS),
    windowDays: pick([1, 7, 30, 45.5]),
    timeDecayHalfLifeDays: pick([0.5, 7, 30]),
    touchpoints,
    coupon: random() < 0.3 ? { code: "C", partnerId: pick(PARTNERS) } : undefined,
    couponPrecedence: random() < 0.5 ? "coupon_over_cookie" : "cookie_over_coupon",
    lifetimeBinding: random() < 0.2,
    boundPartner: random() < 0.5 ? { partnerId: pick(PARTNERS), boundAt: new Date(0) } : undefined,
    eligiblePartnerIds: random() < 0.3 ? new Set(PARTNERS.slice(1)) : undefined,
  });
}

test("property: any input gives a decision whose credits sum to 10,000 and match the per-touch weights", () => {
  const random = seededRandom(42);
  for (let run = 0; run < 3_000; run++) {
    const given = randomInput(random);
    const decision = attribute(given);

    expect(decision.considered.map((c) => c.touch)).toEqual(given.touchpoints);
    expect(decision.summary).not.toBe("");
    for (const c of decision.considered) {
      expect(c.explanation).toBeTruthy();
      expect(c.included).toBe(c.reason === undefined);
      expect(c.included).toBe(c.weightBps !== undefined);
    }
    if (!decision.attributed) {
      expect(decision.considered.every((c) => !c.included)).toBe(true);
      continue;
    }
    expect(decision.credits.reduce((sum, c) => sum + c.weightBps, 0)).toBe(10_000);
    expect(decision.credits.every((c) => Number.isInteger(c.weightBps) && c.weightBps > 0)).toBe(true);
    if (decision.model === "coupon" || decision.model === "lifetime_binding") continue;

    const perPartner = new Map<string, number>();
    for (const c of decision.considered) {
      if (c.included) perPartner.set(c.touch.partnerId, (perPartner.get(c.touch.partnerId) ?? 0) + c.weightBps!);
    }
    for (const credit of decision.credits) expect(perPartner.get(credit.partnerId)).toBe(credit.weightBps);
  }
});
