import { NO_TOUCHPOINTS_SUMMARY } from "../attribution/attribute.js";
import type { StoredDecision } from "./record-conversion.js";

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

/**
 * The explanation's sentence for the reasons the engine could not word itself. A rejected click id replaces only the
 * engine's opening words: what it said next (a coupon code nobody holds, a binding that did not apply) still holds.
 */
function uncreditedSummary(
  reason: UncreditedReason,
  couponCode: string | null,
  engineSummary = "",
): string | undefined {
  if (reason === "rejected_click_id") {
    const sentence =
      "Not attributed: the click id it carried failed its signature check (damaged on the way, or not one of ours)";
    // The engine had no touch to weigh (a rejected click id never became one): its opening words are replaced.
    return engineSummary.startsWith(NO_TOUCHPOINTS_SUMMARY)
      ? `${sentence}${engineSummary.slice(NO_TOUCHPOINTS_SUMMARY.length)}`
      : sentence;
  }
  if (reason === "unknown_coupon") return `Not attributed: no active partner holds the coupon code ${couponCode}`;
  return undefined;
}

/**
 * A stored conversion's reason for crediting nobody (null when credited, and for a refund, which is never "not
 * credited") and its summary: the same words in the tracking API's answer, in lists and in the explanation, so a
 * vendor testing an install is not told "no touchpoints" for a click id that was sent but refused.
 */
export function describeOutcome(row: { kind: string; couponCode: string | null; decision: unknown }): {
  reason: UncreditedReason | null;
  summary: string;
} {
  const decision = row.decision as StoredDecision;
  const reason =
    row.kind === "refund" || decision.attributed
      ? null
      : uncreditedReason({
          reason: decision.reason,
          rejectedClickId: (decision.rejectedClickIds?.length ?? 0) > 0,
          couponCode: row.couponCode,
        });
  const engineSummary = decision.summary ?? "";
  const summary = (reason && uncreditedSummary(reason, row.couponCode, engineSummary)) ?? engineSummary;
  // The engine writes clauses ("last click: …", "not attributed: …"), stored with each decision as they were; the API
  // gives them as the sentence they open, as its other reasons are written ("Not attributed: the click id…").
  return { reason, summary: summary.charAt(0).toUpperCase() + summary.slice(1) };
}
