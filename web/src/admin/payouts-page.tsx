import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router";
import { api, queryString } from "../shared/api.js";
import { Badge } from "../shared/badge.js";
import { Button } from "../shared/button.js";
import { CursorPager } from "../shared/cursor-pager.js";
import { DataTable, openerColumn } from "../shared/data-table.js";
import { Drawer } from "../shared/drawer.js";
import { EmptyState } from "../shared/empty-state.js";
import { formatDate, formatDateTime, formatRelative } from "../shared/format.js";
import { ChevronRightIcon, DownloadIcon, PlayIcon, PlusIcon, SendIcon, WalletIcon } from "../shared/icons.js";
import { payoutMethodLabels, payoutStatusLabels } from "../shared/labels.js";
import { PageLoading } from "../shared/loading.js";
import { formatMoney } from "../shared/money.js";
import { MoneyAmount } from "../shared/money-amount.js";
import { PageHeader } from "../shared/page-header.js";
import { PayoutDetailView, PayoutStatusCell } from "../shared/payout-detail.js";
import { QueryError } from "../shared/query-error.js";
import { SegmentedControl } from "../shared/segmented-control.js";
import { optionsFrom, SelectField } from "../shared/select-field.js";
import { useToast } from "../shared/toast.js";
import type { Page, Payout, PayoutBatch, PayoutDetail, PayoutRunRecord, SendBatchResult } from "../shared/types.js";
import { useCursorPages } from "../shared/use-cursor-pages.js";
import { adminKeys, useProgramsQuery } from "./admin-queries.js";
import {
  CreateBatchDialog,
  RunPayoutsDialog,
  SettleDialog,
  type SettlePayout,
  type SettleTarget,
} from "./payout-dialogs.js";
import { PayoutHistory } from "./payout-history.js";
import { PayoutRunDrawer } from "./payout-run-drawer.js";
import { ProgramFilter } from "./program-filter.js";
import { useMe } from "./use-me.js";
import { usePartnerNames } from "./use-partner-names.js";
import { useSearchState } from "./use-search-state.js";

type View = "payouts" | "batches" | "runs";
type Settle = SettleTarget;

/** What the settle dialogs need to know of a payout. */
const settling = (p: Payout, label: string): SettlePayout => ({
  payoutId: p.id,
  partnerId: p.partnerId,
  label,
  amount: p.amount,
  currency: p.currency,
  methodKind: p.methodKind,
  methodMasked: p.methodMasked,
});
const FILTERS = ["view", "programId", "status", "batchId", "payout", "run"] as const;

