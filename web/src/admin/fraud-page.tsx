import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router";
import { api, queryString } from "../shared/api.js";
import { Badge, type BadgeTone } from "../shared/badge.js";
import { BulkBar } from "../shared/bulk-bar.js";
import { Button } from "../shared/button.js";
import { DataTable } from "../shared/data-table.js";
import { EmptyState } from "../shared/empty-state.js";
import { formatDateTime, formatRelative } from "../shared/format.js";
import { AlertIcon } from "../shared/icons.js";
import { formatMoney } from "../shared/money.js";
import { PageHeader } from "../shared/page-header.js";
import { QueryState } from "../shared/query-state.js";
import { SelectField } from "../shared/select-field.js";
import { sentenceCase } from "../shared/sentence-case.js";
import { useToast } from "../shared/toast.js";
import { ProgramFilter } from "./program-filter.js";
import { ReasonDialog } from "./reason-dialog.js";
import { useMe } from "./use-me.js";
import { useSearchState } from "./use-search-state.js";

interface Decision {
  id: string;
  rule: string;
  action: string;
  evidence: Record<string, unknown>;
  source: string;
  decidedAt: string;
}
interface FraudCase {
  conversionId: string;
  programId: string;
  partnerId: string;
  action: "flag" | "hold" | "reject";
  status: "open" | "approved" | "rejected";
  rules: string[];
  reason: string | null;
  reviewedBy: string | null;
  reviewedAt: string | null;
  openedAt: string;
  conversion: { kind: string; amount: number | null; currency: string | null; occurredAt: string };
  commission: { amount: number; currency: string | null; statuses: string[] };
  decisions: Decision[];
}
interface PartnerGroup {
  partnerId: string;
  partnerName: string;
  cases: number;
  held: number;
  rules: Record<string, number>;
  items: FraudCase[];
}
interface ReviewResult {
  updated: { conversionId: string; status: string; entriesMoved: number }[];
  skipped: { conversionId: string; reason: string }[];
}

const RULE_LABELS: Record<string, string> = {
  self_referral: "Self-referral",
  duplicate_customer: "Duplicate customer",
  duplicate_order: "Duplicate order",
  velocity: "IP/device velocity",
  click_injection: "Click injection",
  click_spamming: "Click spamming",
  disposable_email: "Disposable email",
  bot_user_agent: "Bot user agent",
  cookie_stuffing: "Cookie stuffing",
  conversion_rate_outlier: "Conversion-rate outlier",
  manual_report: "Manual report",
};
const ACTION_TONES: Record<string, BadgeTone> = { flag: "info", hold: "warning", reject: "danger" };
const ACTION_LABELS: Record<string, string> = { flag: "Flagged", hold: "Held", reject: "Rejected by rule" };
const STATUS_OPTIONS = [
  { value: "open", label: "Open" },
  { value: "approved", label: "Approved" },
  { value: "rejected", label: "Rejected" },
];
const PARTNER_ACTIONS = {
  warn: { title: "Warn partner", description: "The partner sees a warning in its portal.", danger: false },
  suspend: {
    title: "Suspend partner",
    description: "Every active enrollment is suspended: its links stop tracking until reinstated.",
    danger: true,
  },
  ban: {
    title: "Ban partner",
    description:
      "Every enrollment of this partner, in every program, is terminated; its unpaid commissions are held. This cannot be undone.",
    danger: true,
  },
} as const;
type PartnerActionKind = keyof typeof PARTNER_ACTIONS;

const ruleLabel = (rule: string) => RULE_LABELS[rule] ?? sentenceCase(rule.replaceAll("_", " "));

/** Lists of strings (a rule's matches, other conversions' ids) one per line; other nested values as compact JSON. */
function EvidenceValue({ value }: { value: unknown }) {
  if (typeof value === "string" || typeof value === "number") return <>{String(value)}</>;
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === "string"))
    return (
      <ul className="fraud-evidence-list">
        {value.map((line, i) => (
          // Lines may repeat (two matches saying the same); their order never changes.
          // biome-ignore lint/suspicious/noArrayIndexKey: a fixed list rendered once
          <li key={i}>{line.includes(" ") ? sentenceCase(line) : line}</li>
        ))}
      </ul>
    );
  return <>{JSON.stringify(value)}</>;
}

