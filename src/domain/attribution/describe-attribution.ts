import type { AttributionModel, ExclusionReason } from "./attribution.types.js";

// Wording shared by per-touch explanations and one-line summaries, kept apart so the engine reads as rules.

const UNITS: [string, number][] = [
  ["day", 86_400_000],
  ["hour", 3_600_000],
  ["minute", 60_000],
  ["second", 1_000],
  ["ms", 1],
];

const plural = (n: number, unit: string) => (unit === "ms" || n === 1 ? `${n} ${unit}` : `${n} ${unit}s`);

/** The two largest non-zero units ("3 days 5 hours", "30 days 1 ms"): enough to see which side of a window edge a click fell. */
export function formatDuration(ms: number): string {
  const parts: string[] = [];
  let rest = Math.abs(ms);
  for (const [unit, size] of UNITS) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0) parts.push(plural(n, unit));
    if (parts.length === 2) break;
  }
  return parts.length > 0 ? parts.join(" ") : "0 ms";
}

/** "30", "0.5": window and half-life lengths as a reader would type them. */
export const formatDays = (days: number): string => String(Number(days.toFixed(3)));

export const formatNoun = (n: number, singular: string, pluralForm = `${singular}s`) =>
  `${n} ${n === 1 ? singular : pluralForm}`;

/** "3 days before the sale", "at the moment of the sale", "2 hours after the sale". */
export function formatRelative(clickAt: Date, conversionAt: Date, conversion: string): string {
  const diff = conversionAt.getTime() - clickAt.getTime();
  if (diff === 0) return `at the moment of the ${conversion}`;
  return `${formatDuration(diff)} ${diff > 0 ? "before" : "after"} the ${conversion}`;
}

export const modelLabels: Record<AttributionModel, string> = {
  first_click: "first click",
  last_click: "last click",
  linear: "linear",
  position_based: "position-based 40/20/40",
  time_decay: "time decay",
};

/** Short labels for a summary's tail ("2 touches excluded: 1 outside the 30-day window, 1 other program"). */
export function reasonLabel(reason: ExclusionReason, windowDays: number, conversion: string): string {
  switch (reason) {
    case "other_program":
      return "other program";
    case "outside_window":
      return `outside the ${formatDays(windowDays)}-day window`;
    case "after_conversion":
      return `after the ${conversion}`;
    case "partner_not_active":
      return "partner not active";
    case "duplicate":
      return "duplicate";
    case "overridden_by_coupon":
      return "overridden by the coupon";
    case "overridden_by_binding":
      return "overridden by the lifetime binding";
    case "overridden_by_cookie":
      return "overridden by cookie attribution";
  }
}

const REASON_ORDER: ExclusionReason[] = [
  "overridden_by_binding",
  "overridden_by_coupon",
  "overridden_by_cookie",
  "outside_window",
  "after_conversion",
  "other_program",
  "partner_not_active",
  "duplicate",
];

/** "1 outside the 30-day window, 1 other program": counts per reason, in a fixed order. */
export function describeReasonCounts(
  reasons: readonly ExclusionReason[],
  windowDays: number,
  conversion: string,
): string {
  return REASON_ORDER.map((r) => [r, reasons.filter((x) => x === r).length] as const)
    .filter(([, n]) => n > 0)
    .map(([r, n]) => `${n} ${reasonLabel(r, windowDays, conversion)}`)
    .join(", ");
}

/** "2 touches excluded: 1 outside the 30-day window, 1 other program", or "" when nothing was excluded. */
export function describeExclusions(
  reasons: readonly ExclusionReason[],
  windowDays: number,
  conversion: string,
): string {
  if (reasons.length === 0) return "";
  return `${formatNoun(reasons.length, "touch", "touches")} excluded: ${describeReasonCounts(reasons, windowDays, conversion)}`;
}
