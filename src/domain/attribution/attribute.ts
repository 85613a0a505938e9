import { applyModel, type ValidTouch } from "./apply-model.js";
import {
  type AttributionDecision,
  type AttributionInput,
  type AttributionModel,
  BPS_TOTAL,
  type ConsideredTouch,
  type CouponOutcome,
  type ExclusionReason,
  type PartnerCredit,
} from "./attribution.types.js";
import { describeExclusions, describeReasonCounts, formatNoun, reasonLabel } from "./describe-attribution.js";
import { type ScreenedTouch, screenTouchpoints } from "./screen-touchpoints.js";

const MODELS: readonly AttributionModel[] = ["first_click", "last_click", "linear", "position_based", "time_decay"];

/** The decision's opening words when there was no touch to weigh (read by describeOutcome, which may reword them). */
export const NO_TOUCHPOINTS_SUMMARY = "not attributed: no touchpoints";

/**
 * Decides which partner(s) get credit for one conversion, and why. Pure: "now" is input.conversionAt.
 *
 * Precedence: a lifetime binding (when the program has it on) takes 100% of the conversions that happened from
 * the binding on; otherwise a coupon takes 100% when coupons beat cookies, or when cookies beat coupons but no
 * touch is valid; otherwise the program's model runs over the valid touches. A binding or coupon whose partner is
 * not eligible does not apply, and the decision says so. Domain outcomes come back as the union; only malformed
 * input throws.
 */
export function attribute(input: AttributionInput): AttributionDecision {
  assertWellFormed(input);
  const conversion = input.conversionKind ?? "conversion";
  const screened = screenTouchpoints(input);
  const valid: ValidTouch[] = screened.filter((s) => s.valid);

  const eligible = (partnerId: string) => !input.eligiblePartnerIds || input.eligiblePartnerIds.has(partnerId);
  const bound = input.lifetimeBinding ? input.boundPartner : undefined;
  // A conversion dated before the binding (a backfill, a billing event delivered late) happened while the customer
  // was nobody's: crediting the bound partner would pay for a sale that came before that partner's first contact.
  // A bound partner no longer active earns nothing, as its clicks would not; either way the explanation says so.
  const bindingBlocked = !bound
    ? undefined
    : input.conversionAt < bound.boundAt
      ? `the ${conversion} happened before it`
      : !eligible(bound.partnerId)
        ? `partner ${bound.partnerId} has no active enrollment in the program`
        : undefined;
  const binding = bindingBlocked ? undefined : bound;
  const bindingNote =
    bound &&
    bindingBlocked &&
    `the lifetime binding to ${bound.partnerId} (since ${bound.boundAt.toISOString()}) does not apply: ${bindingBlocked}`;
  // A coupon whose partner may not earn is not applied, and never silently: it is reported with the decision.
  const idleCoupon: CouponOutcome | undefined =
    input.coupon && !eligible(input.coupon.partnerId) ? { ...input.coupon, outcome: "partner_not_active" } : undefined;
  const couponNote = idleCoupon
    ? `coupon ${idleCoupon.code} (${idleCoupon.partnerId}) not applied: partner ${idleCoupon.partnerId} has no active enrollment in the program`
    : input.unknownCouponCode !== undefined
      ? `coupon code ${input.unknownCouponCode} not applied: no enabled coupon of the program has it`
      : undefined;
  const reported = idleCoupon && { coupon: idleCoupon };

  if (binding) {
    const coupon = idleCoupon ?? (input.coupon && { ...input.coupon, outcome: "overridden_by_binding" as const });
    const considered = screened.map((s) =>
      overridden(
        s,
        "overridden_by_binding",
        `the customer is bound to ${binding.partnerId} for life`,
        input.windowDays,
        conversion,
      ),
    );
    const head = `lifetime binding: 100% to ${binding.partnerId} (customer bound since ${binding.boundAt.toISOString()})`;
    const overriddenNote =
      coupon && !idleCoupon ? `coupon ${coupon.code} (${coupon.partnerId}) overridden by the binding` : couponNote;
    return {
      attributed: true,
      model: "lifetime_binding",
      credits: [soleCredit(binding.partnerId, binding.enrollmentId)],
      considered,
      summary: joinClauses(head, overriddenNote, describeBindingOverride(considered, input.windowDays, conversion)),
      ...(coupon && { coupon }),
    };
  }

  const coupon = idleCoupon ? undefined : input.coupon;
  if (coupon && (input.couponPrecedence === "coupon_over_cookie" || valid.length === 0)) {
    const why =
      input.couponPrecedence === "coupon_over_cookie"
        ? "coupons take precedence over cookies"
        : "cookies take precedence, but no touch is valid";
    const considered = screened.map((s) =>
      s.valid
        ? overridden(
            s,
            "overridden_by_coupon",
            `coupon ${coupon.code} takes precedence over cookies`,
            input.windowDays,
            conversion,
          )
        : screenedOut(s),
    );
    return {
      attributed: true,
      model: "coupon",
      credits: [soleCredit(coupon.partnerId, coupon.enrollmentId)],
      considered,
      summary: joinClauses(
        `coupon ${coupon.code}: 100% to ${coupon.partnerId} (${why})`,
        describeExclusions(reasonsOf(considered), input.windowDays, conversion),
        bindingNote,
      ),
      coupon: { ...coupon, outcome: "applied" },
    };
  }

  if (valid.length === 0) {
    const considered = screened.map(screenedOut);
    const none = screened.length === 0;
    return {
      attributed: false,
      reason: none ? "no_touchpoints" : "all_touchpoints_excluded",
      considered,
      summary: joinClauses(
        none
          ? NO_TOUCHPOINTS_SUMMARY
          : `not attributed: all ${describeExclusions(reasonsOf(considered), input.windowDays, conversion)}`,
        couponNote,
        bindingNote,
      ),
      ...reported,
    };
  }

  const outcome = applyModel(input, valid);
  const considered = screened.map((s) => outcome.weighed.get(s.index) ?? screenedOut(s));
  // Cookies beat the coupon here. The coupon is not a touch, so rather than a synthetic ConsideredTouch it is
  // reported on the decision itself (coupon.outcome) and in the summary.
  const overriddenCoupon: CouponOutcome | undefined = coupon && { ...coupon, outcome: "overridden_by_cookie" };
  return {
    attributed: true,
    model: input.model,
    credits: outcome.credits,
    considered,
    summary: joinClauses(
      outcome.headline,
      overriddenCoupon &&
        `coupon ${overriddenCoupon.code} (${overriddenCoupon.partnerId}) ${reasonLabel("overridden_by_cookie", input.windowDays, conversion)} (cookies take precedence over coupons)`,
      couponNote,
      describeExclusions(reasonsOf(considered), input.windowDays, conversion),
      bindingNote,
    ),
    ...(overriddenCoupon && { coupon: overriddenCoupon }),
    ...reported,
  };
}

