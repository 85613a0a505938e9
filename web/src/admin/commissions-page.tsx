import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router";
import { api, queryString } from "../shared/api.js";
import { BulkBar } from "../shared/bulk-bar.js";
import { Button } from "../shared/button.js";
import { CsvDownload } from "../shared/csv-download.js";
import { CursorPager } from "../shared/cursor-pager.js";
import { DataTable, openerColumn } from "../shared/data-table.js";
import { nextDay, startOfDay } from "../shared/day-bounds.js";
import { EmptyState } from "../shared/empty-state.js";
import { formatDateTime, formatRelative } from "../shared/format.js";
import { ClockIcon, CoinsIcon, PlusIcon } from "../shared/icons.js";
import { commissionKindLabels, commissionStatusLabels } from "../shared/labels.js";
import { approvedNotes, pendingNote } from "../shared/ledger-notes.js";
import { LedgerTotalsTiles } from "../shared/ledger-totals.js";
import { formatMoney } from "../shared/money.js";
import { MoneyAmount } from "../shared/money-amount.js";
import { readableNote } from "../shared/note-text.js";
import { PageHeader } from "../shared/page-header.js";
import { optionsFrom, SelectField } from "../shared/select-field.js";
import { sentenceCase } from "../shared/sentence-case.js";
import { CommissionStatusBadge } from "../shared/status-badge.js";
import { TextField } from "../shared/text-field.js";
import { useToast } from "../shared/toast.js";
import type { CommissionEntry, CommissionSummary, Page, ReviewAction, ReviewResult } from "../shared/types.js";
import { useCursorPages } from "../shared/use-cursor-pages.js";
import { AdjustmentDialog } from "./adjustment-dialog.js";
import { adminKeys, useProgramsQuery } from "./admin-queries.js";
import { BulkOutcome, newOutcome, type Outcome } from "./bulk-outcome.js";
import { CommissionDrawer, reviewActionsFor } from "./commission-drawer.js";
import { PartnerSelect } from "./partner-select.js";
import { ProgramFilter } from "./program-filter.js";
import { ReasonDialog } from "./reason-dialog.js";
import { useMe } from "./use-me.js";
import { type ReviewRequest, useReviewCommissions } from "./use-review-commissions.js";
import { useSearchState } from "./use-search-state.js";

const PAGE_SIZE = 50;
const FILTERS = ["programId", "partnerId", "status", "kind", "from", "to", "entry"] as const;

const REASON_DIALOGS: Record<Exclude<ReviewAction, "approve">, { title: string; description: string; hint: string }> = {
  hold: {
    title: "Put on hold",
    description: "Held entries stay out of payouts until someone approves or rejects them.",
    hint: "For your team: the partner only sees that the entry is under review.",
  },
  reject: {
    title: "Reject",
    description: "A rejected entry is never paid. Its linked corrections (reversals, overrides) are rejected with it.",
    hint: "The partner sees this reason with the rejected entry.",
  },
};

const DONE: Record<ReviewAction, string> = { approve: "approved", hold: "put on hold", reject: "rejected" };
const CANNOT: Record<ReviewAction, string> = {
  approve: "cannot be approved (already approved)",
  hold: "cannot be put on hold (already held)",
  reject: "cannot be rejected",
};

