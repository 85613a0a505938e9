import { Link, useParams } from "react-router";
import { CopyField } from "../shared/copy-field.js";
import { absoluteUrl, formatDate } from "../shared/format.js";
import { EditIcon, ExternalIcon } from "../shared/icons.js";
import { programTypeLabels, questionTypeLabels } from "../shared/labels.js";
import { PageLoading } from "../shared/loading.js";
import { PageHeader } from "../shared/page-header.js";
import { QueryError } from "../shared/query-error.js";
import { ProgramStatusBadge } from "../shared/status-badge.js";
import { useProgramQuery, useProgramsQuery } from "./admin-queries.js";
import { EnrollmentBar } from "./enrollment-bar.js";
import { InvitationsPanel } from "./invitations-panel.js";
import { useMe } from "./use-me.js";

export function ProgramDetailPage() {
  const { id = "" } = useParams();
  const { can } = useMe();
  const query = useProgramQuery(id);
  const list = useProgramsQuery();
  if (query.isPending) return <PageLoading />;
  if (query.isError)
    return (
      <div className="page">
        <QueryError error={query.error} onRetry={() => query.refetch()} />
      </div>
    );
  const program = query.data;
  // GET /v1/programs/:id has no counts; the list has them.
  const counts = program.enrollmentCounts ?? list.data?.find((p) => p.id === program.id)?.enrollmentCounts;
  const applyUrl = absoluteUrl(program.applyUrl);
  return (
    <div className="page">
      <PageHeader
        title={program.name}
        back={{ to: "/admin/programs", label: "Programs" }}
        meta={
          <>
            <ProgramStatusBadge status={program.status} />
            <span>{programTypeLabels[program.type]}</span>
            <span>Created {formatDate(program.createdAt)}</span>
          </>
        }
        actions={
          <>
            <a className="btn btn-secondary" href={program.applyUrl} target="_blank" rel="noreferrer">
              <ExternalIcon size={16} /> View public page
            </a>
            {can("programs:write") && (
              <Link className="btn btn-primary" to={`/admin/programs/${program.id}/edit`}>
                <EditIcon size={16} /> Edit program
              </Link>
            )}
          </>
        }
      />
      <div className="detail-grid">
        <div className="stack-lg">
          <section className="card">
            <h2 className="card-title">Partners</h2>
            <EnrollmentBar programId={program.id} counts={counts} />
          </section>
          <section className="card">
            <h2 className="card-title">Overview</h2>
            {program.description ? (
              <p className="prose">{program.description}</p>
            ) : (
              <p className="muted">No description yet.</p>
            )}
            <dl className="details">
              <dt>Currency</dt>
              <dd>{program.currency}</dd>
              <dt>Cookie window</dt>
              <dd>{program.cookieWindowDays} days</dd>
              <dt>Allowed domains</dt>
              <dd>{program.allowedDomains.length ? program.allowedDomains.join(", ") : "Any"}</dd>
              <dt>Default landing page</dt>
              <dd>{program.defaultLandingUrl ?? "—"}</dd>
              <dt>Terms version</dt>
              <dd>v{program.termsVersion}</dd>
              <dt>Last updated</dt>
              <dd>{formatDate(program.updatedAt)}</dd>
            </dl>
          </section>
          <section className="card">
            <h2 className="card-title">Application questions</h2>
            {program.applicationQuestions.length === 0 ? (
              <p className="muted">Applicants only give the standard details.</p>
            ) : (
              <ol className="question-list">
                {program.applicationQuestions.map((q) => (
                  <li key={q.id}>
                    <div className="question-list-label">
                      {q.label}
                      {q.required && <span className="tag">Required</span>}
                    </div>
                    <div className="question-list-meta">
                      {questionTypeLabels[q.type]}
                      {q.options?.length ? `: ${q.options.join(", ")}` : ""}
                    </div>
                  </li>
                ))}
              </ol>
            )}
          </section>
          <section className="card">
            <h2 className="card-title">Terms · v{program.termsVersion}</h2>
            {program.termsText ? (
              <div className="terms-box">{program.termsText}</div>
            ) : (
              <p className="muted">No terms: applicants are not asked to accept anything.</p>
            )}
          </section>
        </div>
        <aside className="stack-lg">
          <section className="card">
            <h2 className="card-title">Application page</h2>
            <div className="stack-sm">
              <p className="muted small">Share this link on your website or in your outreach.</p>
              <CopyField label="Application link" value={applyUrl} stacked />
            </div>
          </section>
          <InvitationsPanel programId={program.id} canInvite={can("partners:write")} />
        </aside>
      </div>
    </div>
  );
}
