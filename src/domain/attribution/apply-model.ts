import { formatBps } from "../../lib/money.js";
import { apportionBps } from "./apportion-bps.js";
import {
  type AttributionInput,
  type ConsideredTouch,
  DAY_MS,
  type PartnerCredit,
  type Touchpoint,
} from "./attribution.types.js";
import { formatDays, formatNoun, formatRelative, modelLabels } from "./describe-attribution.js";
import { modelWeights } from "./model-weights.js";

export interface ValidTouch {
  touch: Touchpoint;
  index: number;
}

export interface ModelOutcome {
  credits: PartnerCredit[];
  /** Considered entries of the weighed touches, keyed by input index. */
  weighed: Map<number, ConsideredTouch>;
  /** The summary's first clause, e.g. "last click: 100% to ptn_x (click at …, 3 days before the sale)". */
  headline: string;
}

type ModelInput = Pick<AttributionInput, "model" | "conversionAt" | "timeDecayHalfLifeDays" | "conversionKind">;

/** Runs the program's model over the valid touches and aggregates per-touch basis points into partner credits. */
export function applyModel(input: ModelInput, valid: readonly ValidTouch[]): ModelOutcome {
  const conversion = input.conversionKind ?? "conversion";
  // Sorting by time with the input index as tie-break keeps equal-time touches in the order they came in.
  const sorted = [...valid].sort((a, b) => a.touch.at.getTime() - b.touch.at.getTime() || a.index - b.index);
  const weights = modelWeights(
    input.model,
    sorted.map((v) => v.touch.at),
    input.conversionAt,
    input.timeDecayHalfLifeDays,
  );
  const bps = apportionBps(weights);

  const weighed = new Map<number, ConsideredTouch>();
  sorted.forEach(({ touch, index }, position) => {
    const weightBps = bps[position]!;
    const role = describeRole(input, touch, position, sorted.length);
    const explanation = `${touch.partnerId}, clicked ${formatRelative(touch.at, input.conversionAt, conversion)}: ${role} → ${formatBps(weightBps)}`;
    weighed.set(index, { touch, included: true, weightBps, explanation });
  });

  const credits = aggregateCredits(sorted.map((v, position) => ({ touch: v.touch, weightBps: bps[position]! })));
  const zeroWeight = bps.filter((b) => b === 0).length;
  return { credits, weighed, headline: headline(input, sorted, credits, zeroWeight, conversion) };
}

/**
 * Sums per-touch basis points per partner, so the credits add up to exactly what the touches do. Partners left
 * with 0 bps are dropped; the largest share comes first, ties to the partner who touched first. A partner's
 * enrollmentId comes from their earliest touch that carries one.
 */
function aggregateCredits(weighedTouches: readonly { touch: Touchpoint; weightBps: number }[]): PartnerCredit[] {
  const byPartner = new Map<string, PartnerCredit & { firstSeen: number }>();
  weighedTouches.forEach(({ touch, weightBps }, firstSeen) => {
    const credit = byPartner.get(touch.partnerId);
    if (!credit) {
      byPartner.set(touch.partnerId, {
        partnerId: touch.partnerId,
        enrollmentId: touch.enrollmentId,
        weightBps,
        firstSeen,
      });
      return;
    }
    credit.weightBps += weightBps;
    credit.enrollmentId ??= touch.enrollmentId;
  });
  return [...byPartner.values()]
    .filter((c) => c.weightBps > 0)
    .sort((a, b) => b.weightBps - a.weightBps || a.firstSeen - b.firstSeen)
    .map(({ partnerId, enrollmentId, weightBps }) =>
      enrollmentId === undefined ? { partnerId, weightBps } : { partnerId, enrollmentId, weightBps },
    );
}

function describeRole(input: ModelInput, touch: Touchpoint, position: number, n: number): string {
  const first = position === 0;
  const last = position === n - 1;
  switch (input.model) {
    case "first_click":
      return first ? "first click takes all the credit" : "not the first click";
    case "last_click":
      return last ? "last click takes all the credit" : "not the last click";
    case "linear":
      return `linear, an equal share of ${formatNoun(n, "touch", "touches")}`;
    case "position_based":
      if (n === 1) return "position-based, the only touch";
      if (n === 2) return `position-based, ${first ? "first" : "last"} of 2 touches`;
      if (first || last) return `position-based, ${first ? "first" : "last"} touch`;
      return `position-based, one of ${n - 2} middle touches sharing 20%`;
    case "time_decay": {
      const halfLives = (input.conversionAt.getTime() - touch.at.getTime()) / (input.timeDecayHalfLifeDays * DAY_MS);
      return `time decay, ${Number(halfLives.toFixed(2))} half-lives old`;
    }
  }
}

function headline(
  input: ModelInput,
  sorted: readonly ValidTouch[],
  credits: readonly PartnerCredit[],
  zeroWeight: number,
  conversion: string,
): string {
  const label =
    input.model === "time_decay"
      ? `${modelLabels.time_decay} (half-life ${formatDays(input.timeDecayHalfLifeDays)} days)`
      : modelLabels[input.model];
  const noCredit =
    zeroWeight > 0 ? `; ${formatNoun(zeroWeight, "other valid touch", "other valid touches")} got no credit` : "";

  const winner = credits.length === 1 ? decisiveTouch(input, sorted) : undefined;
  if (winner) {
    const when = `click at ${winner.at.toISOString()}, ${formatRelative(winner.at, input.conversionAt, conversion)}`;
    return `${label}: 100% to ${winner.partnerId} (${when}${noCredit})`;
  }
  const touchesOf = (partnerId: string) => sorted.filter((v) => v.touch.partnerId === partnerId).length;
  const shares = credits
    .map(
      (c) => `${formatBps(c.weightBps)} to ${c.partnerId} (${formatNoun(touchesOf(c.partnerId), "touch", "touches")})`,
    )
    .join(", ");
  return `${label} over ${formatNoun(sorted.length, "touch", "touches")}: ${shares}${noCredit}`;
}

/** The one touch worth naming in the summary, when a single touch decided everything. */
function decisiveTouch(input: ModelInput, sorted: readonly ValidTouch[]): Touchpoint | undefined {
  if (sorted.length === 1) return sorted[0]!.touch;
  if (input.model === "first_click") return sorted[0]!.touch;
  if (input.model === "last_click") return sorted[sorted.length - 1]!.touch;
  return undefined;
}