/** The bulk review's result in words: what moved, what the server left as it was (and why), what was left out. */
function reviewOutcome(
  result: ReviewResult,
  request: ReviewRequest,
  leftOut: number,
  entries: CommissionEntry[],
): Outcome {
  const moved = result.updated.filter((e) => request.ids.includes(e.id)).length;
  const derived = result.updated.length - moved;
  const describe = (id: string) => {
    const e = entries.find((x) => x.id === id);
    return e ? `${e.partnerName ?? e.partnerId} · ${formatMoney(e.amount, e.currency)}` : id;
  };
  const notChanged = result.skipped.length + leftOut;
  return newOutcome({
    tone: notChanged > 0 || moved === 0 ? "warning" : "success",
    title: [
      `${moved} ${moved === 1 ? "entry" : "entries"} ${DONE[request.action]}`,
      derived > 0 ? `and ${derived} linked correction${derived === 1 ? "" : "s"}` : "",
      notChanged > 0 ? `· ${notChanged} not changed` : "",
    ]
      .filter(Boolean)
      .join(" "),
    lines: [
      ...(leftOut > 0
        ? [`${leftOut} selected ${leftOut === 1 ? "entry" : "entries"} ${CANNOT[request.action]}: left as they are`]
        : []),
      ...result.skipped.map((s) => `${describe(s.id)} — ${sentenceCase(s.reason)}`),
    ],
  });
}

