import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api, queryString } from "./api.js";
import { countryName } from "./countries.js";
import { EmptyState } from "./empty-state.js";
import { LinkIcon } from "./icons.js";
import { SkeletonRows } from "./loading.js";
import { formatMoney } from "./money.js";
import { daysWindow, RANGES, REFRESH_MS } from "./performance-series.js";
import { QueryError } from "./query-error.js";
import { SegmentedControl } from "./segmented-control.js";
import { SelectField } from "./select-field.js";

type Dimension =
  | "link"
  | "sub1"
  | "sub2"
  | "sub3"
  | "sub4"
  | "sub5"
  | "page"
  | "referrer"
  | "country"
  | "device"
  | "browser"
  | "os"
  | "coupon";
const DIMENSIONS: { value: Dimension; label: string }[] = [
  { value: "link", label: "Link" },
  { value: "page", label: "Landing page" },
  { value: "coupon", label: "Coupon code" },
  { value: "referrer", label: "Referring site" },
  { value: "country", label: "Country" },
  { value: "device", label: "Device" },
  { value: "browser", label: "Browser" },
  { value: "os", label: "Operating system" },
  ...([1, 2, 3, 4, 5] as const).map((n) => ({ value: `sub${n}` as Dimension, label: `Sub-id sub${n}` })),
];

/** A conversion credited without a click (a coupon code, a lifetime customer) has no link, page or visitor. */
const NO_CLICK = "no click (coupon code, lifetime customer)";
/** The first column's header: the dimension's name, a sub-id's own ("sub1"). */
const headerOf = (by: Dimension) => (by.startsWith("sub") ? by : (DIMENSIONS.find((d) => d.value === by)?.label ?? by));
/** What a dimension's rows without a value stand for (a sub-id's: "No sub1"). */
const NO_VALUE: Partial<Record<Dimension, string>> = {
  link: "No link (coupon code, lifetime customer)",
  page: "The link's own page, or no click (coupon code, lifetime customer)",
  coupon: "No coupon code (link clicks, and what they brought)",
  referrer: `No referrer (typed in, an app, or withheld by the browser), or ${NO_CLICK}`,
  country: `Unknown, or ${NO_CLICK}`,
  device: `Unknown, or ${NO_CLICK}`,
  browser: `Unknown, or ${NO_CLICK}`,
  os: `Unknown, or ${NO_CLICK}`,
};
/** A landing page by host and path, as people read addresses. */
const pageLabel = (page: string) => page.replace(/^https?:\/\//, "");
/** How a row's value reads: a country by its name, a device type capitalized, the rest as stored. */
const valueLabel = (by: Dimension, value: string) => {
  if (by === "page") return pageLabel(value);
  if (by === "country") return `${countryName(value)} (${value})`;
  if (by === "device") return value.charAt(0).toUpperCase() + value.slice(1);
  return value;
};
/** Values shown as written (sub-ids, pages, hosts) are set in monospace; names of places and software are not. */
const NAMED: ReadonlySet<Dimension> = new Set(["country", "device", "browser", "os"]);

const COUNTS = [
  ["clicks", "Clicks"],
  ["leads", "Leads"],
  ["sales", "Sales"],
] as const;

interface BreakdownRow {
  key: string | null;
  linkSlug?: string | null;
  clicks: number;
  leads: number;
  sales: number;
  revenue: Record<string, number>;
}

interface BreakdownCardProps {
  /** "/v1/portal/breakdown" (the partner's own) or "/v1/stats/breakdown" (the console, with a partnerId). */
  path: string;
  params: Record<string, string | undefined>;
  /** "admin" or "portal": the cache area, so sign-out clears it. */
  area: "admin" | "portal";
  /** The performance panel's range, when the page holds it; otherwise the card has a range of its own. */
  days?: number;
}

/** The words each side reads: the partner about itself, the partner team about a partner. */
const WORDING = {
  portal: {
    subtitle: "A sale counts for the click that earned you its credit.",
    // The sales' amounts, not what the partner earned from them (that is under Earnings).
    revenue: "Sales revenue",
    empty: "Clicks and sales through your links show up here.",
  },
  admin: {
    subtitle: "A sale counts for the click that earned the partner its credit.",
    revenue: "Partner's revenue",
    empty: "Clicks and sales through the partner's links show up here.",
  },
};

/** Which of a partner's links, or which values of a sub-id it tags links with, bring clicks and sales. */
export function BreakdownCard({ path, params, area, days: heldDays }: BreakdownCardProps) {
  const [by, setBy] = useState<Dimension>("link");
  const [ownDays, setDays] = useState(30);
  const days = heldDays ?? ownDays;
  const words = WORDING[area];
  const query = useQuery({
    queryKey: [area, "breakdown", path, params, by, days],
    queryFn: () => api.get<{ rows: BreakdownRow[] }>(`${path}${queryString({ ...params, by, ...daysWindow(days) })}`),
    refetchInterval: REFRESH_MS,
    placeholderData: (previous) => previous,
  });
  const label = (row: BreakdownRow) => {
    if (row.key === null) return NO_VALUE[by] ?? `No ${by}`;
    if (by !== "link") return valueLabel(by, row.key);
    return row.linkSlug ? `/r/${row.linkSlug}` : row.key;
  };
  const rows = query.data?.rows ?? [];
  return (
    <section className="card card-flush" aria-label="What performs">
      <div className="card-head breakdown-head">
        <div>
          <h2 className="card-title">What performs</h2>
          <p className="card-subtitle">
            {heldDays ? `The last ${days} days, as above, per link` : "Per link"}, per landing page, per sub-id value (
            <code>?sub1=newsletter</code> on any link), or by where visitors came from and what they used.{" "}
            {words.subtitle}
          </p>
        </div>
        <div className="performance-controls breakdown-controls">
          {heldDays === undefined && (
            <SegmentedControl label="Range" value={days} options={RANGES} onChange={setDays} />
          )}
          <SelectField
            label="Group by"
            value={by}
            onChange={(value) => setBy(value as Dimension)}
            options={DIMENSIONS}
            className="header-filter"
          />
        </div>
      </div>
      {query.isPending ? (
        <SkeletonRows rows={3} columns={5} />
      ) : query.isError && !query.data ? (
        <QueryError error={query.error} onRetry={() => query.refetch()} />
      ) : rows.length === 0 ? (
        <EmptyState icon={<LinkIcon size={28} />} title={`Nothing in the last ${days} days`}>
          {words.empty}
        </EmptyState>
      ) : (
        <table className="table table-stacks breakdown-table" aria-busy={query.isPlaceholderData}>
          <thead>
            <tr>
              <th scope="col">{headerOf(by)}</th>
              {COUNTS.map(([key, label]) => (
                <th key={key} scope="col" className="col-number">
                  {label}
                </th>
              ))}
              <th scope="col" className="col-amount">
                {words.revenue}
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              // A value (even "") and no value at all are two rows.
              <tr key={row.key === null ? "none" : `value:${row.key}`}>
                <td
                  className={`breakdown-label ${row.key === null ? "muted" : NAMED.has(by) ? "" : "mono"}`}
                  title={label(row)}
                >
                  {label(row)}
                </td>
                {COUNTS.map(([key, label]) => (
                  <td key={key} className="col-number" data-label={label}>
                    {row[key].toLocaleString()}
                  </td>
                ))}
                <td className="col-amount" data-label={words.revenue}>
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
