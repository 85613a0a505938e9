import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useSearchParams } from "react-router";
import { api } from "../shared/api.js";
import { Badge } from "../shared/badge.js";
import { DataTable, openerColumn } from "../shared/data-table.js";
import { Drawer } from "../shared/drawer.js";
import { EmptyState } from "../shared/empty-state.js";
import { formatDate, formatUtcDate } from "../shared/format.js";
import { AlertIcon, WalletIcon } from "../shared/icons.js";
import { labelOf, payoutScheduleDescriptions, taxFormLabels } from "../shared/labels.js";
import { PageLoading, SkeletonRows } from "../shared/loading.js";
import { formatMoney } from "../shared/money.js";
import { PageHeader } from "../shared/page-header.js";
import { PayoutDetailView, PayoutStatusCell } from "../shared/payout-detail.js";
import { QueryError } from "../shared/query-error.js";
import { currentPeriod, StatementPanel } from "../shared/statement-view.js";
import type { Page, Payout, PayoutDetail, PayoutSummary, TaxFormStatus } from "../shared/types.js";
import { PayoutMethodCard } from "./payout-method-card.js";
import { portalKeys, usePortalEnrollmentsQuery } from "./portal-queries.js";

function SummaryCard({ summary }: { summary: PayoutSummary }) {
  const notYet = summary.approvedUnpaid - summary.payableNow;
  return (
    <article className="card payout-summary" aria-label={`${summary.programName} balance`}>
      <div className="payout-summary-head">
        <h2 className="card-title">{summary.programName}</h2>
        <span className="muted small">
          {payoutScheduleDescriptions[summary.schedule as keyof typeof payoutScheduleDescriptions] ?? summary.schedule}
          {summary.minimum > 0 ? ` Minimum payout ${formatMoney(summary.minimum, summary.currency)}.` : ""}
        </span>
      </div>
      <dl className="stat-tiles stat-tiles-3">
        <div className="stat-tile">
          <dt className="stat-label">Payable now</dt>
          <dd className="stat-value">{formatMoney(summary.payableNow, summary.currency)}</dd>
          <dd className="stat-sub">In the next payout run</dd>
        </div>
        <div className="stat-tile">
          <dt className="stat-label">Approved, not due yet</dt>
          <dd className="stat-value">{formatMoney(Math.max(notYet, 0), summary.currency)}</dd>
          <dd className="stat-sub">
            {notYet > 0 && summary.notDueFrom
              ? `Due for payout from ${formatUtcDate(summary.notDueFrom)}`
              : "Paid on the schedule"}
          </dd>
        </div>
        <div className="stat-tile">
          <dt className="stat-label">On its way</dt>
          <dd className="stat-value">{formatMoney(summary.inPayouts, summary.currency)}</dd>
          <dd className="stat-sub">In payouts being sent</dd>
        </div>
      </dl>
      {(summary.blockers.length > 0 || summary.lastSkip) && (
        <div className="payout-blockers" role="status">
          {summary.blockers.map((b) => (
            <p
              key={b.reason}
              className={b.reason === "below_minimum" ? "alert alert-info-soft" : "alert alert-warning"}
            >
              <AlertIcon size={16} />
              <span>{b.message}</span>
            </p>
          ))}
          {summary.lastSkip && !summary.blockers.some((b) => b.reason === summary.lastSkip?.reason) && (
            <p className="alert alert-warning">
              <AlertIcon size={16} />
              <span>
                The payout run of {formatDate(summary.lastSkip.at)} did not pay{" "}
                {formatMoney(summary.lastSkip.amount, summary.currency)}: {summary.lastSkip.message}
              </span>
            </p>
          )}
        </div>
      )}
    </article>
  );
}

function TaxFormCard({ requiredBy }: { requiredBy: string[] }) {
  const tax = useQuery({
    queryKey: [...portalKeys.payouts, "tax-form"],
    queryFn: () => api.get<TaxFormStatus>("/v1/portal/tax-form"),
  });
  return (
    <section className="card" aria-label="Tax form">
      <h2 className="card-title">Tax form</h2>
      {tax.isPending ? (
        <p className="muted">Loading…</p>
      ) : tax.isError ? (
        <QueryError error={tax.error} onRetry={() => tax.refetch()} />
      ) : (
        <div className="stack-sm">
          <p className="finance-value">
            {tax.data.form ? labelOf(taxFormLabels, tax.data.form) : "None on file"}
            {tax.data.form &&
              (tax.data.valid ? <Badge tone="success">Valid</Badge> : <Badge tone="danger">Lapsed</Badge>)}
            {!tax.data.form && requiredBy.length > 0 && <Badge tone="warning">Needed</Badge>}
          </p>
          <p className="muted small">
            {tax.data.form
              ? tax.data.validUntil
                ? `Valid until ${formatDate(tax.data.validUntil)}.`
                : "Does not lapse."
              : requiredBy.length > 0
                ? `${requiredBy.join(", ")} ${requiredBy.length === 1 ? "pays" : "pay"} only partners with a W-9, W-8BEN or W-8BEN-E on file. Send yours to the program team; your balance is kept meanwhile.`
                : "None of your programs needs one at the moment."}
          </p>
        </div>
      )}
    </section>
  );
}

