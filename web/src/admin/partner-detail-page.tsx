import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useParams } from "react-router";
import { api } from "../shared/api.js";
import { BreakdownCard } from "../shared/breakdown-card.js";
import { Button } from "../shared/button.js";
import { countryName } from "../shared/countries.js";
import { DataTable } from "../shared/data-table.js";
import { EmptyState } from "../shared/empty-state.js";
import { formatDate, formatRelative } from "../shared/format.js";
import { EditIcon } from "../shared/icons.js";
import { enrollmentSourceLabels, labelOf, partnerTypeLabels } from "../shared/labels.js";
import { PageLoading } from "../shared/loading.js";
import { PageHeader } from "../shared/page-header.js";
import { PerformancePanel } from "../shared/performance-panel.js";
import { QueryError } from "../shared/query-error.js";
import { EnrollmentStatusBadge } from "../shared/status-badge.js";
import type { Enrollment, PartnerDetail } from "../shared/types.js";
import { adminKeys } from "./admin-queries.js";
import { ContactList } from "./contact-list.js";
import { EnrollmentActions } from "./enrollment-actions.js";
import { PartnerCouponsPanel } from "./partner-coupons-panel.js";
import { PartnerFinancePanel, RecruiterDialog, RecruiterName, TierDialog } from "./partner-finance-panel.js";
import { PartnerFormDialog } from "./partner-form-dialog.js";
import { PartnerLinksPanel } from "./partner-links-panel.js";
import { useMe } from "./use-me.js";