function PayoutsList({
  filters,
  setFilter,
  onSettle,
}: {
  filters: Record<(typeof FILTERS)[number], string>;
  setFilter: (key: (typeof FILTERS)[number], value: string) => void;
  onSettle: (target: Settle) => void;
}) {
  const { can } = useMe();
  const programs = useProgramsQuery();
  const listFilters = { programId: filters.programId, status: filters.status, batchId: filters.batchId };
  const pages = useCursorPages(JSON.stringify(listFilters));
  const list = useQuery({
    queryKey: [...adminKeys.payouts, "list", listFilters, pages.cursor],
    queryFn: () =>
      api.get<Page<Payout>>(`/v1/payouts${queryString({ ...listFilters, limit: 50, cursor: pages.cursor })}`),
    placeholderData: (previous) => previous,
  });
  const items = list.data?.items ?? [];
  const partnerName = usePartnerNames(
    items.map((p) => p.partnerId),
    filters.programId || undefined,
  );
  const programName = (id: string) => programs.data?.find((p) => p.id === id)?.name ?? id;
  const filtered = Boolean(filters.programId || filters.status || filters.batchId);
  return (
    <section className="card card-flush" aria-label="Payouts">
      <div className="toolbar toolbar-wrap">
        <ProgramFilter value={filters.programId} onChange={(v) => setFilter("programId", v)} />
        <SelectField
          label="Status"
          value={filters.status}
          onChange={(v) => setFilter("status", v)}
          options={optionsFrom(payoutStatusLabels)}
          placeholder="Any status"
          className="filter-field"
        />
        {filters.batchId && (
          <div className="filter-chip">
            <span>
              Batch <span className="mono">{filters.batchId.slice(-8)}</span>
            </span>
            <Button size="sm" variant="ghost" onClick={() => setFilter("batchId", "")}>
              Show all
            </Button>
          </div>
        )}
      </div>
      <DataTable
        query={list}
        skeleton={{ columns: 6 }}
        empty={
          <EmptyState icon={<WalletIcon size={28} />} title={filtered ? "No payouts match" : "No payouts yet"}>
            {filtered
              ? "Clear a filter to see more."
              : "Run payouts to turn approved commissions into one payout per partner, on each program's schedule."}
          </EmptyState>
        }
        className="payouts-table"
        busy={list.isPlaceholderData}
        rows={items}
        rowKey={(p) => p.id}
        rowProps={(p) => ({
          className: p.id === filters.payout ? "row-clickable row-selected" : "row-clickable",
          onClick: (event) => {
            if ((event.target as HTMLElement).closest("button, a")) return;
            setFilter("payout", p.id);
          },
        })}
        columns={[
          {
            id: "created",
            header: "Created",
            cellTitle: (p) => formatDateTime(p.createdAt),
            cell: (p) => (
              <>
                <div className="cell-title">{formatDate(p.createdAt)}</div>
                {!filters.programId && <div className="cell-sub">{programName(p.programId)}</div>}
              </>
            ),
          },
          {
            id: "partner",
            header: "Partner",
            cell: (p) => (
              <>
                <Link className="cell-link" to={`/admin/partners/${p.partnerId}`}>
                  {partnerName(p.partnerId)}
                </Link>
                <div className="cell-sub">
                  {p.entryCount} {p.entryCount === 1 ? "entry" : "entries"}
                </div>
              </>
            ),
          },
          {
            id: "amount",
            header: "Amount",
            className: "col-amount",
            cell: (p) => <MoneyAmount amount={p.amount} currency={p.currency} />,
          },
          {
            id: "method",
            header: "Method",
            cell: (p) =>
              p.methodMasked ??
              (p.methodKind ? payoutMethodLabels[p.methodKind] : <span className="muted">Not batched yet</span>),
          },
          { id: "status", header: "Status", cell: (p) => <PayoutStatusCell payout={p} /> },
          // Settling and opening are columns of their own: the chevrons line up down the list whether or not a row
          // can be settled, and on a phone the opener stays top right while the two buttons get a line of their own.
          can("payouts:write") && {
            id: "settle",
            header: "Actions",
            headerHidden: true,
            cellClassName: "cell-actions",
            cell: (p) =>
              (p.status === "pending" || p.status === "processing") && (
                <div className="action-row">
                  <Button
                    size="sm"
                    onClick={() => onSettle({ kind: "payout-paid", ...settling(p, partnerName(p.partnerId)) })}
                    aria-label={`Mark the payout to ${partnerName(p.partnerId)} paid`}
                  >
                    Mark paid
                  </Button>
                  <Button
                    size="sm"
                    variant="ghost"
                    onClick={() => onSettle({ kind: "payout-failed", ...settling(p, partnerName(p.partnerId)) })}
                    aria-label={`Mark the transfer to ${partnerName(p.partnerId)} failed`}
                  >
                    Mark failed
                  </Button>
                </div>
              ),
          },
          openerColumn<Payout>({
            header: "Details",
            label: (p) => `Open the payout to ${partnerName(p.partnerId)}`,
            onOpen: (p) => setFilter("payout", p.id),
          }),
        ]}
      />
      <CursorPager pages={pages} count={items.length} nextCursor={list.data?.nextCursor} noun="payouts" />
    </section>
  );
}

