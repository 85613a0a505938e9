import { useQuery } from "@tanstack/react-query";
import { lazy, Suspense, useState } from "react";
import { api, queryString } from "./api.js";
import { LiveNote } from "./live-note.js";
import { daysWindow, RANGES, REFRESH_MS, revenueCurrencies, SERIES, viewerTimeZone } from "./performance-series.js";
import { PerformanceTable } from "./performance-table.js";
import { QueryError } from "./query-error.js";
import { SegmentedControl } from "./segmented-control.js";
import { Spinner } from "./spinner.js";
import { StatTiles } from "./stat-tiles.js";
import type { Stats } from "./types.js";

// recharts is the largest dependency of the app: only pages with a chart load it.
const PerformanceChart = lazy(() => import("./performance-chart.js").then((m) => ({ default: m.PerformanceChart })));

const VIEWS = [
  { value: "activity", label: "Activity" },
  { value: "revenue", label: "Revenue" },
] as const;
type View = (typeof VIEWS)[number]["value"];

interface PerformancePanelProps {
  /** "/v1/stats" (console) or "/v1/portal/stats" (portal). */
  path: string;
  params: Record<string, string | undefined>;
  /** "admin" or "portal": the cache area, so sign-out clears it. */
  area: "admin" | "portal";
  title?: string;
  currency?: string;
  /**
   * The range, when the page holds it: a "What performs" card beside the panel then counts the same days, instead
   * of a range of its own that a partner would compare with these totals.
   */
  days?: number;
  onDaysChange?: (days: number) => void;
}

/**
 * Totals and a chart over a chosen range, refreshed every 10 seconds: activity (clicks, leads and sales) or revenue
 * in one currency, the program's by default; a period with sales in several currencies offers each.
 */
export function PerformancePanel({
  path,
  params,
  area,
  title = "Performance",
  currency,
  days: heldDays,
  onDaysChange,
}: PerformancePanelProps) {
  const [ownDays, setOwnDays] = useState(30);
  const days = heldDays ?? ownDays;
  const setDays = onDaysChange ?? setOwnDays;
  const [view, setView] = useState<View>("activity");
  const [chosenCurrency, setChosenCurrency] = useState<string | null>(null);
  const stats = useQuery({
    queryKey: [area, "stats", path, params, days],
    // Days in the viewer's time zone, so that "21 Nov" here is the 21 Nov of the lists' date filters.
    queryFn: () =>
      api.get<Stats>(
        `${path}${queryString({ ...params, ...daysWindow(days), interval: "day", timeZone: viewerTimeZone() })}`,
      ),
    refetchInterval: REFRESH_MS,
    placeholderData: (previous) => previous,
  });
  const empty = stats.data && stats.data.totals.clicks + stats.data.totals.leads + stats.data.totals.sales === 0;
  const currencies = revenueCurrencies(stats.data, currency);
  const shownCurrency = chosenCurrency && currencies.includes(chosenCurrency) ? chosenCurrency : currencies[0]!;
  return (
    <section className="card performance-panel" aria-label={title}>
      <div className="performance-head">
        <div>
          <h2 className="card-title">{title}</h2>
          <LiveNote query={stats} showTime />
        </div>
        <div className="performance-controls">
          <SegmentedControl label="Chart" value={view} options={[...VIEWS]} onChange={setView} />
          <SegmentedControl label="Range" value={days} options={RANGES} onChange={setDays} />
        </div>
      </div>
      {stats.isError && !stats.data ? (
        <QueryError error={stats.error} onRetry={() => stats.refetch()} />
      ) : (
        <>
          <StatTiles totals={stats.data?.totals} currency={currency} />
          {stats.data && <PerformanceTable stats={stats.data} title={title} />}
          <div className="chart-frame">
            {view === "revenue" ? (
              <div className="chart-legend">
                {currencies.length > 1 && (
                  <SegmentedControl
                    label="Currency"
                    value={shownCurrency}
                    options={currencies.map((code) => ({ value: code, label: code }))}
                    onChange={setChosenCurrency}
                  />
                )}
                <span className="chart-legend-item" aria-hidden="true">
                  <span className="legend-line" style={{ background: SERIES.sales.color }} />
                  Revenue in {shownCurrency} <span className="muted">(credited sales, net of refunds)</span>
                </span>
              </div>
            ) : (
              <ul className="chart-legend" aria-hidden="true">
                <li>
                  <span className="legend-line" style={{ background: SERIES.clicks.color }} />
                  Clicks <span className="muted">(left axis)</span>
                </li>
                <li>
                  <span className="legend-dot" style={{ background: SERIES.leads.color }} />
                  Leads <span className="muted">(right axis)</span>
                </li>
                <li>
                  <span className="legend-dot" style={{ background: SERIES.sales.color }} />
                  Sales <span className="muted">(right axis)</span>
                </li>
              </ul>
            )}
            {stats.data ? (
              <Suspense fallback={<ChartLoading />}>
                <PerformanceChart
                  series={stats.data.series}
                  interval={stats.data.interval}
                  view={view === "activity" ? "activity" : { revenue: shownCurrency }}
                />
              </Suspense>
            ) : (
              <ChartLoading />
            )}
            {empty && (
              <p className="chart-empty">
                No clicks or conversions in the last {days} days yet. They appear here within seconds.
              </p>
            )}
          </div>
        </>
      )}
    </section>
  );
}

function ChartLoading() {
  return (
    <div className="chart-loading">
      <Spinner size={20} label="Loading chart" />
    </div>
  );
}
