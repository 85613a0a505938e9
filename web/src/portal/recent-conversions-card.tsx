import { useState } from "react";
import { Button } from "../shared/button.js";
import { ConversionKindBadge } from "../shared/conversion-kind-badge.js";
import { DataTable } from "../shared/data-table.js";
import { EmptyState } from "../shared/empty-state.js";
import { formatDateTime, formatRelative } from "../shared/format.js";
import { ConversionsIcon } from "../shared/icons.js";
import { SkeletonRows } from "../shared/loading.js";
import { formatMoney, formatShare } from "../shared/money.js";
import { QueryError } from "../shared/query-error.js";
import { SegmentedControl } from "../shared/segmented-control.js";
import type { ConversionKind, PortalConversion } from "../shared/types.js";
import { usePortalConversionsQuery } from "./portal-queries.js";

const PAGE_SIZE = 10;
const KINDS: { value: ConversionKind | ""; label: string }[] = [
  { value: "", label: "All" },
  { value: "lead", label: "Leads" },
  { value: "sale", label: "Sales" },
  { value: "refund", label: "Refunds" },
];
const plural: Record<ConversionKind, string> = { lead: "leads", sale: "sales", refund: "refunds" };

/** The partner's own share: "$64.50", "−$12.90" for a refund, a dash for a lead. */
function ShareAmount({ conversion }: { conversion: PortalConversion }) {
  const { amount, currency, weightBps } = conversion;
  if (amount === null || !currency) return <span className="muted">—</span>;
  return (
    <>
      <span className={amount < 0 ? "amount amount-negative" : "amount"}>{formatMoney(amount, currency)}</span>
      {weightBps < 10_000 && <div className="cell-sub">shared {formatShare(weightBps)}</div>}
    </>
  );
}

/** The latest leads, sales and refunds credited to the partner, under the performance chart. */
export function RecentConversionsCard({ programId }: { programId?: string }) {
  const [kind, setKind] = useState<ConversionKind | "">("");
  const query = usePortalConversionsQuery({ programId, kind: kind || undefined }, PAGE_SIZE);
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];
  const showProgram = !programId;
  const now = query.dataUpdatedAt || Date.now();
  return (
    <section className="card card-flush recent-conversions" aria-label="Recent conversions">
      <div className="card-head">
        <div>
          <h2 className="card-title">Recent conversions</h2>
          <p className="card-subtitle">
            Leads, sales and refunds credited to you, with the part of each sale credited to you. What you earn from
            them is under Earnings.
          </p>
        </div>
        <SegmentedControl label="Kind" value={kind} options={KINDS} onChange={setKind} />
      </div>
      {query.isPending ? (
        <SkeletonRows rows={4} columns={showProgram ? 4 : 3} />
      ) : query.isError && !query.data ? (
        <QueryError error={query.error} onRetry={() => query.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState icon={<ConversionsIcon size={28} />} title={kind ? `No ${plural[kind]} yet` : "No conversions yet"}>
          {kind
            ? "Pick another kind to see the rest."
            : "Leads and sales you bring in appear here within seconds of being reported."}
        </EmptyState>
      ) : (
        // A DataTable: on a phone each conversion is a card, its time the title and its amount top right.
        <DataTable
          className="recent-conversions-table"
          busy={query.isPlaceholderData}
          rows={items}
          rowKey={(c) => c.id}
          columns={[
            {
              id: "when",
              header: "When",
              cellTitle: (c) => formatDateTime(c.occurredAt),
              cell: (c) => <span className="cell-title">{formatRelative(c.occurredAt, now)}</span>,
            },
            {
              id: "kind",
              header: "Kind",
              cell: (c) => (
                <div className="kind-cell">
                  <ConversionKindBadge kind={c.kind} />
                  {c.kind === "lead" && c.eventName && <span className="cell-sub">{c.eventName}</span>}
                  {c.viaCoupon && <span className="tag">via coupon</span>}
                  {c.refunded && (
                    <span className="tag tag-warning">{c.fullyRefunded ? "refunded" : "partly refunded"}</span>
                  )}
                  {c.review === "on_hold" && <span className="tag tag-warning">on hold — under review</span>}
                  {c.review === "approved" && <span className="tag">reviewed: approved</span>}
                  {c.review === "rejected" && <span className="tag tag-danger">rejected after review</span>}
                </div>
              ),
            },
            showProgram && { id: "program", header: "Program", cell: (c) => c.programName },
            {
              id: "amount",
              header: "Amount credited",
              className: "col-amount",
              cell: (c) => <ShareAmount conversion={c} />,
            },
          ]}
        />
      )}
      {query.hasNextPage && (
        <div className="load-more">
          <Button size="sm" loading={query.isFetchingNextPage} onClick={() => query.fetchNextPage()}>
            Load more
          </Button>
        </div>
      )}
    </section>
  );
}