function BatchActions({ batch, onSettle }: { batch: PayoutBatch; onSettle: (target: Settle) => void }) {
  const { can } = useMe();
  const queryClient = useQueryClient();
  const toast = useToast();
  const send = useMutation({
    mutationFn: () => api.post<SendBatchResult>(`/v1/payout-batches/${batch.id}/send`),
    onSuccess: (result) => {
      queryClient.invalidateQueries({ queryKey: adminKeys.payouts });
      queryClient.invalidateQueries({ queryKey: adminKeys.commissions });
      const parts = [
        `${result.paid} ${result.paid === 1 ? "transfer" : "transfers"} sent`,
        result.failed
          ? `${result.failed} ${result.failed === 1 ? "transfer" : "transfers"} failed (Stripe refused them; the amounts are back in the partners' balances, each payout shows Stripe's reason)`
          : "",
        result.retryable ? `${result.retryable} not sent yet (temporary error: send again)` : "",
        result.held ? `${result.held} held (the partner's Stripe account needs attention)` : "",
      ].filter(Boolean);
      (result.failed || result.retryable || result.held ? toast.error : toast.success)(`Stripe: ${parts.join("; ")}`);
    },
    onError: (error) => toast.error(error.message),
  });
  if (!can("payouts:write")) return null;
  const open = batch.status === "processing";
  return (
    <div className="action-row">
      {batch.methodKind === "stripe_connect" ? (
        open && (
          <Button size="sm" icon={<SendIcon size={14} />} loading={send.isPending} onClick={() => send.mutate()}>
            {batch.statusCounts.paid || batch.statusCounts.failed ? "Send again" : "Send via Stripe"}
          </Button>
        )
      ) : (
        <>
          <a
            className="btn btn-secondary btn-sm"
            href={`/v1/payout-batches/${batch.id}/file`}
            download
            onClick={() =>
              window.setTimeout(() => queryClient.invalidateQueries({ queryKey: adminKeys.payouts }), 1500)
            }
          >
            <DownloadIcon size={14} /> {payoutMethodLabels[batch.methodKind]} file
          </a>
          {open && (
            <Button size="sm" variant="primary" onClick={() => onSettle({ kind: "batch-paid", batch })}>
              Mark paid
            </Button>
          )}
        </>
      )}
    </div>
  );
}

function BatchesList({
  programId,
  setFilter,
  showBatch,
  onSettle,
}: {
  programId: string;
  setFilter: (key: (typeof FILTERS)[number], value: string) => void;
  showBatch: (batchId: string) => void;
  onSettle: (target: Settle) => void;
}) {
  const programs = useProgramsQuery();
  const pages = useCursorPages(programId, "batchCursor");
  const list = useQuery({
    queryKey: [...adminKeys.payouts, "batches", programId, pages.cursor],
    queryFn: () =>
      api.get<Page<PayoutBatch>>(`/v1/payout-batches${queryString({ programId, limit: 50, cursor: pages.cursor })}`),
    placeholderData: (previous) => previous,
  });
  const items = list.data?.items ?? [];
  const programName = (id: string) => programs.data?.find((p) => p.id === id)?.name ?? id;
  return (
    <section className="card card-flush" aria-label="Payout batches">
      <div className="toolbar toolbar-wrap">
        <ProgramFilter value={programId} onChange={(v) => setFilter("programId", v)} />
      </div>
      <DataTable
        query={list}
        skeleton={{ columns: 6 }}
        empty={
          <EmptyState icon={<WalletIcon size={28} />} title="No batches yet">
            A batch groups a program's pending payouts by method: a PayPal, Wise or bank file to upload, or Stripe
            transfers to send.
          </EmptyState>
        }
        className="batches-table"
        rows={items}
        rowKey={(b) => b.id}
        rowProps={(b) => ({ "aria-label": `${payoutMethodLabels[b.methodKind]} batch ${b.id}` })}
        columns={[
          {
            id: "created",
            header: "Created",
            cellTitle: (b) => formatDateTime(b.createdAt),
            cell: (b) => (
              <>
                <div className="cell-title">{formatDate(b.createdAt)}</div>
                <div className="cell-sub">
                  {programName(b.programId)} · {b.createdBy}
                </div>
              </>
            ),
          },
          {
            id: "method",
            header: "Method",
            cell: (b) => (
              <>
                {payoutMethodLabels[b.methodKind]}
                {b.fileDownloadedAt && (
                  <div className="cell-sub">file downloaded {formatRelative(b.fileDownloadedAt)}</div>
                )}
              </>
            ),
          },
          {
            id: "payouts",
            header: "Payouts",
            cell: (b) => (
              <>
                <button type="button" className="link-button" onClick={() => showBatch(b.id)}>
                  {b.payoutCount} {b.payoutCount === 1 ? "payout" : "payouts"}
                </button>
                <div className="cell-sub">
                  {Object.entries(b.statusCounts)
                    .filter(([, n]) => n)
                    .map(([status, n]) =>
                      status === "failed" ? `${n} transfer${n === 1 ? "" : "s"} failed` : `${n} ${status}`,
                    )
                    .join(" · ")}
                </div>
              </>
            ),
          },
          {
            id: "total",
            header: "Total",
            className: "col-amount",
            cellClassName: "amount",
            cell: (b) => formatMoney(b.total, b.currency),
          },
          {
            id: "status",
            header: "Status",
            cell: (b) => (
              <>
                {b.status === "completed" ? (
                  <Badge tone="success">Completed</Badge>
                ) : (
                  <Badge tone="info">Processing</Badge>
                )}
                {b.completedAt && <div className="cell-sub">{formatDate(b.completedAt)}</div>}
              </>
            ),
          },
          {
            id: "actions",
            header: "Actions",
            headerHidden: true,
            cellClassName: "cell-actions",
            cell: (b) => <BatchActions batch={b} onSettle={onSettle} />,
          },
        ]}
      />
      <CursorPager pages={pages} count={items.length} nextCursor={list.data?.nextCursor} noun="batches" />
    </section>
  );
}