/** /portal/payouts — balances and what blocks them, payouts, monthly statements, payout method and tax form. */
export function PayoutsPage() {
  const enrollments = usePortalEnrollmentsQuery();
  const [params, setParams] = useSearchParams();
  const openId = params.get("payout") ?? "";
  const programs = (enrollments.data ?? [])
    .filter((e) => e.status !== "applied" && e.status !== "rejected")
    .map((e) => ({ value: e.programId, label: e.programDetails.name }));
  const [programId, setProgramId] = useState("");
  const [period, setPeriod] = useState(currentPeriod());
  const summary = useQuery({
    queryKey: [...portalKeys.payouts, "summary"],
    queryFn: () => api.get<{ items: PayoutSummary[] }>("/v1/portal/payout-summary").then((r) => r.items),
  });
  const payouts = useQuery({
    queryKey: [...portalKeys.payouts, "list"],
    queryFn: () => api.get<Page<Payout>>("/v1/portal/payouts?limit=50"),
  });
  const detail = useQuery({
    queryKey: [...portalKeys.payouts, "detail", openId],
    queryFn: () => api.get<PayoutDetail>(`/v1/portal/payouts/${encodeURIComponent(openId)}`),
    enabled: Boolean(openId),
  });
  const programName = (id: string) => programs.find((p) => p.value === id)?.label ?? "";
  const taxBlocked = (summary.data ?? [])
    .filter((s) => s.blockers.some((b) => b.reason.startsWith("tax_form")))
    .map((s) => s.programName);
  const setOpen = (id: string) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (id) next.set("payout", id);
        else next.delete("payout");
        return next;
      },
      { replace: true },
    );
  return (
    <div className="portal-page">
      <PageHeader
        title="Payouts"
        description="What you will be paid and when, what you were paid, and your statements."
      />
      <div className="detail-grid">
        <div className="stack-lg">
          {summary.isPending ? (
            <SkeletonRows rows={2} columns={3} />
          ) : summary.isError ? (
            <QueryError error={summary.error} onRetry={() => summary.refetch()} />
          ) : (
            summary.data.map((s) => <SummaryCard key={s.programId} summary={s} />)
          )}

          <section className="card card-flush" aria-label="Payout history">
            <div className="card-head">
              <h2 className="card-title">Payouts</h2>
            </div>
            <DataTable
              query={payouts}
              skeleton={{ columns: 4 }}
              empty={
                <EmptyState icon={<WalletIcon size={28} />} title="No payouts yet">
                  Approved commissions are paid on each program's schedule.
                </EmptyState>
              }
              rows={payouts.data?.items ?? []}
              rowKey={(p) => p.id}
              rowProps={(p) => ({
                className: p.id === openId ? "row-clickable row-selected" : "row-clickable",
                onClick: () => setOpen(p.id),
              })}
              columns={[
                {
                  id: "date",
                  header: "Date",
                  cellClassName: "nowrap",
                  cell: (p) => (
                    <>
                      <div className="cell-title">{formatDate(p.paidAt ?? p.createdAt)}</div>
                      {programs.length > 1 && <div className="cell-sub">{programName(p.programId)}</div>}
                    </>
                  ),
                },
                {
                  id: "method",
                  header: "Method",
                  cell: (p) => p.methodMasked ?? <span className="muted">Being prepared</span>,
                },
                {
                  id: "amount",
                  header: "Amount",
                  className: "col-amount",
                  cellClassName: "amount",
                  cell: (p) => formatMoney(p.amount, p.currency),
                },
                { id: "status", header: "Status", cell: (p) => <PayoutStatusCell payout={p} audience="partner" /> },
                openerColumn<Payout>({
                  header: "Details",
                  label: (p) => `Payout of ${formatMoney(p.amount, p.currency)}`,
                  onOpen: (p) => setOpen(p.id),
                }),
              ]}
            />
          </section>

          <section className="card" aria-label="Statements">
            <h2 className="card-title">Statements</h2>
            <p className="card-subtitle">
              Your account with a program for a month: opening balance, what moved, closing balance.
            </p>
            <StatementPanel
              path="/v1/portal/statement"
              programs={programs}
              programId={programId}
              period={period}
              onProgramChange={setProgramId}
              onPeriodChange={setPeriod}
            />
          </section>
        </div>
        <aside className="stack-lg">
          <PayoutMethodCard />
          <TaxFormCard requiredBy={taxBlocked} />
        </aside>
      </div>
      <Drawer
        open={Boolean(openId)}
        onClose={() => setOpen("")}
        title={detail.data ? `Payout of ${formatMoney(detail.data.amount, detail.data.currency)}` : "Payout"}
        description={detail.data ? programName(detail.data.programId) : undefined}
      >
        {detail.isPending ? (
          <PageLoading label="Loading payout" />
        ) : detail.isError ? (
          <QueryError error={detail.error} onRetry={() => detail.refetch()} />
        ) : (
          <PayoutDetailView payout={detail.data} audience="partner" />
        )}
      </Drawer>
    </div>
  );
}
