import type { Stats } from "./types.js";

/** How often live performance data (stats, recent conversions) refreshes by itself. */
export const REFRESH_MS = 10_000;

/** Colours and names of the performance series, shared by the chart (loaded lazily) and the stat tiles. */
export const SERIES = {
  clicks: { label: "Clicks", color: "#3451d1" },
  leads: { label: "Leads", color: "#e0a21b" },
  sales: { label: "Sales", color: "#18a06f" },
} as const;

export type SeriesKey = keyof typeof SERIES;

/**
 * The currencies the chart can show: the program's own first (when the panel is about one), then each other one a
 * day of the period has revenue in (a day's refunds may cancel out another's sales), in code order.
 */
export function revenueCurrencies(stats: Pick<Stats, "series"> | undefined, own: string | undefined): string[] {
  const seen = new Set<string>();
  for (const point of stats?.series ?? [])
    for (const [code, amount] of Object.entries(point.revenue)) if (amount !== 0) seen.add(code);
  const others = [...seen].filter((code) => code !== own).sort();
  return own ? [own, ...others] : others.length ? others : ["USD"];
}