/** The evidence a rule stored, as label/value lines. */
function EvidenceList({ evidence }: { evidence: Record<string, unknown> }) {
  const { detail, ...rest } = evidence;
  return (
    <div className="fraud-evidence">
      {typeof detail === "string" && <p>{sentenceCase(detail)}</p>}
      <dl>
        {Object.entries(rest).map(([key, value]) => (
          <div key={key}>
            <dt>{key}</dt>
            <dd>
              <EvidenceValue value={value} />
            </dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

/** /admin/fraud — the review queue: flagged and held conversions by partner, with each rule's evidence. */
export function FraudPage() {
  const { can } = useMe();
  const canWrite = can("fraud:write");
  const queryClient = useQueryClient();
  const toast = useToast();
  const [filters, setFilter] = useSearchState(["programId", "status"] as const);
  const status = filters.status || "open";
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [rejecting, setRejecting] = useState<string[]>();
  const [partnerAction, setPartnerAction] = useState<{ kind: PartnerActionKind; partner: PartnerGroup }>();
  const [skipped, setSkipped] = useState<ReviewResult["skipped"]>([]);
  const key = ["admin", "fraud", "queue", filters.programId, status];

  const queue = useQuery({
    queryKey: key,
    queryFn: () =>
      api.get<{ partners: PartnerGroup[]; total: number }>(
        `/v1/fraud/review-queue${queryString({ programId: filters.programId || undefined, status })}`,
      ),
  });
  const refresh = () => {
    queryClient.invalidateQueries({ queryKey: ["admin", "fraud"] });
    queryClient.invalidateQueries({ queryKey: ["admin", "commissions"] });
  };
  const review = useMutation({
    mutationFn: (body: { action: "approve" | "reject"; conversionIds: string[]; reason?: string }) =>
      api.post<ReviewResult>("/v1/fraud/review", body),
    onSuccess: (result, body) => {
      setSelected(new Set());
      setRejecting(undefined);
      setSkipped(result.skipped);
      refresh();
      const moved = result.updated.reduce((n, u) => n + u.entriesMoved, 0);
      toast.success(
        `${result.updated.length} ${result.updated.length === 1 ? "conversion" : "conversions"} ${body.action === "approve" ? "approved" : "rejected"} · ${moved} ledger ${moved === 1 ? "entry" : "entries"} updated`,
      );
    },
  });
  const act = useMutation({
    mutationFn: (input: { kind: PartnerActionKind; partnerId: string; reason: string; message?: string }) =>
      api.post(`/v1/partners/${encodeURIComponent(input.partnerId)}/actions`, {
        kind: input.kind,
        reason: input.reason,
        message: input.message,
      }),
    onSuccess: (_result, input) => {
      setPartnerAction(undefined);
      refresh();
      toast.success(`${PARTNER_ACTIONS[input.kind].title}: done`);
    },
  });
  const sweep = useMutation({
    mutationFn: () => api.post<{ decisions: Record<string, number> }>("/v1/fraud/sweep", {}),
    onSuccess: (result) => {
      refresh();
      const n = Object.values(result.decisions).reduce((a, b) => a + b, 0);
      toast.success(n === 0 ? "The sweep found nothing new" : `The sweep made ${n} new decisions`);
    },
    onError: (error) => toast.error(error.message),
  });

  const groups = queue.data?.partners ?? [];
  const chosen = [...selected];
  const toggle = (id: string) =>
    setSelected((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <div className="page">
      <PageHeader
        title="Fraud review"
        description="Conversions the fraud rules flagged, held or rejected, grouped by partner, with the evidence each rule saw. Approving releases held commissions; rejecting rejects them."
        actions={
          canWrite && (
            <Button
              loading={sweep.isPending}
              onClick={() => sweep.mutate()}
              title="The sweep also runs every 30 minutes"
            >
              Run sweep now
            </Button>
          )
        }
      />
      <section className="card card-flush" aria-label="Review queue">
        <div className="toolbar toolbar-wrap">
          <ProgramFilter
            value={filters.programId}
            onChange={(v) => {
              setSelected(new Set());
              setFilter("programId", v);
            }}
          />
          <SelectField
            label="Status"
            value={status}
            onChange={(v) => {
              setSelected(new Set());
              setFilter("status", v);
            }}
            options={STATUS_OPTIONS}
            className="filter-field"
          />
        </div>
        {canWrite && status === "open" && chosen.length > 0 && (
          <BulkBar
            label="Selected conversions"
            summary={`${chosen.length} selected`}
            onClear={() => setSelected(new Set())}
          >
            <Button
              size="sm"
              variant="primary"
              loading={review.isPending && review.variables?.action === "approve"}
              onClick={() =>
                review.mutate(
                  { action: "approve", conversionIds: chosen },
                  { onError: (error) => toast.error(error.message) },
                )
              }
            >
              Approve
            </Button>
            <Button size="sm" variant="danger" onClick={() => setRejecting(chosen)}>
              Reject
            </Button>
          </BulkBar>
        )}
        {skipped.length > 0 && (
          <div className="alert alert-warning" role="status">
            <p>
              {skipped.map((s) => (
                <span key={s.conversionId}>
                  {s.conversionId}: {s.reason}.{" "}
                </span>
              ))}
            </p>
            <Button size="sm" variant="ghost" onClick={() => setSkipped([])}>
              Dismiss
            </Button>
          </div>
        )}
        <QueryState
          query={queue}
          skeleton={{ columns: 5 }}
          isEmpty={groups.length === 0}
          empty={
            <EmptyState icon={<AlertIcon size={28} />} title={status === "open" ? "Nothing to review" : "No cases"}>
              {status === "open"
                ? "Conversions the rules flag or hold appear here. Rules and thresholds are set per program."
                : "No case has this status."}
            </EmptyState>
          }
        >
          {groups.map((group) => (
            <div key={group.partnerId} className="fraud-group">
              <div className="fraud-group-header">
                <div>
                  <Link to={`/admin/partners/${group.partnerId}`} className="cell-title">
                    {group.partnerName}
                  </Link>
                  <div className="cell-sub">
                    {group.cases} {group.cases === 1 ? "case" : "cases"}
                    {group.held > 0 && ` · ${group.held} held`} ·{" "}
                    {Object.entries(group.rules)
                      .map(([rule, n]) => `${ruleLabel(rule)} ${n}`)
                      .join(", ")}
                  </div>
                </div>
                {canWrite && (
                  <div className="action-row">
                    {(Object.keys(PARTNER_ACTIONS) as PartnerActionKind[]).map((kind) => (
                      <Button
                        key={kind}
                        size="sm"
                        variant={kind === "warn" ? "secondary" : "danger"}
                        onClick={() => setPartnerAction({ kind, partner: group })}
                      >
                        {sentenceCase(kind)}
                      </Button>
                    ))}
                  </div>
                )}
              </div>
              <DataTable
                rows={group.items}
                rowKey={(c) => c.conversionId}
                columns={[
                  canWrite &&
                    status === "open" && {
                      id: "select",
                      header: "Select",
                      headerHidden: true,
                      className: "col-check",
                      cell: (c) => (
                        <input
                          type="checkbox"
                          className="checkbox"
                          aria-label={`Select conversion ${c.conversionId}`}
                          checked={selected.has(c.conversionId)}
                          onChange={() => toggle(c.conversionId)}
                        />
                      ),
                    },
                  {
                    id: "conversion",
                    header: "Conversion",
                    cellTitle: (c) => formatDateTime(c.conversion.occurredAt),
                    cell: (c) => (
                      <>
                        <div className="cell-title">
                          {sentenceCase(c.conversion.kind)}
                          {c.conversion.amount !== null &&
                            c.conversion.currency &&
                            ` · ${formatMoney(c.conversion.amount, c.conversion.currency)}`}
                        </div>
                        <div className="cell-sub">
                          {formatRelative(c.conversion.occurredAt)} · <code>{c.conversionId}</code>
                        </div>
                      </>
                    ),
                  },
                  {
                    id: "rules",
                    header: "Rules and evidence",
                    cell: (c) =>
                      c.decisions.map((d) => (
                        <details key={d.id} className="fraud-decision">
                          <summary>
                            {ruleLabel(d.rule)}{" "}
                            <span className="cell-sub">
                              ({d.action}, {d.source})
                            </span>
                          </summary>
                          <EvidenceList evidence={d.evidence} />
                        </details>
                      )),
                  },
                  {
                    id: "commission",
                    header: "Commission",
                    className: "col-amount",
                    cell: (c) => (
                      <>
                        {c.commission.currency ? formatMoney(c.commission.amount, c.commission.currency) : "—"}
                        <div className="cell-sub">{c.commission.statuses.join(", ")}</div>
                      </>
                    ),
                  },
                  {
                    id: "status",
                    header: "Status",
                    cell: (c) => (
                      <>
                        <Badge
                          tone={
                            c.status === "open"
                              ? ACTION_TONES[c.action]
                              : c.status === "approved"
                                ? "success"
                                : "danger"
                          }
                        >
                          {c.status === "open" ? ACTION_LABELS[c.action] : sentenceCase(c.status)}
                        </Badge>
                        {c.reason && <div className="cell-sub">{c.reason}</div>}
                      </>
                    ),
                  },
                ]}
              />
            </div>
          ))}
        </QueryState>
      </section>
      <ReasonDialog
        open={Boolean(rejecting)}
        title="Reject conversions"
        description="Their unpaid commissions are rejected. This is final: the ledger never un-rejects."
        confirmLabel="Reject"
        danger
        reasonRequired
        hint="For your team: the partner only sees that the conversion was rejected after review."
        pending={review.isPending}
        error={review.error}
        onConfirm={(reason) => review.mutate({ action: "reject", conversionIds: rejecting ?? [], reason })}
        onClose={() => setRejecting(undefined)}
      />
      <ReasonDialog
        open={Boolean(partnerAction)}
        title={
          partnerAction ? `${PARTNER_ACTIONS[partnerAction.kind].title}: ${partnerAction.partner.partnerName}` : ""
        }
        description={partnerAction ? PARTNER_ACTIONS[partnerAction.kind].description : ""}
        confirmLabel={partnerAction ? sentenceCase(partnerAction.kind) : "Confirm"}
        danger={partnerAction ? PARTNER_ACTIONS[partnerAction.kind].danger : false}
        reasonRequired
        hint="For your team and the audit log."
        message={{
          label: "Message to the partner",
          hint: "Shown in the partner's portal. Leave it empty to send the standard notice; never paste the evidence here.",
        }}
        pending={act.isPending}
        error={act.error}
        onConfirm={(reason, message) =>
          partnerAction &&
          act.mutate({ kind: partnerAction.kind, partnerId: partnerAction.partner.partnerId, reason, message })
        }
        onClose={() => setPartnerAction(undefined)}
      />
    </div>
  );
}