export function PartnerDetailPage() {
  const { id = "" } = useParams();
  const { can } = useMe();
  const [editing, setEditing] = useState(false);
  // One range for the partner's figures: the totals and "What performs" count the same days.
  const [days, setDays] = useState(30);
  const [tiering, setTiering] = useState<Enrollment>();
  const [recruiting, setRecruiting] = useState(false);
  const query = useQuery({
    queryKey: adminKeys.partner(id),
    queryFn: () => api.get<PartnerDetail>(`/v1/partners/${encodeURIComponent(id)}`),
  });
  if (query.isPending) return <PageLoading />;
  if (query.isError)
    return (
      <div className="page">
        <QueryError error={query.error} onRetry={() => query.refetch()} />
      </div>
    );
  const partner = query.data;
  const programName = (programId: string) =>
    partner.enrollments?.find((e) => e.programId === programId)?.programName ??
    partner.enrollmentDetails.find((e) => e.programId === programId)?.program?.name ??
    programId;
  // Links, coupons and results exist once a partner has been approved somewhere.
  const tracked = partner.enrollmentDetails.some((e) => e.status !== "applied" && e.status !== "rejected");
  return (
    <div className="page">
      <PageHeader
        title={partner.name}
        back={{ to: "/admin/partners", label: "Partners" }}
        meta={
          <>
            <span>{partnerTypeLabels[partner.type]}</span>
            <span>{countryName(partner.country)}</span>
            <span>Partner since {formatDate(partner.createdAt)}</span>
          </>
        }
        actions={
          can("partners:write") && (
            <Button icon={<EditIcon size={16} />} onClick={() => setEditing(true)}>
              Edit profile
            </Button>
          )
        }
      />
      <div className="detail-grid">
        <div className="stack-lg">
          <section className="card card-flush">
            <div className="card-head">
              <h2 className="card-title">Programs</h2>
            </div>
            {partner.enrollmentDetails.length === 0 ? (
              <EmptyState title="Not enrolled in any program" />
            ) : (
              <DataTable
                rows={partner.enrollmentDetails}
                rowKey={(e) => e.id}
                columns={[
                  {
                    id: "program",
                    header: "Program",
                    cell: (e) => (
                      <>
                        <Link className="cell-title cell-link" to={`/admin/programs/${e.programId}`}>
                          {programName(e.programId)}
                        </Link>
                        <div className="cell-sub">
                          {labelOf(enrollmentSourceLabels, e.source)} ·{" "}
                          <Link to={`/admin/applications/${e.id}`}>Details</Link>
                        </div>
                      </>
                    ),
                  },
                  {
                    id: "status",
                    header: "Status",
                    cell: (e) => (
                      <>
                        <EnrollmentStatusBadge status={e.status} />
                        {e.statusReason && <div className="cell-sub reason-text">“{e.statusReason}”</div>}
                      </>
                    ),
                  },
                  {
                    id: "since",
                    header: "Since",
                    cellTitle: (e) => formatDate(e.statusChangedAt),
                    cell: (e) => formatRelative(e.statusChangedAt),
                  },
                  {
                    id: "tier",
                    header: "Tier",
                    className: "nowrap",
                    cell: (e) => (
                      <>
                        {e.tier ? <span className="tag tag-tier">{e.tier}</span> : <span className="muted">—</span>}
                        {can("partners:write") && (
                          <button
                            type="button"
                            className="icon-button icon-button-sm"
                            aria-label={`Set the tier in ${programName(e.programId)}`}
                            onClick={() => setTiering(e)}
                          >
                            <EditIcon size={14} />
                          </button>
                        )}
                      </>
                    ),
                  },
                  {
                    id: "terms",
                    header: "Terms",
                    cell: (e) => (e.termsVersionAccepted ? `v${e.termsVersionAccepted}` : "—"),
                  },
                  can("partners:write") && {
                    id: "actions",
                    header: "Actions",
                    headerHidden: true,
                    cellClassName: "cell-actions",
                    cell: (e) => (
                      <EnrollmentActions
                        enrollment={e}
                        partnerName={partner.name}
                        programName={programName(e.programId)}
                      />
                    ),
                  },
                ]}
              />
            )}
          </section>
          {tracked && (
            <>
              {/* Keyed by partner: moving to another partner's page must not show this one's figures meanwhile. */}
              <PerformancePanel
                key={`performance-${partner.id}`}
                path="/v1/stats"
                area="admin"
                params={{ partnerId: partner.id }}
                days={days}
                onDaysChange={setDays}
              />
              <BreakdownCard
                key={`breakdown-${partner.id}`}
                path="/v1/stats/breakdown"
                area="admin"
                params={{ partnerId: partner.id }}
                days={days}
              />
              <PartnerLinksPanel partner={partner} programName={programName} />
              <PartnerCouponsPanel partner={partner} programName={programName} />
              <PartnerFinancePanel partner={partner} />
            </>
          )}
          <section className="card card-flush">
            <div className="card-head">
              <h2 className="card-title">Portal users</h2>
            </div>
            {partner.users.length === 0 ? (
              <EmptyState title="No portal users">
                People join when they apply on a program page or accept an invitation.
              </EmptyState>
            ) : (
              <DataTable
                rows={partner.users}
                rowKey={(u) => u.id}
                columns={[
                  { id: "name", header: "Name", cellClassName: "cell-title", cell: (u) => u.name },
                  { id: "email", header: "Email", cell: (u) => u.email },
                  { id: "joined", header: "Joined", cell: (u) => formatDate(u.createdAt) },
                ]}
              />
            )}
          </section>
        </div>
        <aside className="stack-lg">
          <section className="card">
            <h2 className="card-title">Profile</h2>
            <dl className="details details-stacked">
              <dt>Type</dt>
              <dd>{partnerTypeLabels[partner.type]}</dd>
              <dt>Country</dt>
              <dd>{countryName(partner.country)}</dd>
              <dt>Website</dt>
              <dd>
                {partner.website ? (
                  <a href={partner.website} target="_blank" rel="noreferrer noopener">
                    {partner.website.replace(/^https?:\/\//, "")}
                  </a>
                ) : (
                  "—"
                )}
              </dd>
              <dt>Recruited by</dt>
              <dd>
                <RecruiterName partnerId={partner.recruitedByPartnerId} />
                {can("partners:write") && (
                  <button
                    type="button"
                    className="icon-button icon-button-sm"
                    aria-label="Change who recruited this partner"
                    onClick={() => setRecruiting(true)}
                  >
                    <EditIcon size={14} />
                  </button>
                )}
              </dd>
              <dt>Last updated</dt>
              <dd>{formatDate(partner.updatedAt)}</dd>
            </dl>
            {partner.contacts.length > 0 ? (
              <ContactList contacts={partner.contacts} />
            ) : (
              <p className="muted small">No contacts on file.</p>
            )}
          </section>
        </aside>
      </div>
      {editing && <PartnerFormDialog partner={partner} onClose={() => setEditing(false)} />}
      {tiering && <TierDialog enrollment={tiering} onClose={() => setTiering(undefined)} />}
      {recruiting && <RecruiterDialog partner={partner} onClose={() => setRecruiting(false)} />}
    </div>
  );
}