/** /admin/commissions — the ledger: filters, totals, bulk review, explanations, adjustments. */
export function CommissionsPage() {
  const { can } = useMe();
  const canWrite = can("commissions:write");
  const queryClient = useQueryClient();
  const toast = useToast();
  const [filters, setFilter] = useSearchState(FILTERS);
  const listFilters = {
    programId: filters.programId,
    partnerId: filters.partnerId,
    status: filters.status,
    kind: filters.kind,
    from: startOfDay(filters.from),
    to: nextDay(filters.to),
  };
  const pages = useCursorPages(JSON.stringify(listFilters));
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [asking, setAsking] = useState<{
    action: Exclude<ReviewAction, "approve">;
    ids: string[];
    from: ReviewRequest["from"];
  }>();
  const [adjusting, setAdjusting] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>();
  // How many selected entries the last action did not send (they could not take it), for its outcome.
  const [leftOut, setLeftOut] = useState(0);
  const programs = useProgramsQuery();
  const programName = (id: string) => programs.data?.find((p) => p.id === id)?.name ?? id;
  const currency = programs.data?.find((p) => p.id === filters.programId)?.currency;

  const list = useQuery({
    queryKey: [...adminKeys.commissions, "list", listFilters, pages.cursor],
    queryFn: () =>
      api.get<Page<CommissionEntry>>(
        `/v1/commissions${queryString({ ...listFilters, limit: PAGE_SIZE, cursor: pages.cursor })}`,
      ),
    placeholderData: (previous) => previous,
  });
  const summary = useQuery({
    queryKey: [...adminKeys.commissions, "summary", filters.programId, filters.partnerId],
    queryFn: () =>
      api.get<CommissionSummary>(
        `/v1/commissions/summary${queryString({ programId: filters.programId, partnerId: filters.partnerId })}`,
      ),
  });
  const items = list.data?.items ?? [];
  const openId = filters.entry;
  const inPage = items.find((e) => e.id === openId);
  const single = useQuery({
    queryKey: [...adminKeys.commissions, "entry", openId],
    queryFn: () => api.get<CommissionEntry>(`/v1/commissions/${encodeURIComponent(openId)}`),
    enabled: Boolean(openId) && !inPage && !list.isPending,
  });
  const open = inPage ?? single.data;

  const review = useReviewCommissions((result, request: ReviewRequest) => {
    setAsking(undefined);
    const said = reviewOutcome(result, request, leftOut, items);
    // From the drawer (it stays open over the list), a toast; from the list, the result where the selection was.
    if (request.from === "drawer") {
      if (said.tone === "success") toast.success(said.title);
      else toast.error([said.title, ...(said.lines ?? [])].join(". "));
      return;
    }
    setSelected(new Set());
    setOutcome(said);
  });
  const release = useMutation({
    mutationFn: () => api.post<{ approved: number }>("/v1/commissions/release-holdings"),
    onSuccess: ({ approved }) => {
      queryClient.invalidateQueries({ queryKey: adminKeys.commissions });
      toast.success(
        approved === 0
          ? "No entry has finished its holding period"
          : `${approved} ${approved === 1 ? "entry" : "entries"} approved after their holding period`,
      );
    },
    onError: (error) => toast.error(error.message),
  });

  /** Sends only the entries that can take the action; the others stay selected-but-skipped and are counted. */
  const start = (action: ReviewAction, entries: CommissionEntry[], from: ReviewRequest["from"] = "list") => {
    const ids = entries.filter((e) => reviewActionsFor(e).includes(action)).map((e) => e.id);
    setLeftOut(entries.length - ids.length);
    if (ids.length === 0) return;
    if (action === "approve") review.mutate({ action, ids, from }, { onError: (error) => toast.error(error.message) });
    else setAsking({ action, ids, from });
  };
  // Paid, rejected and correction entries cannot change: "select all" leaves them out and says how many.
  const selectable = items.filter((e) => reviewActionsFor(e).length > 0);
  const unselectable = items.length - selectable.length;
  const allSelected = selectable.length > 0 && selectable.every((e) => selected.has(e.id));
  const toggle = (id: string) =>
    setSelected((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const chosen = items.filter((e) => selected.has(e.id));
  const canTake = (action: ReviewAction) => chosen.filter((e) => reviewActionsFor(e).includes(action)).length;
  /** "Approve" when every selected entry can take it, "Approve 3" when only some can. */
  const actionLabel = (action: ReviewAction, label: string) => {
    const n = canTake(action);
    return n === chosen.length ? label : `${label} ${n}`;
  };
  const chosenTotals = new Map<string, number>();
  for (const e of chosen) chosenTotals.set(e.currency, (chosenTotals.get(e.currency) ?? 0) + e.amount);
  const filtered = Boolean(
    filters.programId || filters.partnerId || filters.status || filters.kind || filters.from || filters.to,
  );
  const setAndClear = (key: (typeof FILTERS)[number], value: string) => {
    setSelected(new Set());
    setFilter(key, value);
  };

  return (
    <div className="page">
      <PageHeader
        title="Commissions"
        description="The ledger: what each conversion earned, by which rule, and where it stands. Approve, hold or reject in bulk."
        actions={
          canWrite && (
            <>
              <Button
                icon={<ClockIcon size={16} />}
                loading={release.isPending}
                onClick={() => release.mutate()}
                title="Approve every pending entry whose holding period has ended (the scheduled job does this hourly)"
              >
                Release holdings now
              </Button>
              <Button variant="primary" icon={<PlusIcon size={16} />} onClick={() => setAdjusting(true)}>
                Manual adjustment
              </Button>
            </>
          )
        }
      />

      <section className="card card-flush ledger-summary" aria-label="Totals">
        <LedgerTotalsTiles
          totals={summary.data?.totals}
          statuses={["pending", "approved", "held", "rejected", "paid"]}
          labels={commissionStatusLabels}
          currency={currency}
          notes={{
            pending: pendingNote(summary.data?.totals ?? []),
            approved: approvedNotes(summary.data?.totals ?? [], currency),
            held: "Out of payouts until reviewed",
            paid: "In paid payouts",
          }}
        />
        {summary.data && summary.data.waitingFx > 0 && (
          <p className="ledger-note">
            <ClockIcon size={16} />
            <span>
              {summary.data.waitingFx} {summary.data.waitingFx === 1 ? "conversion is" : "conversions are"} waiting for
              an exchange rate: their commission is calculated when the rate for their day is recorded.
            </span>
            <Link to="/admin/fx-rates">Add FX rates</Link>
          </p>
        )}
      </section>

      <section className="card card-flush" aria-label="Ledger" tabIndex={-1} data-focus-after-outcome>
        <div className="toolbar toolbar-wrap ledger-filters">
          <ProgramFilter
            value={filters.programId}
            onChange={(v) => {
              setAndClear("programId", v);
              setFilter("partnerId", "");
            }}
          />
          <PartnerSelect
            programId={filters.programId || undefined}
            value={filters.partnerId}
            onChange={(v) => setAndClear("partnerId", v)}
            placeholder="All partners"
            statuses={["applied", "approved", "active", "suspended", "rejected", "terminated"]}
            className="filter-field"
          />
          <SelectField
            label="Status"
            value={filters.status}
            onChange={(v) => setAndClear("status", v)}
            options={optionsFrom(commissionStatusLabels)}
            placeholder="Any status"
            className="filter-field"
          />
          <SelectField
            label="Kind"
            value={filters.kind}
            onChange={(v) => setAndClear("kind", v)}
            options={optionsFrom(commissionKindLabels)}
            placeholder="All kinds"
            className="filter-field"
          />
          <span className="toolbar-break" aria-hidden="true" />
          <TextField
            label="From"
            type="date"
            value={filters.from}
            onChange={(v) => setAndClear("from", v)}
            className="filter-date"
          />
          <TextField
            label="To"
            type="date"
            value={filters.to}
            onChange={(v) => setAndClear("to", v)}
            className="filter-date"
          />
          <span className="toolbar-spacer" />
          <CsvDownload href={`/v1/commissions/export${queryString(listFilters)}`} label="Export CSV" />
        </div>

        {canWrite && chosen.length > 0 && (
          <BulkBar
            label="Selected entries"
            summary={
              <>
                {chosen.length} selected · {[...chosenTotals].map(([cur, sum]) => formatMoney(sum, cur)).join(" + ")}
                {allSelected && unselectable > 0 && (
                  <span className="bulk-note">
                    {" "}
                    · {unselectable} on this page cannot change (paid, rejected or corrections) and{" "}
                    {unselectable === 1 ? "was" : "were"} left out
                  </span>
                )}
              </>
            }
            onClear={() => setSelected(new Set())}
          >
            <Button
              size="sm"
              variant="primary"
              disabled={canTake("approve") === 0}
              loading={review.isPending && review.variables?.action === "approve"}
              onClick={() => start("approve", chosen)}
            >
              {actionLabel("approve", "Approve")}
            </Button>
            <Button size="sm" disabled={canTake("hold") === 0} onClick={() => start("hold", chosen)}>
              {actionLabel("hold", "Hold")}
            </Button>
            <Button
              size="sm"
              variant="danger"
              disabled={canTake("reject") === 0}
              onClick={() => start("reject", chosen)}
            >
              {actionLabel("reject", "Reject")}
            </Button>
          </BulkBar>
        )}
        <BulkOutcome outcome={outcome} onDismiss={() => setOutcome(undefined)} />

        <DataTable
          query={list}
          skeleton={{ columns: 6 }}
          empty={
            <EmptyState icon={<CoinsIcon size={28} />} title={filtered ? "No entries match" : "No commissions yet"}>
              {filtered
                ? "Clear a filter to see more."
                : "Commissions appear here as conversions come in, once a program has a commission plan (program page › Commissions)."}
            </EmptyState>
          }
          className="ledger-table"
          busy={list.isPlaceholderData}
          rows={items}
          rowKey={(e) => e.id}
          rowProps={(e) => ({
            className: [
              "row-clickable",
              e.id === openId ? "row-selected" : "",
              e.status === "rejected" ? "row-muted" : "",
            ]
              .filter(Boolean)
              .join(" "),
            onClick: (event) => {
              // The checkbox cell selects; the rest of the row opens the explanation.
              if ((event.target as HTMLElement).closest(".col-check")) return;
              setFilter("entry", e.id);
            },
          })}
          columns={[
            canWrite && {
              id: "select",
              className: "col-check",
              header: (
                <label className="select-all">
                  <input
                    type="checkbox"
                    className="checkbox"
                    aria-label={`Select the ${selectable.length} entries on this page that can change${unselectable > 0 ? ` (${unselectable} cannot)` : ""}`}
                    checked={allSelected}
                    disabled={selectable.length === 0}
                    onChange={() => setSelected(allSelected ? new Set() : new Set(selectable.map((e) => e.id)))}
                  />
                  <span className="select-all-text" aria-hidden="true">
                    Select all
                  </span>
                </label>
              ),
              cell: (e) => (
                <input
                  type="checkbox"
                  className="checkbox"
                  aria-label={`Select ${e.partnerName ?? e.partnerId} ${formatMoney(e.amount, e.currency)}`}
                  checked={selected.has(e.id)}
                  disabled={reviewActionsFor(e).length === 0}
                  onChange={() => toggle(e.id)}
                />
              ),
            },
            {
              id: "earned",
              header: "Earned",
              cellTitle: (e) => formatDateTime(e.occurredAt),
              cell: (e) => (
                <>
                  <div className="cell-title">{formatRelative(e.occurredAt)}</div>
                  {!filters.programId && <div className="cell-sub">{programName(e.programId)}</div>}
                </>
              ),
            },
            {
              id: "partner",
              header: "Partner",
              cell: (e) => (
                <>
                  <div className="cell-title">{e.partnerName ?? e.partnerId}</div>
                  <div className="cell-sub summary-line" title={readableNote(e.explanation.summary)}>
                    {readableNote(e.explanation.summary)}
                  </div>
                </>
              ),
            },
            { id: "kind", header: "Kind", cell: (e) => commissionKindLabels[e.kind] },
            {
              id: "amount",
              header: "Amount",
              className: "col-amount",
              cell: (e) => <MoneyAmount amount={e.amount} currency={e.currency} />,
            },
            {
              id: "status",
              header: "Status",
              cell: (e) => (
                <>
                  <CommissionStatusBadge status={e.status} />
                  {e.status === "pending" && e.holdUntil && (
                    <div className="cell-sub" title={formatDateTime(e.holdUntil)}>
                      until {formatRelative(e.holdUntil).replace(/^in /, "")}
                    </div>
                  )}
                  {e.statusReason && e.status !== "approved" && e.status !== "pending" && (
                    <div className="cell-sub reason-text summary-line" title={e.statusReason}>
                      “{e.statusReason}”
                    </div>
                  )}
                </>
              ),
            },
            openerColumn<CommissionEntry>({
              header: "Explanation",
              title: "Explain this amount",
              label: (e) => `Explain ${e.partnerName ?? e.partnerId} ${formatMoney(e.amount, e.currency)}`,
              onOpen: (e) => setFilter("entry", e.id),
            }),
          ]}
        />
        <CursorPager
          pages={pages}
          count={items.length}
          nextCursor={list.data?.nextCursor}
          noun="entries"
          onTurn={() => setSelected(new Set())}
        />
      </section>

      <CommissionDrawer
        entry={open}
        programName={programName}
        canReview={canWrite}
        onReview={(entry, action) => start(action, [entry], "drawer")}
        onClose={() => setFilter("entry", "")}
      />
      {asking && (
        <ReasonDialog
          open
          title={`${REASON_DIALOGS[asking.action].title}: ${asking.ids.length} ${asking.ids.length === 1 ? "entry" : "entries"}`}
          description={REASON_DIALOGS[asking.action].description}
          hint={REASON_DIALOGS[asking.action].hint}
          confirmLabel={asking.action === "hold" ? "Put on hold" : "Reject"}
          danger={asking.action === "reject"}
          reasonRequired
          pending={review.isPending}
          error={review.error}
          onConfirm={(reason) => review.mutate({ action: asking.action, ids: asking.ids, reason, from: asking.from })}
          onClose={() => {
            setAsking(undefined);
            review.reset();
          }}
        />
      )}
      {adjusting && (
        <AdjustmentDialog
          programId={filters.programId}
          partnerId={filters.partnerId}
          onClose={() => setAdjusting(false)}
        />
      )}
    </div>
  );
}
