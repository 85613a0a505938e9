import type { ReactElement } from "react";
import {
  Area,
  Bar,
  CartesianGrid,
  ComposedChart,
  ResponsiveContainer,
  Tooltip,
  type TooltipContentProps,
  XAxis,
  YAxis,
} from "recharts";
import { formatNumber } from "./format.js";
import { formatMoney, revenueEntries } from "./money.js";
import { SERIES, type SeriesKey } from "./performance-series.js";
import type { StatsPoint } from "./types.js";

// Buckets start at the viewer's midnights (the stats are asked for in its time zone): dates read in its zone too.
const dayFormat = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short" });
const hourFormat = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit" });
const longDayFormat = new Intl.DateTimeFormat("en-GB", {
  weekday: "short",
  day: "numeric",
  month: "short",
  year: "numeric",
});

interface Row extends StatsPoint {
  time: number;
  revenueInCurrency: number;
}

function ChartTooltip({ active, payload, hourly }: TooltipContentProps<number, string> & { hourly: boolean }) {
  const row = payload?.[0]?.payload as Row | undefined;
  if (!active || !row) return null;
  const revenue = revenueEntries(row.revenue).filter((r) => r.amount !== 0);
  return (
    <div className="chart-tooltip">
      <div className="chart-tooltip-title">
        {hourly ? `${dayFormat.format(row.time)}, ${hourFormat.format(row.time)}` : longDayFormat.format(row.time)}
      </div>
      <dl>
        {(Object.keys(SERIES) as SeriesKey[]).map((key) => (
          <div key={key} className="chart-tooltip-row">
            <dt>
              <span className="legend-dot" style={{ background: SERIES[key].color }} aria-hidden="true" />
              {SERIES[key].label}
            </dt>
            <dd>{formatNumber(row[key])}</dd>
          </div>
        ))}
        {revenue.map((r) => (
          <div key={r.currency} className="chart-tooltip-row chart-tooltip-revenue">
            <dt>Revenue</dt>
            <dd>{formatMoney(r.amount, r.currency)}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

const axisTick = { fill: "#636b7c", fontSize: 12 };

interface ChartProps {
  series: StatsPoint[];
  interval: "day" | "hour";
  /** "activity" (clicks, leads, sales) or a currency code: that currency's revenue. */
  view: "activity" | { revenue: string };
}

/** One row per bucket, with its time as a number for the x axis and the chosen currency's revenue. */
function toRows(series: StatsPoint[], currency: string | null): Row[] {
  return series.map((point) => ({
    ...point,
    time: new Date(point.bucket).getTime(),
    revenueInCurrency: currency ? (point.revenue[currency] ?? 0) : 0,
  }));
}

export function PerformanceChart({ series, interval, view }: ChartProps) {
  const hourly = interval === "hour";
  const tick = (time: number) => (hourly ? hourFormat.format(time) : dayFormat.format(time));
  const xAxis = (
    <XAxis
      dataKey="time"
      tickFormatter={tick}
      tick={axisTick}
      tickLine={false}
      axisLine={{ stroke: "#e1e5eb" }}
      minTickGap={24}
      tickMargin={8}
    />
  );
  const tooltip = (
    <Tooltip
      cursor={{ fill: "rgb(52 81 209 / 6%)" }}
      content={(props) => <ChartTooltip {...(props as TooltipContentProps<number, string>)} hourly={hourly} />}
    />
  );
  return view === "activity" ? (
    <ActivityChart rows={toRows(series, null)} xAxis={xAxis} tooltip={tooltip} />
  ) : (
    <RevenueChart rows={toRows(series, view.revenue)} currency={view.revenue} xAxis={xAxis} tooltip={tooltip} />
  );
}

/** The fill under an area: its colour fading out towards the axis. */
const fadeDown = (id: string, color: string) => (
  <linearGradient id={id} x1="0" y1="0" x2="0" y2="1">
    <stop offset="0%" stopColor={color} stopOpacity={0.22} />
    <stop offset="100%" stopColor={color} stopOpacity={0.01} />
  </linearGradient>
);

interface ViewProps {
  rows: Row[];
  xAxis: ReactElement;
  tooltip: ReactElement;
}

/** Credited revenue net of refunds in one currency, so a day with more refunded than sold dips below zero. */
function RevenueChart({ rows, currency, xAxis, tooltip }: ViewProps & { currency: string }) {
  // Nothing sold (or all of it refunded): the axis would spread fractions of a cent over its height, each shown as
  // "$0". One tick says it.
  const flat = rows.every((row) => row.revenueInCurrency === 0);
  return (
    <ResponsiveContainer width="100%" height={300}>
      <ComposedChart data={rows} margin={{ top: 12, right: 12, bottom: 0, left: -8 }}>
        <defs>{fadeDown("revenue-fill", SERIES.sales.color)}</defs>
        <CartesianGrid vertical={false} stroke="#e9ecf1" />
        {xAxis}
        <YAxis
          tick={axisTick}
          tickLine={false}
          axisLine={false}
          width={64}
          domain={flat ? [0, 1] : undefined}
          ticks={flat ? [0] : undefined}
          tickFormatter={(v: number) => formatMoney(Math.round(v), currency, { compact: true })}
        />
        {tooltip}
        <Area
          type="monotone"
          dataKey="revenueInCurrency"
          name={`Revenue (${currency})`}
          stroke={SERIES.sales.color}
          strokeWidth={2}
          fill="url(#revenue-fill)"
          activeDot={{ r: 4, strokeWidth: 2, stroke: "#fff" }}
          isAnimationActive={false}
        />
      </ComposedChart>
    </ResponsiveContainer>
  );
}

/**
 * Clicks as an area on the left axis, leads and sales as bars on the right one: conversions are usually two
 * orders of magnitude fewer than clicks and would be flat lines on a shared axis.
 */
function ActivityChart({ rows, xAxis, tooltip }: ViewProps) {
  return (
    <ResponsiveContainer width="100%" height={300}>
      <ComposedChart data={rows} margin={{ top: 12, right: 4, bottom: 0, left: -8 }} barGap={2} barCategoryGap="28%">
        <defs>{fadeDown("clicks-fill", SERIES.clicks.color)}</defs>
        <CartesianGrid vertical={false} stroke="#e9ecf1" />
        {xAxis}
        <YAxis
          yAxisId="clicks"
          allowDecimals={false}
          tick={axisTick}
          tickLine={false}
          axisLine={false}
          width={48}
          tickFormatter={(v: number) => formatNumber(v)}
        />
        <YAxis
          yAxisId="conversions"
          orientation="right"
          allowDecimals={false}
          tick={axisTick}
          tickLine={false}
          axisLine={false}
          width={36}
        />
        {tooltip}
        <Area
          yAxisId="clicks"
          type="monotone"
          dataKey="clicks"
          name={SERIES.clicks.label}
          stroke={SERIES.clicks.color}
          strokeWidth={2}
          fill="url(#clicks-fill)"
          activeDot={{ r: 4, strokeWidth: 2, stroke: "#fff" }}
          isAnimationActive={false}
        />
        <Bar
          yAxisId="conversions"
          dataKey="leads"
          name={SERIES.leads.label}
          fill={SERIES.leads.color}
          radius={[3, 3, 0, 0]}
          maxBarSize={14}
          isAnimationActive={false}
        />
        <Bar
          yAxisId="conversions"
          dataKey="sales"
          name={SERIES.sales.label}
          fill={SERIES.sales.color}
          radius={[3, 3, 0, 0]}
          maxBarSize={14}
          isAnimationActive={false}
        />
      </ComposedChart>
    </ResponsiveContainer>
  );
}
