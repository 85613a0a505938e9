import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { api } from "../shared/api.js";
import { Drawer } from "../shared/drawer.js";
import { formatDate, formatDateTime } from "../shared/format.js";
import { PageLoading } from "../shared/loading.js";
import { formatMoney } from "../shared/money.js";
import { PayoutStatusCell } from "../shared/payout-detail.js";
import { QueryError } from "../shared/query-error.js";
import type { PayoutRunDetail, PayoutSkipReason } from "../shared/types.js";
import { adminKeys, useProgramsQuery } from "./admin-queries.js";

/** Why a run left a partner out, for the team, and what unblocks it. */
export const skipReasonText: Record<PayoutSkipReason, { label: string; next: string }> = {
  below_minimum: {
    label: "Below the payout minimum",
    next: "The balance carries over and is paid once it reaches the program's minimum.",
  },
  no_payout_method: {
    label: "No payout method",
    next: "Paid at the first run after the partner adds one in the portal.",
  },
  tax_form_missing: {
    label: "No tax form on file",
    next: "Record the partner's tax form on their page; the next run pays them.",
  },
  tax_form_expired: {
    label: "Tax form lapsed",
    next: "Record the partner's new tax form on their page; the next run pays them.",
  },
};

const REASON_ORDER: PayoutSkipReason[] = ["no_payout_method", "tax_form_missing", "tax_form_expired", "below_minimum"];

type Skipped = PayoutRunDetail["skipped"];

/** Totals per currency of a list of amounts, in words: "$12.00 + €3.00". */
const totalOf = (lines: { amount: number; currency: string }[]) => {
  const sums = new Map<string, number>();
  for (const l of lines) sums.set(l.currency, (sums.get(l.currency) ?? 0) + l.amount);
  return [...sums].map(([currency, amount]) => formatMoney(amount, currency)).join(" + ");
};

function NotPaid({ skipped }: { skipped: Skipped }) {
  const groups = REASON_ORDER.map((reason) => ({ reason, rows: skipped.filter((s) => s.reason === reason) })).filter(
    (g) => g.rows.length > 0,
  );
  return (
    <>
      {groups.map(({ reason, rows }) => (
        <section key={reason} aria-label={skipReasonText[reason].label}>
          <h4 className="run-skip-reason">
            {skipReasonText[reason].label}{" "}
            <span className="muted">
              · {rows.length} · {totalOf(rows)}
            </span>
          </h4>
          <p className="muted small candidate-note">{skipReasonText[reason].next}</p>
          <ul className="mini-list">
            {rows.map((s) => (
              <li key={`${s.programId}:${s.partnerId}`} className="run-line run-line-skipped">
                <span>
                  <Link className="cell-link" to={`/admin/partners/${s.partnerId}`}>
                    {s.partnerName}
                  </Link>
                  {reason === "tax_form_expired" && <span className="cell-sub">{s.message}</span>}
                </span>
                <strong>{formatMoney(s.amount, s.currency)}</strong>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </>
  );
}

/** A payout run: the payouts it created as they stand now (paid, held, transfer failed) and who it did not pay, and why. */
export function PayoutRunDrawer({ runId, onClose }: { runId: string; onClose: () => void }) {
  const programs = useProgramsQuery();
  const run = useQuery({
    queryKey: [...adminKeys.payouts, "run", runId],
    queryFn: () => api.get<PayoutRunDetail>(`/v1/payout-runs/${encodeURIComponent(runId)}`),
    enabled: Boolean(runId),
  });
  const r = run.data;
  const programName = (id: string | null) =>
    id ? (programs.data?.find((p) => p.id === id)?.name ?? id) : "All programs";
  return (
    <Drawer
      open={Boolean(runId)}
      onClose={onClose}
      title={r ? `Payout run of ${formatDateTime(r.startedAt)}` : "Payout run"}
      description={r ? `${programName(r.programId)} · as of ${formatDate(r.asOf)} · by ${r.startedBy}` : undefined}
    >
      {run.isPending ? (
        <PageLoading label="Loading the payout run" />
      ) : run.isError ? (
        <QueryError error={run.error} onRetry={() => run.refetch()} />
      ) : (
        <div className="stack-lg">
          <section className="run-section" aria-label="Payouts created">
            <h3 className="subheading">
              {run.data.payoutsCreated} {run.data.payoutsCreated === 1 ? "payout" : "payouts"} created
              {run.data.payouts.length > 0 && <span className="muted"> · {totalOf(run.data.payouts)}</span>}
            </h3>
            {run.data.payouts.length === 0 ? (
              <p className="muted small">This run created no payout.</p>
            ) : (
              <ul className="mini-list">
                {run.data.payouts.map((p) => (
                  <li key={p.id} className="run-line">
                    <span>
                      <Link className="cell-link" to={`/admin/payouts?payout=${p.id}`}>
                        {p.partnerName ?? p.partnerId}
                      </Link>
                    </span>
                    <span className="run-status">
                      <PayoutStatusCell payout={p} />
                    </span>
                    <strong>{formatMoney(p.amount, p.currency)}</strong>
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section className="run-section" aria-label="Not paid">
            <h3 className="subheading">
              {run.data.partnersSkipped === 0
                ? "Every partner with a payable balance was paid"
                : `${run.data.partnersSkipped} ${run.data.partnersSkipped === 1 ? "partner" : "partners"} not paid`}
            </h3>
            <NotPaid skipped={run.data.skipped} />
            {run.data.skipped.length < run.data.partnersSkipped && (
              <p className="muted small">
                The first {run.data.skipped.length} are listed; each partner's page shows its own reason.
              </p>
            )}
          </section>
        </div>
      )}
    </Drawer>
  );
}
