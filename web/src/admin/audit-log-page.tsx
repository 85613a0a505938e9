import { useQuery } from "@tanstack/react-query";
import { Fragment, useId, useState } from "react";
import { Link } from "react-router";
import { api, queryString } from "../shared/api.js";
import { Badge, type BadgeTone } from "../shared/badge.js";
import { Button } from "../shared/button.js";
import { CursorPager } from "../shared/cursor-pager.js";
import { endOfDay, startOfDay } from "../shared/day-bounds.js";
import { EmptyState } from "../shared/empty-state.js";
import { formatDateTime, formatRelative } from "../shared/format.js";
import { ChevronDownIcon, ChevronRightIcon, LogIcon } from "../shared/icons.js";
import { PageHeader } from "../shared/page-header.js";
import { QueryState } from "../shared/query-state.js";
import { SelectField } from "../shared/select-field.js";
import { tableRoles } from "../shared/table-roles.js";
import { TextField } from "../shared/text-field.js";
import type { AuditEntry, Page } from "../shared/types.js";
import { useCursorPages } from "../shared/use-cursor-pages.js";
import { adminKeys } from "./admin-queries.js";
import { AuditDiff, changedFields } from "./audit-diff.js";
import { SearchInput } from "./search-input.js";
import { useSearchState } from "./use-search-state.js";

const ENTITY_TYPES = [
  "program",
  "partner",
  "partner_user",
  "enrollment",
  "invitation",
  "team_user",
  "api_key",
  "fraud_rule",
];
const ACTOR_TYPES: Record<string, string> = {
  team: "Team member",
  partner: "Partner",
  api_key: "API key",
  system: "System",
  public: "Public",
};
const ACTIONS = [
  "program.create",
  "program.update",
  "partner.create",
  "partner.update",
  "enrollment.apply",
  "enrollment.create",
  "enrollment.approve",
  "enrollment.reject",
  "enrollment.activate",
  "enrollment.suspend",
  "enrollment.terminate",
  "enrollment.accept_terms",
  "invitation.create",
  "invitation.accept",
  "partner_user.create",
  "team_user.create_owner",
  "team_user.create",
  "team_user.update",
  "team_user.log_in",
  "api_key.create",
  "api_key.revoke",
  "fraud_rule.update",
];
const actorTones: Record<string, BadgeTone> = {
  team: "accent",
  partner: "info",
  api_key: "warning",
  system: "muted",
  public: "neutral",
};

const humanize = (text: string) => text.replaceAll("_", " ");

function entityLink(entry: AuditEntry): string | undefined {
  if (entry.entityType === "program") return `/admin/programs/${entry.entityId}`;
  if (entry.entityType === "partner") return `/admin/partners/${entry.entityId}`;
  if (entry.entityType === "enrollment") return `/admin/applications/${entry.entityId}`;
  if (entry.entityType === "fraud_rule" && entry.programId) return `/admin/programs/${entry.programId}/fraud-rules`;
  if (entry.partnerId) return `/admin/partners/${entry.partnerId}`;
  return undefined;
}

