import { useQuery } from "@tanstack/react-query";
import { Link, useNavigate, useParams } from "react-router";
import { api } from "../shared/api.js";
import { countryName } from "../shared/countries.js";
import { formatDate, formatDateTime, formatRelative } from "../shared/format.js";
import { enrollmentSourceLabels, labelOf, partnerTypeLabels } from "../shared/labels.js";
import { PageLoading } from "../shared/loading.js";
import { PageHeader } from "../shared/page-header.js";
import { QueryError } from "../shared/query-error.js";
import { EnrollmentStatusBadge } from "../shared/status-badge.js";
import type { Enrollment, PartnerDetail } from "../shared/types.js";
import { adminKeys, useProgramQuery } from "./admin-queries.js";
import { ApplicationAnswers } from "./application-answers.js";
import { ContactList } from "./contact-list.js";
import { EnrollmentActions } from "./enrollment-actions.js";
import { useMe } from "./use-me.js";

/** One application: the answers under their questions, the organisation, and the decision. */
export function ApplicationDetailPage() {
  const { id = "" } = useParams();
  const { can } = useMe();
  const navigate = useNavigate();
  const enrollment = useQuery({
    queryKey: [...adminKeys.enrollments, id],
    queryFn: () => api.get<Enrollment>(`/v1/enrollments/${encodeURIComponent(id)}`),
  });
  const program = useProgramQuery(enrollment.data?.programId);
  const partner = useQuery({
    queryKey: adminKeys.partner(enrollment.data?.partnerId ?? ""),
    queryFn: () => api.get<PartnerDetail>(`/v1/partners/${enrollment.data?.partnerId}`),
    enabled: Boolean(enrollment.data?.partnerId),
  });
  if (enrollment.isPending) return <PageLoading />;
  if (enrollment.isError)
    return (
      <div className="page">
        <QueryError error={enrollment.error} onRetry={() => enrollment.refetch()} />
      </div>
    );
  const e = enrollment.data;
  const partnerName = partner.data?.name ?? e.partner?.name ?? "Applicant";
  const programName = program.data?.name ?? e.program?.name ?? "the program";
  return (
    <div className="page">
      <PageHeader
        title={partnerName}
        back={{ to: "/admin/applications", label: "Applications" }}
        meta={
          <>
            <EnrollmentStatusBadge status={e.status} />
            <span>{programName}</span>
            <span title={formatDateTime(e.appliedAt)}>Applied {formatRelative(e.appliedAt)}</span>
          </>
        }
        actions={
          <Link className="btn btn-secondary" to={`/admin/partners/${e.partnerId}`}>
            Partner profile
          </Link>
        }
      />
      <div className="detail-grid">
        <div className="stack-lg">
          <section className="card">
            <h2 className="card-title">Application answers</h2>
            {program.isPending ? (
              <PageLoading />
            ) : (
              <ApplicationAnswers questions={program.data?.applicationQuestions ?? []} answers={e.applicationAnswers} />
            )}
          </section>
          <section className="card">
            <h2 className="card-title">Organisation</h2>
            <dl className="details">
              <dt>Company</dt>
              <dd>{partnerName}</dd>
              <dt>Partner type</dt>
              <dd>{labelOf(partnerTypeLabels, partner.data?.type ?? e.partner?.type ?? "")}</dd>
              <dt>Country</dt>
              <dd>{countryName(partner.data?.country ?? e.partner?.country)}</dd>
              <dt>Website</dt>
              <dd>
                {partner.data?.website ? (
                  <a href={partner.data.website} target="_blank" rel="noreferrer noopener">
                    {partner.data.website}
                  </a>
                ) : (
                  "—"
                )}
              </dd>
              <dt>Applicant email</dt>
              <dd>{e.applicantEmail ?? "—"}</dd>
            </dl>
            {partner.data && partner.data.contacts.length > 0 && <ContactList contacts={partner.data.contacts} />}
          </section>
        </div>
        <aside className="stack-lg">
          <section className="card decision-card">
            <h2 className="card-title">Decision</h2>
            {e.status === "applied" ? (
              <p className="muted small">Approving lets the partner start as soon as the current terms are accepted.</p>
            ) : (
              <p className="small">
                Decided {formatDate(e.decidedAt)}: <EnrollmentStatusBadge status={e.status} />
                {e.statusReason && <span className="reason-text">“{e.statusReason}”</span>}
              </p>
            )}
            <dl className="details details-compact">
              <dt>Terms accepted</dt>
              <dd>
                {e.termsVersionAccepted ? `v${e.termsVersionAccepted} · ${formatDate(e.termsAcceptedAt)}` : "Not yet"}
              </dd>
              <dt>Source</dt>
              <dd>{labelOf(enrollmentSourceLabels, e.source)}</dd>
            </dl>
            {can("partners:write") && (
              <EnrollmentActions
                enrollment={e}
                partnerName={partnerName}
                programName={programName}
                size="md"
                only={["approve", "reject"]}
                onDone={(_, action) => {
                  if (action === "approve" || action === "reject") navigate("/admin/applications");
                }}
              />
            )}
          </section>
        </aside>
      </div>
    </div>
  );
}
