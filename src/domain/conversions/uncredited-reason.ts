/**
 * Why a lead or sale was credited to nobody, in the terms of what the vendor sent: the engine only knows it had
 * no touch to weigh, but a click id that failed its signature check or a coupon code no active partner holds
 * (unknown, disabled, or its partner's enrollment not active) is why.
 */
export type UncreditedReason = "no_touchpoints" | "rejected_click_id" | "unknown_coupon" | "all_touchpoints_excluded";

export function uncreditedReason(conversion: {
  /** The engine's reason. */
  reason: "no_touchpoints" | "all_touchpoints_excluded";
  /** It presented a click id that failed its signature check. */
  rejectedClickId: boolean;
  couponCode: string | null;
}): UncreditedReason {
  if (conversion.reason === "all_touchpoints_excluded") return conversion.reason;
  if (conversion.rejectedClickId) return "rejected_click_id";
  if (conversion.couponCode) return "unknown_coupon";
  return "no_touchpoints";
}

/** The explanation's sentence for the reasons the engine could not word itself. */
export function uncreditedSummary(reason: UncreditedReason, couponCode: string | null): string | undefined {
  if (reason === "rejected_click_id")
    return "Not attributed: the click id it carried failed its signature check (damaged on the way, or not one of ours)";
  if (reason === "unknown_coupon") return `Not attributed: no active partner holds the coupon code ${couponCode}`;
  return undefined;
}
