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
import { BulkOutcome, newOutcome, type Outcome } from "./bulk-outcome.js";
import { describeEvidence } from "./fraud-evidence.js";
import { ruleName } from "./fraud-rule-labels.js";
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
type Standing = "active" | "suspended" | "banned" | "inactive";
interface PartnerGroup {
  partnerId: string;
  partnerName: string;
  standing: Standing;
  warnedAt: string | null;
  cases: number;
  held: number;
  rules: Record<string, number>;
  items: FraudCase[];
}
interface ReviewResult {
  updated: { conversionId: string; status: string; entriesMoved: number }[];
  skipped: { conversionId: string; reason: string }[];
}

const ACTION_TONES: Record<string, BadgeTone> = { flag: "info", hold: "warning", reject: "danger" };
const ACTION_LABELS: Record<string, string> = { flag: "Flagged", hold: "Held", reject: "Rejected by rule" };
const DECISION_WORDS: Record<string, string> = { flag: "flagged", hold: "held", reject: "rejected", allow: "allowed" };
const SOURCE_WORDS: Record<string, string> = { ingestion: "on arrival", sweep: "by the sweep", report: "by a report" };
const STANDING_BADGES: Record<Standing, { tone: BadgeTone; label: string } | undefined> = {
  active: undefined,
  suspended: { tone: "warning", label: "Suspended" },
  banned: { tone: "danger", label: "Banned" },
  inactive: { tone: "neutral", label: "No active enrollment" },
};
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
  reinstate: {
    title: "Reinstate partner",
    description: "Its suspended enrollments become active again: its links track again.",
    danger: false,
  },
  ban: {
    title: "Ban partner",
    description:
      "Every enrollment of this partner, in every program, is terminated; its unpaid commissions are held. This cannot be undone.",
    danger: true,
  },
} as const;
type PartnerActionKind = keyof typeof PARTNER_ACTIONS;
/** What can be done next, given where the partner stands: a suspended partner is reinstated, not suspended again. */
const ACTIONS_FOR: Record<Standing, PartnerActionKind[]> = {
  active: ["warn", "suspend", "ban"],
  suspended: ["warn", "reinstate", "ban"],
  inactive: ["warn", "ban"],
  banned: [],
};
const STANDING_AFTER: Partial<Record<PartnerActionKind, Standing>> = {
  suspend: "suspended",
  reinstate: "active",
  ban: "banned",
};
const DONE_WORDS: Record<PartnerActionKind, string> = {
  warn: "was warned: the warning shows in its portal",
  suspend: "is suspended: its links stop tracking until it is reinstated",
  reinstate: "is reinstated: its links track again",
  ban: "is banned: every enrollment is terminated",
};

/** The evidence a rule stored, as label/value lines in words (fraud-evidence.ts knows every rule's fields). */
function EvidenceList({ evidence }: { evidence: Record<string, unknown> }) {
  const { detail, fields } = describeEvidence(evidence);
  return (
    <div className="fraud-evidence">
      {detail && <p>{detail}</p>}
      {fields.length > 0 && (
        <dl>
          {fields.map((field) => (
            <div key={field.key}>
              <dt>{field.label}</dt>
              <dd className={field.mono ? "mono" : undefined}>
                {Array.isArray(field.value) ? (
                  <ul className="fraud-evidence-list">
                    {field.value.map((line, i) => (
                      // Lines may repeat (two matches saying the same); their order never changes.
                      // biome-ignore lint/suspicious/noArrayIndexKey: a fixed list rendered once
                      <li key={i}>{line}</li>
                    ))}
                  </ul>
                ) : (
                  field.value
                )}
              </dd>
            </div>
          ))}
        </dl>
      )}
    </div>
  );
}

