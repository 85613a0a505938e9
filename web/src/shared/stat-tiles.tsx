import type { ReactNode } from "react";
import { formatNumber, formatPercent } from "./format.js";
import { formatMoney, revenueEntries } from "./money.js";
import { SERIES } from "./performance-series.js";
import type { Stats } from "./types.js";

/** One figure of a `.stat-tiles` grid: a label, the value and a line under it. */
export function StatTile({
  label,
  value,
  sub,
  color,
}: {
  label: string;
  value: ReactNode;
  sub?: ReactNode;
  color?: string;
}) {
  return (
    <div className="stat-tile">
      <dt className="stat-label">
        {color && <span className="legend-dot" style={{ background: color }} aria-hidden="true" />}
        {label}
      </dt>
      <dd className="stat-value">{value}</dd>
      {sub && <dd className="stat-sub">{sub}</dd>}
    </div>
  );
}

/** The totals of a period: clicks, leads, sales (with conversion rates) and revenue per currency. */
export function StatTiles({ totals, currency }: { totals: Stats["totals"] | undefined; currency?: string }) {
  const t = totals ?? { clicks: 0, leads: 0, sales: 0, revenue: {} };
  const revenue = revenueEntries(t.revenue, currency);
  const rate = (n: number) => (t.clicks ? `${formatPercent(n / t.clicks)} of clicks` : "—");
  return (
    <dl className="stat-tiles" aria-busy={totals ? undefined : true}>
      <StatTile label="Clicks" value={formatNumber(t.clicks)} color={SERIES.clicks.color} sub="Link visits" />
      <StatTile label="Leads" value={formatNumber(t.leads)} color={SERIES.leads.color} sub={rate(t.leads)} />
      <StatTile label="Sales" value={formatNumber(t.sales)} color={SERIES.sales.color} sub={rate(t.sales)} />
      <StatTile
        label="Revenue"
        value={
          revenue.length === 1 ? (
            formatMoney(revenue[0]!.amount, revenue[0]!.currency)
          ) : (
            <span className="stat-value-lines">
              {revenue.map((r) => (
                <span key={r.currency} className="stat-value-line">
                  {formatMoney(r.amount, r.currency)}
                </span>
              ))}
            </span>
          )
        }
        sub={
          revenue.length > 1
            ? "Credited sales, net of refunds, per currency"
            : t.sales
              ? // Revenue is net of refunds and sales count every sale, refunded or not: an average per sale, not an
                // order's average value (two sales refunded in full make $0.00 per sale).
                `${formatMoney(Math.round((revenue[0]?.amount ?? 0) / t.sales), revenue[0]?.currency ?? "USD")} per sale, net of refunds`
              : "Credited sales, net of refunds"
        }
      />
    </dl>
  );
}
