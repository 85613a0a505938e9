import { useInfiniteQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router";
import { api, queryString } from "../shared/api.js";
import { Button } from "../shared/button.js";
import { CommissionExplanationView } from "../shared/commission-explanation.js";
import { CsvDownload } from "../shared/csv-download.js";
import { DataTable, openerColumn } from "../shared/data-table.js";
import { Drawer } from "../shared/drawer.js";
import { EmptyState } from "../shared/empty-state.js";
import { formatDate, formatDateTime } from "../shared/format.js";
import { AwardIcon, ClockIcon, CoinsIcon } from "../shared/icons.js";
import { commissionKindLabels, commissionStatusLabels } from "../shared/labels.js";
import { approvedNotes, pendingNote } from "../shared/ledger-notes.js";
import { LedgerTotalsTiles } from "../shared/ledger-totals.js";
import { formatMoney } from "../shared/money.js";
import { MoneyAmount } from "../shared/money-amount.js";
import { readableNote } from "../shared/note-text.js";
import { PageHeader } from "../shared/page-header.js";
import { SelectField } from "../shared/select-field.js";
import { sentenceCase } from "../shared/sentence-case.js";
import { CommissionStatusBadge } from "../shared/status-badge.js";
import type { CommissionEntry, CommissionStatus, EarnedBadge, LedgerTotals, PortalEarnings } from "../shared/types.js";
import { portalKeys, usePortalEnrollmentsQuery } from "./portal-queries.js";

const PAGE_SIZE = 25;

/** What a partner reads under each status: where the money stands, as the payout schedule has it. */
const statusNotes = (
  totals: LedgerTotals[] = [],
  currency?: string,
): Partial<Record<CommissionStatus, string | string[]>> => ({
  pending: pendingNote(totals),
  approved: approvedNotes(totals, currency),
  held: "Under review",
  paid: "Already paid out",
});

function Badges({ badges }: { badges: EarnedBadge[] }) {
  if (badges.length === 0) return null;
  return (
    <section className="card" aria-label="Badges">
      <h2 className="card-title">Your badges</h2>
      <ul className="badge-cards">
        {badges.map((b) => (
          <li key={`${b.programId}:${b.badgeId}`} className="badge-card">
            <span className="badge-card-icon" aria-hidden="true">
              <AwardIcon size={20} />
            </span>
            <div>
              <div className="badge-card-name">{b.name}</div>
              <div className="muted small">
                {b.programName} · earned {formatDate(b.awardedAt)}
              </div>
              {b.benefits.length > 0 && (
                <ul className="badge-benefits" aria-label={`${b.name} benefits`}>
                  {b.benefits.map((benefit) => (
                    <li key={benefit}>{benefit}</li>
                  ))}
                </ul>
              )}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

function EntryDrawer({
  entry,
  programName,
  onClose,
}: {
  entry: CommissionEntry | undefined;
  programName: (id: string) => string;
  onClose: () => void;
}) {
  return (
    <Drawer
      open={Boolean(entry)}
      onClose={onClose}
      title={
        entry ? (
          <span className="drawer-title-row">
            <CommissionStatusBadge status={entry.status} />
            {formatMoney(entry.amount, entry.currency)}
          </span>
        ) : (
          "Earning"
        )
      }
      description={entry ? `${programName(entry.programId)} · ${formatDateTime(entry.occurredAt)}` : undefined}
    >
      {entry && (
        <div className="stack-lg">
          <section>
            <h3 className="subheading">How it was calculated</h3>
            <CommissionExplanationView explanation={entry.explanation} />
          </section>
          {entry.statusReason && (
            <section>
              <h3 className="subheading">{entry.status === "rejected" ? "Why it was rejected" : "Note"}</h3>
              <p className="reason-text">{sentenceCase(entry.statusReason)}</p>
            </section>
          )}
          <dl className="details details-compact">
            <dt>Kind</dt>
            <dd>{commissionKindLabels[entry.kind]}</dd>
            <dt>Status</dt>
            <dd>{commissionStatusLabels[entry.status]}</dd>
            {entry.status === "pending" && entry.holdUntil && (
              <>
                <dt>Approved after</dt>
                <dd>{formatDate(entry.holdUntil)}</dd>
              </>
            )}
            {entry.payoutId && (
              <>
                <dt>Payout</dt>
                <dd>
                  <Link to={`/portal/payouts?payout=${entry.payoutId}`}>See the payout</Link>
                </dd>
              </>
            )}
            <dt>Reference</dt>
            <dd className="mono">{entry.id}</dd>
          </dl>
        </div>
      )}
    </Drawer>
  );
}

/** /portal/earnings — what the partner earned, where each amount stands, why, and the badges it unlocked. */
export function EarningsPage() {
  const enrollments = usePortalEnrollmentsQuery();
  const [programId, setProgramId] = useState("");
  const [status, setStatus] = useState("");
  const [openId, setOpenId] = useState("");
  const programs = (enrollments.data ?? []).map((e) => ({
    value: e.programId,
    label: e.programDetails.name,
    currency: e.programDetails.currency,
  }));
  const programName = (id: string) => programs.find((p) => p.value === id)?.label ?? "";
  const query = useInfiniteQuery({
    queryKey: [...portalKeys.earnings, programId, status],
    queryFn: ({ pageParam }) =>
      api.get<PortalEarnings>(
        `/v1/portal/earnings${queryString({ programId, status, limit: PAGE_SIZE, cursor: pageParam })}`,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: (previous) => previous,
  });
  const first = query.data?.pages[0];
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];
  const open = items.find((e) => e.id === openId);
  const currency = programs.find((p) => p.value === programId)?.currency ?? programs[0]?.currency;
  return (
    <div className="portal-page">
      <PageHeader
        title="Earnings"
        description="Every commission you earned, where it stands and how it was calculated."
        actions={
          programs.length > 1 && (
            <SelectField
              label="Program"
              value={programId}
              onChange={setProgramId}
              options={programs}
              placeholder="All programs"
              className="header-filter"
            />
          )
        }
      />
      <div className="stack-lg">
        <section className="card card-flush" aria-label="Totals">
          <LedgerTotalsTiles
            totals={first?.totals}
            statuses={["pending", "approved", "held", "paid"]}
            labels={commissionStatusLabels}
            notes={statusNotes(first?.totals, currency)}
            currency={currency}
          />
          {first && first.waitingFx > 0 && (
            <p className="ledger-note">
              <ClockIcon size={16} />
              <span>
                {first.waitingFx} {first.waitingFx === 1 ? "sale" : "sales"} in another currency{" "}
                {first.waitingFx === 1 ? "is" : "are"} waiting for the day's exchange rate: the commission appears here
                as soon as it is recorded.
              </span>
            </p>
          )}
        </section>

        {first && <Badges badges={first.badges} />}

        <section className="card card-flush" aria-label="Earnings">
          <div className="card-head">
            <div>
              <h2 className="card-title">Commissions</h2>
              <p className="card-subtitle">Select one to see how it was calculated.</p>
            </div>
            <div className="card-head-actions">
              <SelectField
                label="Status"
                value={status}
                onChange={setStatus}
                options={(["pending", "approved", "held", "paid", "rejected"] as CommissionStatus[]).map((s) => ({
                  value: s,
                  label: commissionStatusLabels[s],
                }))}
                placeholder="Any status"
                className="header-filter"
              />
              <CsvDownload
                href={`/v1/portal/earnings/export${queryString({ programId, status })}`}
                label="Download CSV"
              />
            </div>
          </div>
          <DataTable
            // A failed "load more" keeps the rows already shown; only a failed first load is an error here.
            query={{
              isPending: query.isPending,
              isError: query.isError && !query.data,
              error: query.error,
              refetch: query.refetch,
            }}
            skeleton={{ columns: 4 }}
            empty={
              <EmptyState
                icon={<CoinsIcon size={28} />}
                title={status ? "Nothing with that status" : "No earnings yet"}
              >
                {status
                  ? "Pick another status to see the rest."
                  : "Commissions appear here within seconds of a sale credited to you."}
              </EmptyState>
            }
            className="earnings-table"
            busy={query.isPlaceholderData}
            rows={items}
            rowKey={(e) => e.id}
            rowProps={(e) => ({
              className: e.id === openId ? "row-clickable row-selected" : "row-clickable",
              onClick: () => setOpenId(e.id),
            })}
            columns={[
              {
                id: "earned",
                header: "Earned",
                cellClassName: "nowrap",
                cellTitle: (e) => formatDateTime(e.occurredAt),
                cell: (e) => (
                  <>
                    <div className="cell-title">{formatDate(e.occurredAt)}</div>
                    {!programId && programs.length > 1 && <div className="cell-sub">{programName(e.programId)}</div>}
                  </>
                ),
              },
              {
                id: "what",
                header: "What",
                cell: (e) => (
                  <>
                    <div>{commissionKindLabels[e.kind]}</div>
                    <div className="cell-sub summary-line">{readableNote(e.explanation.summary)}</div>
                  </>
                ),
              },
              {
                id: "amount",
                header: "Amount",
                className: "col-amount",
                cell: (e) => <MoneyAmount amount={e.amount} currency={e.currency} />,
              },
              { id: "status", header: "Status", cell: (e) => <CommissionStatusBadge status={e.status} /> },
              openerColumn<CommissionEntry>({
                header: "Explanation",
                label: (e) => `How ${formatMoney(e.amount, e.currency)} was calculated`,
                onOpen: (e) => setOpenId(e.id),
              }),
            ]}
          />
          {query.hasNextPage && (
            <div className="load-more">
              <Button size="sm" loading={query.isFetchingNextPage} onClick={() => query.fetchNextPage()}>
                Load more
              </Button>
            </div>
          )}
        </section>
      </div>
      <EntryDrawer entry={open} programName={programName} onClose={() => setOpenId("")} />
    </div>
  );
}
