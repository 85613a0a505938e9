/** Basis points in a whole: every decision's credits sum to exactly this. */
export const BPS_TOTAL = 10_000;

export const DAY_MS = 86_400_000;

export type AttributionModel = "first_click" | "last_click" | "linear" | "position_based" | "time_decay";

export interface Touchpoint {
  /** The signed click id string; opaque here, only compared for equality. */
  clickId: string;
  partnerId: string;
  enrollmentId?: string;
  linkId?: string;
  programId: string;
  /** Click time. */
  at: Date;
  /** How the touch reached us. */
  source: "cookie" | "click_id" | "stored";
}

export interface CouponBinding {
  code: string;
  partnerId: string;
  enrollmentId?: string;
}

export interface AttributionInput {
  programId: string;
  /** The conversion's event time: the engine's only notion of "now". */
  conversionAt: Date;
  /** Attribution window, counted from click time; both ends inclusive. */
  windowDays: number;
  model: AttributionModel;
  /** Only read by time_decay. */
  timeDecayHalfLifeDays: number;
  /** May include foreign-program, future, expired and duplicate touches: the engine screens them. */
  touchpoints: Touchpoint[];
  /** The coupon the conversion carried, as found in the program; its partner must be eligible for it to apply. */
  coupon?: CouponBinding;
  /** A coupon code the conversion carried that no enabled coupon of the program has: it can only be reported. */
  unknownCouponCode?: string;
  couponPrecedence: "coupon_over_cookie" | "cookie_over_coupon";
  /** Lifetime customer binding, decided earlier (by the first attributed conversion); its partner must be eligible. */
  boundPartner?: { partnerId: string; boundAt: Date; enrollmentId?: string };
  lifetimeBinding: boolean;
  /** Partners whose enrollment is active. Absent means "don't check"; touches of anyone else are excluded. */
  eligiblePartnerIds?: Set<string>;
  /** Only changes the wording of explanations ("3 days before the sale"); defaults to "conversion". */
  conversionKind?: "lead" | "sale";
}

export type ExclusionReason =
  | "other_program"
  | "outside_window"
  | "after_conversion"
  | "partner_not_active"
  | "duplicate"
  | "overridden_by_coupon"
  | "overridden_by_binding"
  | "overridden_by_cookie";

/** The reasons a touch earns on its own, before coupon or binding precedence is applied. */
export type ScreeningReason =
  | "other_program"
  | "outside_window"
  | "after_conversion"
  | "partner_not_active"
  | "duplicate";

export interface ConsideredTouch {
  touch: Touchpoint;
  /** True when the model weighed the touch; its weightBps may still be 0 (e.g. a non-first touch under first_click). */
  included: boolean;
  reason?: ExclusionReason;
  weightBps?: number;
  explanation?: string;
  /**
   * Set only when the touch was overridden (binding or coupon) but would have been excluded anyway, so that
   * reports can still tell an expired click from a valid one that lost to a binding.
   */
  screenedOut?: ScreeningReason;
}

/** weightBps over all credits of a decision sum to exactly BPS_TOTAL. */
export interface PartnerCredit {
  partnerId: string;
  enrollmentId?: string;
  weightBps: number;
}

/** What became of the conversion's coupon, when it had one. */
export interface CouponOutcome extends CouponBinding {
  /** partner_not_active: the partner holding the code has no active enrollment, so the code was not applied. */
  outcome: "applied" | "overridden_by_cookie" | "overridden_by_binding" | "partner_not_active";
}

export type AttributionDecision =
  | {
      attributed: true;
      model: AttributionModel | "coupon" | "lifetime_binding";
      /** Largest share first; ties by the partner's earliest touch. */
      credits: PartnerCredit[];
      /** One entry per input touchpoint, in input order. */
      considered: ConsideredTouch[];
      summary: string;
      coupon?: CouponOutcome;
    }
  | {
      attributed: false;
      reason: "no_touchpoints" | "all_touchpoints_excluded";
      considered: ConsideredTouch[];
      summary: string;
      /** Only partner_not_active: a coupon held by no eligible partner, reported rather than applied. */
      coupon?: CouponOutcome;
    };
