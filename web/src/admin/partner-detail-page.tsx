import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useParams } from "react-router";
import { api } from "../shared/api.js";
import { BreakdownCard } from "../shared/breakdown-card.js";
import { Button } from "../shared/button.js";
import { countryName } from "../shared/countries.js";
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
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">Program</th>
                    <th scope="col">Status</th>
                    <th scope="col">Since</th>
                    <th scope="col">Tier</th>
                    <th scope="col">Terms</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {partner.enrollmentDetails.map((e) => {
                    const name = programName(e.programId);
                    return (
                      <tr key={e.id}>
                        <td>
                          <Link className="cell-title cell-link" to={`/admin/programs/${e.programId}`}>
                            {name}
                          </Link>
                          <div className="cell-sub">
                            {labelOf(enrollmentSourceLabels, e.source)} ·{" "}
                            <Link to={`/admin/applications/${e.id}`}>Details</Link>
                          </div>
                        </td>
                        <td>
                          <EnrollmentStatusBadge status={e.status} />
                          {e.statusReason && <div className="cell-sub reason-text">“{e.statusReason}”</div>}
                        </td>
                        <td title={formatDate(e.statusChangedAt)}>{formatRelative(e.statusChangedAt)}</td>
                        <td className="nowrap">
                          {e.tier ? <span className="tag tag-tier">{e.tier}</span> : <span className="muted">—</span>}
                          {can("partners:write") && (
                            <button
                              type="button"
                              className="icon-button icon-button-sm"
                              aria-label={`Set the tier in ${name}`}
                              onClick={() => setTiering(e)}
                            >
                              <EditIcon size={14} />
                            </button>
                          )}
                        </td>
                        <td>{e.termsVersionAccepted ? `v${e.termsVersionAccepted}` : "—"}</td>
                        <td className="cell-actions">
                          {can("partners:write") && (
                            <EnrollmentActions enrollment={e} partnerName={partner.name} programName={name} />
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
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
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Email</th>
                    <th scope="col">Joined</th>
                  </tr>
                </thead>
                <tbody>
                  {partner.users.map((u) => (
                    <tr key={u.id}>
                      <td className="cell-title">{u.name}</td>
                      <td>{u.email}</td>
                      <td>{formatDate(u.createdAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
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
