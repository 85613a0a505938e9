import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { api, queryString } from "../shared/api.js";
import { EmptyState } from "../shared/empty-state.js";
import { formatNumber, formatPercent } from "../shared/format.js";
import { PartnersIcon } from "../shared/icons.js";
import { revenueText } from "../shared/link-figures.js";
import { SkeletonRows } from "../shared/loading.js";
import { daysWindow } from "../shared/performance-series.js";
import { QueryError } from "../shared/query-error.js";

interface RankedPartner {
  partnerId: string;
  partnerName: string;
  clicks: number;
  leads: number;
  sales: number;
  revenue: Record<string, number>;
}

interface PartnerRanking {
  active: number;
  rows: RankedPartner[];
}

const RANKING_REFRESH_MS = 60_000;

const COUNTS = [
  ["clicks", "Clicks"],
  ["leads", "Leads"],
  ["sales", "Sales"],
] as const;

/** Sales per click, or a dash when the partner's sales came without clicks (coupon codes, lifetime customers). */
const salesRate = (row: RankedPartner) => (row.clicks ? formatPercent(row.sales / row.clicks) : "—");

/** Which of a program's partners bring its clicks, leads, sales and revenue, over the performance panel's days. */
export function PartnerRankingCard({ programId, days }: { programId: string; days: number }) {
  const query = useQuery({
    queryKey: ["admin", "partner-ranking", programId, days],
    queryFn: () => api.get<PartnerRanking>(`/v1/stats/partners${queryString({ programId, ...daysWindow(days) })}`),
    // Once a minute, not with the chart's 10 s: a busy program's 90 days of conversions are read one by one with
    // their credits, and a leaderboard does not move by the second.
    refetchInterval: RANKING_REFRESH_MS,
    placeholderData: (previous) => previous,
  });
  const ranking = query.data;
  return (
    <section className="card card-flush" aria-label="Top partners">
      <div className="card-head">
        <div>
          <h2 className="card-title">Top partners</h2>
          <p className="card-subtitle">
            The last {days} days, as above, best by revenue. A sale shared between partners counts for each, with its
            share of the revenue.
          </p>
        </div>
      </div>
      {query.isPending ? (
        <SkeletonRows rows={3} columns={6} />
      ) : query.isError && !ranking ? (
        <QueryError error={query.error} onRetry={() => query.refetch()} />
      ) : !ranking || ranking.rows.length === 0 ? (
        <EmptyState icon={<PartnersIcon size={28} />} title={`No partner activity in the last ${days} days`}>
          Partners show up here with their first click or credited conversion.
        </EmptyState>
      ) : (
        <>
          <table className="table table-stacks ranking-table" aria-busy={query.isPlaceholderData}>
            <thead>
              <tr>
                <th scope="col">Partner</th>
                {COUNTS.map(([key, label]) => (
                  <th key={key} scope="col" className="col-number">
                    {label}
                  </th>
                ))}
                <th scope="col" className="col-number">
                  Sales per click
                </th>
                <th scope="col" className="col-amount">
                  Revenue
                </th>
              </tr>
            </thead>
            <tbody>
              {ranking.rows.map((row) => (
                <tr key={row.partnerId}>
                  <td>
                    <Link to={`/admin/partners/${row.partnerId}`}>{row.partnerName}</Link>
                  </td>
                  {COUNTS.map(([key, label]) => (
                    <td key={key} className="col-number" data-label={label}>
                      {formatNumber(row[key])}
                    </td>
                  ))}
                  <td className="col-number" data-label="Sales per click">
                    {salesRate(row)}
                  </td>
                  <td className="col-amount" data-label="Revenue">
                    {revenueText(row.revenue)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {ranking.active > ranking.rows.length && (
            <p className="card-foot muted">
              The {ranking.rows.length} best of {formatNumber(ranking.active)} partners active in these days.
            </p>
          )}
        </>
      )}
    </section>
  );
}
