import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api, queryString } from "../shared/api.js";
import { EmptyState } from "../shared/empty-state.js";
import { LinkIcon } from "../shared/icons.js";
import { SkeletonRows } from "../shared/loading.js";
import { formatMoney } from "../shared/money.js";
import { REFRESH_MS } from "../shared/performance-series.js";
import { QueryError } from "../shared/query-error.js";
import { SelectField } from "../shared/select-field.js";
import { portalKeys, usePortalLinksQuery } from "./portal-queries.js";

type Dimension = "link" | "sub1" | "sub2" | "sub3" | "sub4" | "sub5";
const DIMENSIONS: { value: Dimension; label: string }[] = [
  { value: "link", label: "Link" },
  ...([1, 2, 3, 4, 5] as const).map((n) => ({ value: `sub${n}` as Dimension, label: `Sub-id sub${n}` })),
];

const COUNTS = [
  ["clicks", "Clicks"],
  ["leads", "Leads"],
  ["sales", "Sales"],
] as const;

interface BreakdownRow {
  key: string | null;
  clicks: number;
  leads: number;
  sales: number;
  revenue: Record<string, number>;
}

/** Which of the partner's links, or which values of a sub-id it tags links with, bring clicks and sales. */
export function BreakdownCard({ programId }: { programId?: string | undefined }) {
  const [by, setBy] = useState<Dimension>("link");
  const links = usePortalLinksQuery();
  const query = useQuery({
    queryKey: [...portalKeys.breakdown, by, programId],
    queryFn: () => api.get<{ rows: BreakdownRow[] }>(`/v1/portal/breakdown${queryString({ by, programId })}`),
    refetchInterval: REFRESH_MS,
    placeholderData: (previous) => previous,
  });
  const slugOf = (id: string) => links.data?.find((l) => l.id === id)?.slug;
  const label = (key: string | null) => {
    if (key === null) return by === "link" ? "No link (coupon code, lifetime customer)" : `No ${by}`;
    if (by !== "link") return key;
    const slug = slugOf(key);
    return slug ? `/r/${slug}` : key;
  };
  const rows = query.data?.rows ?? [];
  return (
    <section className="card card-flush" aria-label="By link or sub-id">
      <div className="card-head">
        <div>
          <h2 className="card-title">What performs</h2>
          <p className="card-subtitle">
            The last 30 days per link, or per sub-id value (<code>?sub1=newsletter</code> on any link). A sale counts
            for the click that earned you its credit.
          </p>
        </div>
        <SelectField
          label="Group by"
          value={by}
          onChange={(value) => setBy(value as Dimension)}
          options={DIMENSIONS}
          className="header-filter"
        />
      </div>
      {query.isPending ? (
        <SkeletonRows rows={3} columns={5} />
      ) : query.isError && !query.data ? (
        <QueryError error={query.error} onRetry={() => query.refetch()} />
      ) : rows.length === 0 ? (
        <EmptyState icon={<LinkIcon size={28} />} title="Nothing in the last 30 days">
          Clicks and sales through your links show up here.
        </EmptyState>
      ) : (
        <table className="table table-stacks breakdown-table" aria-busy={query.isPlaceholderData}>
          <thead>
            <tr>
              <th scope="col">{by === "link" ? "Link" : by}</th>
              {COUNTS.map(([key, label]) => (
                <th key={key} scope="col" className="col-number">
                  {label}
                </th>
              ))}
              <th scope="col" className="col-amount">
                Your revenue
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.key ?? ""}>
                <td className={row.key === null ? "muted" : "mono"}>{label(row.key)}</td>
                {COUNTS.map(([key, label]) => (
                  <td key={key} className="col-number" data-label={label}>
                    {row[key].toLocaleString()}
                  </td>
                ))}
                <td className="col-amount" data-label="Your revenue">
                  {Object.entries(row.revenue)
                    .map(([currency, minor]) => formatMoney(minor, currency))
                    .join(" · ") || "—"}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