function screenedOut(s: ScreenedTouch): ConsideredTouch {
  if (s.valid) throw new Error(`touch #${s.index} is valid and must be weighed`);
  return { touch: s.touch, included: false, reason: s.reason, explanation: s.explanation };
}

/** An override wins over every touch, but a touch that was excluded anyway keeps that fact in screenedOut. */
function overridden(
  s: ScreenedTouch,
  reason: ExclusionReason,
  why: string,
  windowDays: number,
  conversion: string,
): ConsideredTouch {
  if (s.valid) return { touch: s.touch, included: false, reason, explanation: `valid, but ${why}` };
  const alsoBecause = reasonLabel(s.reason, windowDays, conversion);
  return {
    touch: s.touch,
    included: false,
    reason,
    screenedOut: s.reason,
    explanation: `${why}; it would have been excluded anyway (${alsoBecause}: ${s.explanation})`,
  };
}

function soleCredit(partnerId: string, enrollmentId: string | undefined): PartnerCredit {
  return enrollmentId === undefined
    ? { partnerId, weightBps: BPS_TOTAL }
    : { partnerId, enrollmentId, weightBps: BPS_TOTAL };
}

/** "3 touches overridden by the lifetime binding (excluded anyway: 1 other program)". */
function describeBindingOverride(considered: readonly ConsideredTouch[], windowDays: number, conversion: string) {
  if (considered.length === 0) return undefined;
  const anyway = considered.flatMap((c) => (c.screenedOut ? [c.screenedOut] : []));
  const detail = anyway.length > 0 ? ` (excluded anyway: ${describeReasonCounts(anyway, windowDays, conversion)})` : "";
  return `${formatNoun(considered.length, "touch", "touches")} overridden by the lifetime binding${detail}`;
}

const reasonsOf = (considered: readonly ConsideredTouch[]): ExclusionReason[] =>
  considered.flatMap((c) => (c.reason ? [c.reason] : []));

const joinClauses = (...clauses: (string | undefined)[]) => clauses.filter(Boolean).join("; ");

/** Callers validate program settings earlier, so a malformed input here is a programming error, not an outcome. */
function assertWellFormed(input: AttributionInput): void {
  if (!MODELS.includes(input.model)) throw new Error(`unknown attribution model ${String(input.model)}`);
  if (Number.isNaN(input.conversionAt.getTime())) throw new Error("conversionAt is not a valid date");
  if (!Number.isFinite(input.windowDays) || input.windowDays <= 0) {
    throw new Error(`windowDays must be a positive number of days, got ${input.windowDays}`);
  }
  if (
    input.model === "time_decay" &&
    (!Number.isFinite(input.timeDecayHalfLifeDays) || input.timeDecayHalfLifeDays <= 0)
  ) {
    throw new Error(`timeDecayHalfLifeDays must be a positive number of days, got ${input.timeDecayHalfLifeDays}`);
  }
  input.touchpoints.forEach((t, i) => {
    if (Number.isNaN(t.at.getTime())) throw new Error(`touchpoints[${i}].at is not a valid date`);
  });
  if (input.boundPartner && Number.isNaN(input.boundPartner.boundAt.getTime())) {
    throw new Error("boundPartner.boundAt is not a valid date");
  }
}