export function AuditLogPage() {
  const [filters, setFilter] = useSearchState(["entityType", "actorType", "action", "since", "until"] as const);
  const [open, setOpen] = useState<Set<string>>(new Set());
  const actionListId = useId();
  const pages = useCursorPages(JSON.stringify(filters));
  const query = useQuery({
    queryKey: [...adminKeys.audit, filters, pages.cursor],
    queryFn: () =>
      api.get<Page<AuditEntry>>(
        `/v1/audit-log${queryString({
          entityType: filters.entityType,
          actorType: filters.actorType,
          action: filters.action.trim(),
          since: startOfDay(filters.since),
          until: endOfDay(filters.until),
          limit: 50,
          cursor: pages.cursor,
        })}`,
      ),
    placeholderData: (previous) => previous,
  });
  const toggle = (id: string) =>
    setOpen((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const filtered = Object.values(filters).some(Boolean);
  return (
    <div className="page">
      <PageHeader title="Audit log" description="Every change, who made it and what it changed. Newest first." />
      <div className="card card-flush">
        <div className="toolbar toolbar-wrap">
          <SelectField
            label="Record"
            value={filters.entityType}
            onChange={(v) => setFilter("entityType", v)}
            options={ENTITY_TYPES.map((t) => ({ value: t, label: humanize(t) }))}
            placeholder="All records"
            className="filter-field"
          />
          <SelectField
            label="Actor"
            value={filters.actorType}
            onChange={(v) => setFilter("actorType", v)}
            options={Object.entries(ACTOR_TYPES).map(([value, label]) => ({ value, label }))}
            placeholder="Anyone"
            className="filter-field"
          />
          <SearchInput
            label="Action"
            value={filters.action}
            onChange={(v) => setFilter("action", v)}
            placeholder="e.g. enrollment."
            list={actionListId}
            className="filter-field"
          />
          <datalist id={actionListId}>
            {ACTIONS.map((action) => (
              <option key={action} value={action} />
            ))}
          </datalist>
          <TextField
            label="From"
            type="date"
            value={filters.since}
            onChange={(v) => setFilter("since", v)}
            className="filter-field filter-date"
          />
          <TextField
            label="To"
            type="date"
            value={filters.until}
            onChange={(v) => setFilter("until", v)}
            className="filter-field filter-date"
          />
        </div>
        <QueryState
          query={query}
          skeleton={{ columns: 5 }}
          isEmpty={query.data?.items.length === 0}
          empty={
            <EmptyState icon={<LogIcon size={28} />} title={filtered ? "No events match" : "Nothing recorded yet"}>
              {filtered
                ? "Widen the dates or clear a filter."
                : "Changes to programs, partners and settings appear here."}
            </EmptyState>
          }
        >
          {/* Not a DataTable: each entry can open a second row with its changes. Its cards on a phone are the same. */}
          <table {...tableRoles.table} className="table table-cards audit-table">
            <thead {...tableRoles.rowgroup}>
              <tr {...tableRoles.row}>
                <th {...tableRoles.columnheader} scope="col" className="col-toggle">
                  <span className="visually-hidden">Details</span>
                </th>
                {["When", "Actor", "Action", "Record", "Changes"].map((header) => (
                  <th key={header} {...tableRoles.columnheader} scope="col">
                    {header}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody {...tableRoles.rowgroup}>
              {(query.data?.items ?? []).map((entry) => {
                const expanded = open.has(entry.id);
                const count = changedFields(entry.before, entry.after).length;
                const link = entityLink(entry);
                return (
                  <Fragment key={entry.id}>
                    <tr {...tableRoles.row} className={expanded ? "row-expanded" : undefined}>
                      <td {...tableRoles.cell} className="col-toggle">
                        <Button
                          size="sm"
                          variant="ghost"
                          className="btn-icon"
                          aria-expanded={expanded}
                          aria-label={`${expanded ? "Hide" : "Show"} changes of ${entry.action}`}
                          onClick={() => toggle(entry.id)}
                        >
                          {expanded ? <ChevronDownIcon size={16} /> : <ChevronRightIcon size={16} />}
                        </Button>
                      </td>
                      <td {...tableRoles.cell} className="cell-primary" title={formatDateTime(entry.at)}>
                        <div className="cell-title">{formatRelative(entry.at)}</div>
                        <div className="cell-sub">{formatDateTime(entry.at)}</div>
                      </td>
                      <td {...tableRoles.cell} data-label="Actor">
                        <div className="cell-title">{entry.actorLabel}</div>
                        <Badge tone={actorTones[entry.actorType] ?? "neutral"} dot={false}>
                          {ACTOR_TYPES[entry.actorType] ?? entry.actorType}
                        </Badge>
                      </td>
                      <td {...tableRoles.cell} data-label="Action">
                        <code className="action-code">{entry.action}</code>
                      </td>
                      <td {...tableRoles.cell} data-label="Record">
                        <div className="capitalize">{humanize(entry.entityType)}</div>
                        <div className="cell-sub mono">
                          {link ? <Link to={link}>{entry.entityId}</Link> : entry.entityId}
                        </div>
                      </td>
                      <td {...tableRoles.cell} className="muted" data-label="Changes">
                        {count ? `${count} field${count === 1 ? "" : "s"}` : "—"}
                      </td>
                    </tr>
                    {expanded && (
                      <tr {...tableRoles.row} className="row-detail">
                        <td {...tableRoles.cell} />
                        <td {...tableRoles.cell} colSpan={5}>
                          <AuditDiff before={entry.before} after={entry.after} />
                          {entry.ip && <p className="muted small">From {entry.ip}</p>}
                        </td>
                      </tr>
                    )}
                  </Fragment>
                );
              })}
            </tbody>
          </table>
        </QueryState>
        <CursorPager
          pages={pages}
          count={query.data?.items.length ?? 0}
          nextCursor={query.data?.nextCursor}
          noun="events"
        />
      </div>
    </div>
  );
}