function RunsList({ programId, showRun }: { programId: string; showRun: (runId: string) => void }) {
  const programs = useProgramsQuery();
  const list = useQuery({
    queryKey: [...adminKeys.payouts, "runs", programId],
    queryFn: () => api.get<Page<PayoutRunRecord>>(`/v1/payout-runs${queryString({ programId, limit: 100 })}`),
  });
  const programName = (id: string | null) =>
    id ? (programs.data?.find((p) => p.id === id)?.name ?? id) : "All programs";
  return (
    <section className="card card-flush" aria-label="Payout runs">
      <DataTable
        query={list}
        skeleton={{ columns: 6 }}
        empty={
          <EmptyState icon={<PlayIcon size={28} />} title="No payout runs yet">
            A scheduled job runs payouts; you can also run them now.
          </EmptyState>
        }
        rows={list.data?.items ?? []}
        rowKey={(r) => r.id}
        rowProps={(r) => ({
          className: "row-clickable",
          onClick: (event) => {
            if ((event.target as HTMLElement).closest("button, a")) return;
            showRun(r.id);
          },
        })}
        columns={[
          {
            id: "started",
            header: "Started",
            cell: (r) => (
              <>
                <div className="cell-title">{formatDateTime(r.startedAt)}</div>
                <div className="cell-sub">{r.startedBy}</div>
              </>
            ),
          },
          { id: "programs", header: "Programs", cell: (r) => programName(r.programId) },
          { id: "asOf", header: "As of", cell: (r) => formatDate(r.asOf) },
          { id: "payouts", header: "Payouts", cell: (r) => r.payoutsCreated },
          {
            id: "skipped",
            header: "Not paid",
            cell: (r) =>
              r.partnersSkipped ? (
                <button type="button" className="link-button" onClick={() => showRun(r.id)}>
                  {r.partnersSkipped} {r.partnersSkipped === 1 ? "partner" : "partners"}
                </button>
              ) : (
                "—"
              ),
          },
          {
            id: "open",
            header: "Details",
            headerHidden: true,
            cellClassName: "cell-actions",
            cell: (r) => (
              <Button
                size="sm"
                variant="ghost"
                className="btn-icon"
                aria-label={`Open the payout run of ${formatDateTime(r.startedAt)}`}
                onClick={() => showRun(r.id)}
              >
                <ChevronRightIcon size={16} />
              </Button>
            ),
          },
        ]}
      />
    </section>
  );
}

