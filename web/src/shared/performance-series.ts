/** How often live performance data (stats, recent conversions) refreshes by itself. */
export const REFRESH_MS = 10_000;

/** Colours and names of the performance series, shared by the chart (loaded lazily) and the stat tiles. */
export const SERIES = {
  clicks: { label: "Clicks", color: "#3451d1" },
  leads: { label: "Leads", color: "#e0a21b" },
  sales: { label: "Sales", color: "#18a06f" },
} as const;

export type SeriesKey = keyof typeof SERIES;
