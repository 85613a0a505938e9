import { formatNumber } from "./format.js";
import { formatMoney, revenueEntries } from "./money.js";
import type { Stats } from "./types.js";

// The viewer's days: the stats are asked for in its time zone.
const dayFormat = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  year: "numeric",
});
const hourFormat = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  hour: "2-digit",
  minute: "2-digit",
});

/**
 * The chart's figures as a table for screen readers (the chart itself is a picture to them): one row per day or
 * hour that had any activity, newest first.
 */
export function PerformanceTable({ stats, title }: { stats: Stats; title: string }) {
  const format = stats.interval === "hour" ? hourFormat : dayFormat;
  const active = stats.series.filter(
    (p) => p.clicks + p.leads + p.sales > 0 || Object.values(p.revenue).some((amount) => amount !== 0),
  );
  return (
    <table className="visually-hidden">
      <caption>{`${title}: figures per ${stats.interval}`}</caption>
      <thead>
        <tr>
          <th scope="col">{stats.interval === "hour" ? "Hour" : "Day"}</th>
          <th scope="col">Clicks</th>
          <th scope="col">Leads</th>
          <th scope="col">Sales</th>
          <th scope="col">Revenue</th>
        </tr>
      </thead>
      <tbody>
        {active.length === 0 ? (
          <tr>
            <td colSpan={5}>No activity in this period</td>
          </tr>
        ) : (
          [...active].reverse().map((p) => (
            <tr key={p.bucket}>
              <th scope="row">{format.format(new Date(p.bucket))}</th>
              <td>{formatNumber(p.clicks)}</td>
              <td>{formatNumber(p.leads)}</td>
              <td>{formatNumber(p.sales)}</td>
              <td>
                {revenueEntries(p.revenue)
                  .filter((r) => r.amount !== 0)
                  .map((r) => formatMoney(r.amount, r.currency))
                  .join(" + ") || "—"}
              </td>
            </tr>
          ))
        )}
      </tbody>
    </table>
  );
}