function PayoutDrawer({
  payoutId,
  onSettle,
  onClose,
}: {
  payoutId: string;
  onSettle: (target: Settle) => void;
  onClose: () => void;
}) {
  const { can } = useMe();
  const programs = useProgramsQuery();
  const payout = useQuery({
    queryKey: [...adminKeys.payouts, "detail", payoutId],
    queryFn: () => api.get<PayoutDetail>(`/v1/payouts/${encodeURIComponent(payoutId)}`),
    enabled: Boolean(payoutId),
  });
  const partnerName = usePartnerNames(payout.data ? [payout.data.partnerId] : [], payout.data?.programId);
  const p = payout.data;
  return (
    <Drawer
      open={Boolean(payoutId)}
      onClose={onClose}
      title={p ? `${formatMoney(p.amount, p.currency)} to ${partnerName(p.partnerId)}` : "Payout"}
      description={p ? (programs.data?.find((x) => x.id === p.programId)?.name ?? p.programId) : undefined}
    >
      {payout.isPending ? (
        <PageLoading label="Loading payout" />
      ) : payout.isError ? (
        <QueryError error={payout.error} onRetry={() => payout.refetch()} />
      ) : (
        <div className="stack-lg">
          <PayoutDetailView
            payout={payout.data}
            extra={
              <>
                {payout.data.batchId && (
                  <>
                    <dt>Batch</dt>
                    <dd className="mono">{payout.data.batchId}</dd>
                  </>
                )}
                {payout.data.lastError && (
                  <>
                    <dt>Last error</dt>
                    <dd className="amount-negative">{payout.data.lastError}</dd>
                  </>
                )}
              </>
            }
          />
          {payout.data.history && <PayoutHistory events={payout.data.history} />}
          {can("payouts:write") && (payout.data.status === "pending" || payout.data.status === "processing") && (
            <div className="drawer-actions">
              <Button
                variant="primary"
                onClick={() =>
                  onSettle({ kind: "payout-paid", ...settling(payout.data, partnerName(payout.data.partnerId)) })
                }
              >
                Mark paid
              </Button>
              <Button
                variant="danger"
                onClick={() =>
                  onSettle({ kind: "payout-failed", ...settling(payout.data, partnerName(payout.data.partnerId)) })
                }
              >
                Mark failed
              </Button>
            </div>
          )}
        </div>
      )}
    </Drawer>
  );
}

/** /admin/payouts — payouts, the batches that pay them (files and Stripe) and the runs that made them. */
export function PayoutsPage() {
  const { can } = useMe();
  const [filters, setFilter, setFilters] = useSearchState(FILTERS);
  const view = (filters.view || "payouts") as View;
  const [running, setRunning] = useState(false);
  const [batching, setBatching] = useState(false);
  const [settling, setSettling] = useState<Settle>();
  return (
    <div className="page">
      <PageHeader
        title="Payouts"
        description="Approved commissions become one payout per partner on each program's schedule; batches pay them by file or through Stripe."
        actions={
          can("payouts:write") && (
            <>
              <Button icon={<PlusIcon size={16} />} onClick={() => setBatching(true)}>
                Create batch
              </Button>
              <Button variant="primary" icon={<PlayIcon size={16} />} onClick={() => setRunning(true)}>
                Run payouts
              </Button>
            </>
          )
        }
      />
      <div className="view-switch">
        <SegmentedControl
          label="View"
          value={view}
          options={[
            { value: "payouts", label: "Payouts" },
            { value: "batches", label: "Batches" },
            { value: "runs", label: "Runs" },
          ]}
          onChange={(v) => setFilter("view", v === "payouts" ? "" : v)}
        />
      </div>
      {view === "batches" ? (
        <BatchesList
          programId={filters.programId}
          setFilter={setFilter}
          showBatch={(batchId) => setFilters({ batchId, view: "" })}
          onSettle={setSettling}
        />
      ) : view === "runs" ? (
        <RunsList programId={filters.programId} showRun={(runId) => setFilter("run", runId)} />
      ) : (
        <PayoutsList filters={filters} setFilter={setFilter} onSettle={setSettling} />
      )}
      <PayoutDrawer payoutId={filters.payout} onSettle={setSettling} onClose={() => setFilter("payout", "")} />
      <PayoutRunDrawer runId={filters.run} onClose={() => setFilter("run", "")} />
      {running && <RunPayoutsDialog onClose={() => setRunning(false)} />}
      {batching && (
        <CreateBatchDialog
          programId={filters.programId}
          onClose={() => setBatching(false)}
          onCreated={() => {
            setBatching(false);
            setFilter("view", "batches");
          }}
        />
      )}
      <SettleDialog target={settling} onClose={() => setSettling(undefined)} />
    </div>
  );
}
