import { Link } from "react-router";
import { enrollmentStatuses, enrollmentStatusLabels } from "../shared/labels.js";
import { enrollmentTones } from "../shared/status-badge.js";
import type { EnrollmentStatus } from "../shared/types.js";

/** The partners of a program by status: a proportional bar and a legend linking to the filtered partner list. */
export function EnrollmentBar({
  programId,
  counts,
}: {
  programId: string;
  counts: Partial<Record<EnrollmentStatus, number>> | undefined;
}) {
  const total = enrollmentStatuses.reduce((sum, status) => sum + (counts?.[status] ?? 0), 0);
  return (
    <div className="enrollment-bar">
      <div className="bar" aria-hidden="true">
        {total === 0 ? (
          <span className="bar-empty" />
        ) : (
          enrollmentStatuses.map((status) =>
            counts?.[status] ? (
              <span
                key={status}
                className={`bar-segment tone-${enrollmentTones[status]}`}
                style={{ width: `${((counts[status] ?? 0) / total) * 100}%` }}
              />
            ) : null,
          )
        )}
      </div>
      <ul className="bar-legend">
        {enrollmentStatuses.map((status) => (
          <li key={status}>
            <Link to={`/admin/partners?programId=${programId}&status=${status}`} className="bar-legend-item">
              <span className={`legend-dot tone-${enrollmentTones[status]}`} aria-hidden="true" />
              <span className="legend-label">{enrollmentStatusLabels[status]}</span>
              <span className="legend-value">{counts?.[status] ?? 0}</span>
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}
