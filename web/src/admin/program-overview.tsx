import { CopyField } from "../shared/copy-field.js";
import { absoluteUrl, formatDate } from "../shared/format.js";
import { attributionModelLabels, questionTypeLabels } from "../shared/labels.js";
import type { Program } from "../shared/types.js";
import { useProgramsQuery } from "./admin-queries.js";
import { EnrollmentBar } from "./enrollment-bar.js";
import { InvitationsPanel } from "./invitations-panel.js";
import { useMe } from "./use-me.js";

/** The program page's first tab: partners by status, settings, questions, terms, application link. */
export function ProgramOverview({ program }: { program: Program }) {
  const { can } = useMe();
  const list = useProgramsQuery();
  // GET /v1/programs/:id has no counts; the list has them.
  const counts = program.enrollmentCounts ?? list.data?.find((p) => p.id === program.id)?.enrollmentCounts;
  const applyUrl = absoluteUrl(program.applyUrl);
  return (
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
            <dt>Attribution</dt>
            <dd>
              {attributionModelLabels[program.attributionModel]}
              {program.lifetimeBinding ? ", lifetime binding" : ""}
            </dd>
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
  );
}
