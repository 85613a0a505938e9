import type { Stats } from "./types.js";

/** How often live performance data (stats, recent conversions) refreshes by itself. */
export const REFRESH_MS = 10_000;

/** The periods a performance view offers, in days. */
export const RANGES = [
  { value: 7, label: "7 days" },
  { value: 30, label: "30 days" },
  { value: 90, label: "90 days" },
];

/** The viewer's IANA time zone: the chart's days are its days, as the lists' date filters are. */
export const viewerTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";

/**
 * From the viewer's midnight `days - 1` days ago to now, in the viewer's time zone: exactly `days` daily buckets,
 * today's last. (Midnights counted on the calendar: a day when the clocks change is 23 or 25 hours long.)
 */
export function daysWindow(days: number, now = new Date()) {
  const from = new Date(now);
  from.setHours(0, 0, 0, 0);
  from.setDate(from.getDate() - (days - 1));
  return { from: from.toISOString(), to: now.toISOString() };
}

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
