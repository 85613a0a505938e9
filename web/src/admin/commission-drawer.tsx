import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { api } from "../shared/api.js";
import { Button } from "../shared/button.js";
import { CommissionExplanationView } from "../shared/commission-explanation.js";
import { Drawer } from "../shared/drawer.js";
import { formatDateTime } from "../shared/format.js";
import { commissionKindLabels } from "../shared/labels.js";
import { formatMoney } from "../shared/money.js";
import { sentenceCase } from "../shared/sentence-case.js";
import { CommissionStatusBadge } from "../shared/status-badge.js";
import type { CommissionEntry, ReviewAction } from "../shared/types.js";
import { adminKeys } from "./admin-queries.js";

interface HistoryItem {
  at: string;
  action: string;
  status: string | null;
  reason: string | null;
  actor: { type: string; name: string; email: string | null };
}

const HISTORY_WORDS: Record<string, string> = {
  adjust: "Created",
  approve: "Approved",
  hold: "Put on hold",
  reject: "Rejected",
  release: "Released from fraud review",
};

/** Who did it: a team member by name with the email beside it, anything else by the label it acted under. */
function Actor({ actor }: { actor: HistoryItem["actor"] }) {
  return (
    <span className="history-actor">
      {actor.name}
      {actor.email && actor.email !== actor.name && <span className="cell-sub"> ({actor.email})</span>}
    </span>
  );
}

/** The entry's decisions, oldest first, from the audit log: who created, approved, held or rejected it, and why. */
function EntryHistory({ entryId }: { entryId: string }) {
  const history = useQuery({
    queryKey: [...adminKeys.commissions, "history", entryId],
    queryFn: () => api.get<{ items: HistoryItem[] }>(`/v1/commissions/${encodeURIComponent(entryId)}/history`),
  });
  const items = history.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <section aria-label="History">
      <h3 className="subheading">History</h3>
      <ol className="entry-history">
        {items.map((item) => (
          <li key={`${item.at}:${item.action}`}>
            <span>
              {HISTORY_WORDS[item.action] ?? sentenceCase(item.action)} by <Actor actor={item.actor} />
            </span>
            <span className="cell-sub">{formatDateTime(item.at)}</span>
            {item.reason && <span className="reason-text">“{item.reason}”</span>}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** Which review actions make sense for an entry (the server decides; this only hides the pointless buttons). */
export function reviewActionsFor(entry: CommissionEntry): ReviewAction[] {
  if (entry.payoutId || entry.kind === "reversal" || entry.kind === "clawback") return [];
  const actions: ReviewAction[] = [];
  if (entry.status === "pending" || entry.status === "held") actions.push("approve");
  if (entry.status === "pending" || entry.status === "approved") actions.push("hold");
  if (entry.status !== "rejected" && entry.status !== "paid") actions.push("reject");
  return actions;
}

const ACTION_LABELS: Record<ReviewAction, string> = { approve: "Approve", hold: "Hold", reject: "Reject" };

/** One ledger entry: the amount, why it is that amount (step by step), where it came from, and what can be done with it. */
export function CommissionDrawer({
  entry,
  programName,
  canReview,
  onReview,
  onClose,
}: {
  entry: CommissionEntry | undefined;
  programName: (programId: string) => string;
  canReview: boolean;
  onReview: (entry: CommissionEntry, action: ReviewAction) => void;
  onClose: () => void;
}) {
  const actions = entry && canReview ? reviewActionsFor(entry) : [];
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
          "Commission"
        )
      }
      description={
        entry
          ? `${commissionKindLabels[entry.kind]} · ${entry.partnerName ?? entry.partnerId} · ${formatDateTime(entry.occurredAt)}`
          : undefined
      }
    >
      {entry && (
        <div className="stack-lg">
          <section>
            <h3 className="subheading">Why this amount</h3>
            <CommissionExplanationView explanation={entry.explanation} />
          </section>
          {entry.statusReason && (
            <section className="commission-reason">
              <h3 className="subheading">Reason</h3>
              <p className="reason-text">“{entry.statusReason}”</p>
            </section>
          )}
          <section>
            <h3 className="subheading">Details</h3>
            <dl className="details details-compact">
              <dt>Partner</dt>
              <dd>
                <Link to={`/admin/partners/${entry.partnerId}`}>{entry.partnerName ?? entry.partnerId}</Link>
              </dd>
              <dt>Program</dt>
              <dd>
                <Link to={`/admin/programs/${entry.programId}/commissions`}>{programName(entry.programId)}</Link>
              </dd>
              <dt>Kind</dt>
              <dd>{commissionKindLabels[entry.kind]}</dd>
              <dt>Earned</dt>
              <dd>{formatDateTime(entry.occurredAt)}</dd>
              {entry.holdUntil && entry.status === "pending" && (
                <>
                  <dt>Holding until</dt>
                  <dd>{formatDateTime(entry.holdUntil)}</dd>
                </>
              )}
              <dt>Status since</dt>
              <dd>{formatDateTime(entry.statusChangedAt)}</dd>
              {entry.conversionId && (
                <>
                  <dt>Conversion</dt>
                  <dd>
                    <Link className="mono" to={`/admin/conversions?conversion=${entry.conversionId}`}>
                      {entry.conversionId}
                    </Link>
                  </dd>
                </>
              )}
              {entry.ruleId && (
                <>
                  <dt>Rule</dt>
                  <dd className="mono">{entry.ruleId}</dd>
                </>
              )}
              {entry.sourceEntryId && (
                <>
                  <dt>Corrects</dt>
                  <dd className="mono">{entry.sourceEntryId}</dd>
                </>
              )}
              {entry.payoutId && (
                <>
                  <dt>Payout</dt>
                  <dd>
                    <Link className="mono" to={`/admin/payouts?payout=${entry.payoutId}`}>
                      {entry.payoutId}
                    </Link>
                  </dd>
                </>
              )}
              <dt>Entry id</dt>
              <dd className="mono">{entry.id}</dd>
            </dl>
          </section>
          <EntryHistory entryId={entry.id} />
          {actions.length > 0 && (
            <div className="drawer-actions">
              {actions.map((action) => (
                <Button
                  key={action}
                  variant={action === "approve" ? "primary" : action === "reject" ? "danger" : "secondary"}
                  onClick={() => onReview(entry, action)}
                >
                  {ACTION_LABELS[action]}
                </Button>
              ))}
            </div>
          )}
        </div>
      )}
    </Drawer>
  );
}
