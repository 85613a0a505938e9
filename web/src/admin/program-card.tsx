import { Link } from "react-router";
import { ExternalIcon } from "../shared/icons.js";
import { programTypeLabels } from "../shared/labels.js";
import { ProgramStatusBadge } from "../shared/status-badge.js";
import type { Program } from "../shared/types.js";
import { EnrollmentBar } from "./enrollment-bar.js";

export function ProgramCard({ program }: { program: Program }) {
  const applied = program.enrollmentCounts?.applied ?? 0;
  return (
    <article className="card program-card">
      <div className="program-card-head">
        <div>
          <h2 className="program-card-title">
            <Link to={`/admin/programs/${program.id}`}>{program.name}</Link>
          </h2>
          <p className="program-card-type">
            {programTypeLabels[program.type]} · {program.currency} · {program.cookieWindowDays}-day window
          </p>
        </div>
        <ProgramStatusBadge status={program.status} />
      </div>
      {program.description && <p className="program-card-description">{program.description}</p>}
      <EnrollmentBar programId={program.id} counts={program.enrollmentCounts} />
      <div className="program-card-foot">
        <a className="apply-link" href={program.applyUrl} target="_blank" rel="noreferrer">
          <ExternalIcon size={14} />
          {program.applyUrl}
        </a>
        {applied > 0 && (
          <Link className="pill-link" to={`/admin/applications?programId=${program.id}`}>
            {applied} to review
          </Link>
        )}
      </div>
    </article>
  );
}