/** A partner group's "select all": its open cases only, with how many decided ones it leaves out. */
function GroupSelect({
  group,
  open,
  selected,
  onToggle,
}: {
  group: PartnerGroup;
  open: string[];
  selected: Set<string>;
  onToggle: () => void;
}) {
  const count = open.filter((id) => selected.has(id)).length;
  const all = open.length > 0 && count === open.length;
  const leftOut = group.items.length - open.length;
  return (
    <label
      className="fraud-group-select"
      title={leftOut > 0 ? `${leftOut} decided cases cannot be selected` : undefined}
    >
      <input
        type="checkbox"
        className="checkbox"
        checked={all}
        disabled={open.length === 0}
        ref={(el) => {
          if (el) el.indeterminate = count > 0 && !all;
        }}
        onChange={onToggle}
        aria-label={`Select all ${open.length} open ${open.length === 1 ? "case" : "cases"} of ${group.partnerName}${leftOut > 0 ? ` (${leftOut} decided left out)` : ""}`}
      />
    </label>
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
  const [outcome, setOutcome] = useState<Outcome>();
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
      refresh();
      const moved = result.updated.reduce((n, u) => n + u.entriesMoved, 0);
      const n = result.updated.length;
      setOutcome(
        newOutcome({
          tone: result.skipped.length > 0 ? "warning" : "success",
          title: `${n} ${n === 1 ? "conversion" : "conversions"} ${body.action === "approve" ? "approved" : "rejected"} · ${moved} ledger ${moved === 1 ? "entry" : "entries"} updated${result.skipped.length > 0 ? ` · ${result.skipped.length} not changed` : ""}`,
          lines: result.skipped.map((s) => (
            <>
              <code>{s.conversionId}</code>: {s.reason}
            </>
          )),
        }),
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
      const name = partnerAction?.partner.partnerName ?? "The partner";
      setPartnerAction(undefined);
      // The header changes at once (badge, next actions); the refetch then confirms it from the server.
      queryClient.setQueryData<{ partners: PartnerGroup[]; total: number }>(key, (data) =>
        data
          ? {
              ...data,
              partners: data.partners.map((g) =>
                g.partnerId === input.partnerId
                  ? {
                      ...g,
                      standing: STANDING_AFTER[input.kind] ?? g.standing,
                      warnedAt: input.kind === "warn" ? new Date().toISOString() : g.warnedAt,
                    }
                  : g,
              ),
            }
          : data,
      );
      refresh();
      setOutcome(newOutcome({ tone: "success", title: `${name} ${DONE_WORDS[input.kind]}.` }));
    },
  });
  const sweep = useMutation({
    mutationFn: () => api.post<{ decisions: Record<string, number> }>("/v1/fraud/sweep", {}),
    onSuccess: (result) => {
      refresh();
      const n = Object.values(result.decisions).reduce((a, b) => a + b, 0);
      toast.success(n === 0 ? "The sweep found nothing new" : `The sweep made ${n} new decision${n === 1 ? "" : "s"}`);
    },
    onError: (error) => toast.error(error.message),
  });

  const groups = queue.data?.partners ?? [];
  const chosen = [...selected];
  const reviewable = canWrite && status === "open";
  /** Only open cases can be decided; a decided case in the group is left out of "select all" and counted. */
  const openIn = (group: PartnerGroup) => group.items.filter((c) => c.status === "open");
  const toggleGroup = (group: PartnerGroup) => {
    const ids = openIn(group).map((c) => c.conversionId);
    const all = ids.length > 0 && ids.every((id) => selected.has(id));
    setSelected((current) => {
      const next = new Set(current);
      for (const id of ids) {
        if (all) next.delete(id);
        else next.add(id);
      }
      return next;
    });
  };
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
      <section className="card card-flush" aria-label="Review queue" tabIndex={-1} data-focus-after-outcome>
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
        {reviewable && chosen.length > 0 && (
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
        <BulkOutcome outcome={outcome} onDismiss={() => setOutcome(undefined)} />
        <QueryState
          query={queue}
          skeleton={{ columns: 5 }}
          isEmpty={groups.length === 0}
          empty={
            <EmptyState icon={<AlertIcon size={28} />} title={status === "open" ? "Nothing to review" : "No cases"}>
              {status === "open"
                ? "Conversions the rules flag or hold appear here. Each program sets its rules and thresholds on its Fraud rules tab."
                : "No case has this status."}
            </EmptyState>
          }
        >
          {groups.map((group) => (
            <div key={group.partnerId} className="fraud-group">
              <div className="fraud-group-header">
                {reviewable && (
                  <GroupSelect
                    group={group}
                    open={openIn(group).map((c) => c.conversionId)}
                    selected={selected}
                    onToggle={() => toggleGroup(group)}
                  />
                )}
                <div className="fraud-group-title">
                  <div className="fraud-group-name">
                    <Link to={`/admin/partners/${group.partnerId}`} className="cell-title">
                      {group.partnerName}
                    </Link>
                    {STANDING_BADGES[group.standing] && (
                      <Badge tone={STANDING_BADGES[group.standing]!.tone}>
                        {STANDING_BADGES[group.standing]!.label}
                      </Badge>
                    )}
                  </div>
                  <div className="cell-sub">
                    {group.cases} {group.cases === 1 ? "case" : "cases"}
                    {group.held > 0 && ` · ${group.held} held`} ·{" "}
                    {Object.entries(group.rules)
                      .map(([rule, n]) => `${ruleName(rule)} ${n}`)
                      .join(", ")}
                    {group.warnedAt && (
                      <span title={formatDateTime(group.warnedAt)}> · warned {formatRelative(group.warnedAt)}</span>
                    )}
                  </div>
                </div>
                {canWrite && ACTIONS_FOR[group.standing].length > 0 && (
                  <div className="action-row">
                    {ACTIONS_FOR[group.standing].map((kind) => (
                      <Button
                        key={kind}
                        size="sm"
                        variant={PARTNER_ACTIONS[kind].danger ? "danger" : "secondary"}
                        onClick={() => setPartnerAction({ kind, partner: group })}
                        aria-label={`${sentenceCase(kind)} ${group.partnerName}`}
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
                  reviewable && {
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
                        disabled={c.status !== "open"}
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
                            {ruleName(d.rule)}{" "}
                            <span className="cell-sub">
                              · {DECISION_WORDS[d.action] ?? d.action} {SOURCE_WORDS[d.source] ?? d.source}
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
