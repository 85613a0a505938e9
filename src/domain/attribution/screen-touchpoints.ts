import { type AttributionInput, DAY_MS, type ScreeningReason, type Touchpoint } from "./attribution.types.js";
import { formatDays, formatRelative } from "./describe-attribution.js";

export type ScreenedTouch =
  | { touch: Touchpoint; index: number; valid: true }
  | { touch: Touchpoint; index: number; valid: false; reason: ScreeningReason; explanation: string };

type ScreeningInput = Pick<
  AttributionInput,
  "programId" | "conversionAt" | "windowDays" | "touchpoints" | "eligiblePartnerIds" | "conversionKind"
>;

/**
 * Decides, touch by touch and in input order, whether a touch may take part at all. A touch gets the first
 * reason that applies, in this order: other_program, duplicate, after_conversion, outside_window,
 * partner_not_active. Program comes first so a foreign touch never claims a click id; among the rest the
 * first occurrence of a click id (in input order) is kept, so a click seen both as a cookie and as a
 * click_id parameter counts once.
 */
export function screenTouchpoints(input: ScreeningInput): ScreenedTouch[] {
  const conversion = input.conversionKind ?? "conversion";
  const windowMs = input.windowDays * DAY_MS;
  const conversionMs = input.conversionAt.getTime();
  const firstIndexOfClick = new Map<string, number>();

  return input.touchpoints.map((touch, index): ScreenedTouch => {
    const excluded = (reason: ScreeningReason, explanation: string): ScreenedTouch => ({
      touch,
      index,
      valid: false,
      reason,
      explanation,
    });

    if (touch.programId !== input.programId) {
      return excluded("other_program", `belongs to program ${touch.programId}, not ${input.programId}`);
    }
    const kept = firstIndexOfClick.get(touch.clickId);
    if (kept !== undefined) {
      return excluded("duplicate", `same click id as touch #${kept}, which is the one counted`);
    }
    firstIndexOfClick.set(touch.clickId, index);

    const ageMs = conversionMs - touch.at.getTime();
    if (ageMs < 0) {
      return excluded("after_conversion", `clicked ${formatRelative(touch.at, input.conversionAt, conversion)}`);
    }
    if (ageMs > windowMs) {
      const closedAt = new Date(touch.at.getTime() + windowMs).toISOString();
      return excluded(
        "outside_window",
        `clicked ${formatRelative(touch.at, input.conversionAt, conversion)}; its ${formatDays(input.windowDays)}-day window closed at ${closedAt}`,
      );
    }
    if (input.eligiblePartnerIds && !input.eligiblePartnerIds.has(touch.partnerId)) {
      return excluded("partner_not_active", `partner ${touch.partnerId} has no active enrollment in the program`);
    }
    return { touch, index, valid: true };
  });
}
