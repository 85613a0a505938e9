import { useState } from "react";
import { Link } from "react-router";
import { Button } from "../shared/button.js";
import { formatDate } from "../shared/format.js";
import { ClockIcon, CoinsIcon } from "../shared/icons.js";
import { labelOf, programTypeLabels } from "../shared/labels.js";
import type { LinkFiguresState } from "../shared/link-figures.js";
import { EnrollmentStatusBadge } from "../shared/status-badge.js";
import type { PortalEnrollment, TrackingLink } from "../shared/types.js";
import { LinkHero } from "./link-hero.js";
import { TermsDialog } from "./terms-dialog.js";

function StatusMessage({ enrollment }: { enrollment: PortalEnrollment }) {
  switch (enrollment.status) {
    case "applied":
      return (
        <p className="status-message">
          Thanks for applying on {formatDate(enrollment.appliedAt)}. The partner team is reviewing your application; you
          will see the decision here.
        </p>
      );
    case "approved":
      return (
        <p className="status-message">
          {enrollment.needsTermsAcceptance
            ? "You're approved. Accept the program terms to activate your partnership."
            : "You're approved. The partner team will activate your partnership shortly."}
        </p>
      );
    case "active":
      return (
        <p className="status-message">
          {enrollment.needsTermsAcceptance
            ? "The program terms were updated. Please review and accept the new version."
            : `Active since ${formatDate(enrollment.statusChangedAt)}.`}
        </p>
      );
    default:
      return (
        <div className="status-message">
          <p>
            {enrollment.status === "rejected"
              ? "Your application was not accepted."
              : enrollment.status === "suspended"
                ? "This partnership is suspended."
                : "This partnership has ended."}
          </p>
          {enrollment.statusReason && (
            <blockquote className="reason-quote">
              <span className="reason-label">Reason</span>
              {enrollment.statusReason}
            </blockquote>
          )}
        </div>
      );
  }
}

export function EnrollmentCard({
  enrollment,
  link,
  figures,
}: {
  enrollment: PortalEnrollment;
  /** The partnership's main link, to copy from the home page once there is one. */
  link?: TrackingLink | undefined;
  figures: LinkFiguresState;
}) {
  const [reading, setReading] = useState(false);
  const details = enrollment.programDetails;
  return (
    <article className={`card enrollment-card status-${enrollment.status}`} aria-label={details.name}>
      <div className="enrollment-card-head">
        <div>
          <h2 className="enrollment-card-title">{details.name}</h2>
          <p className="enrollment-card-type">{labelOf(programTypeLabels, details.type)}</p>
        </div>
        <EnrollmentStatusBadge status={enrollment.status} portal />
      </div>
      <StatusMessage enrollment={enrollment} />
      {link && (
        <div className="enrollment-card-link">
          <LinkHero
            link={link}
            programName={details.name}
            landing={link.destinationUrl ?? details.defaultLandingUrl}
            figures={figures}
          />
          <Link className="small" to="/portal/links">
            All your links, coupon codes and a link builder
          </Link>
        </div>
      )}
      <div className="enrollment-card-foot">
        <ul className="fact-list">
          <li>
            <CoinsIcon size={16} /> Paid in {details.currency}
          </li>
          <li>
            <ClockIcon size={16} /> {details.cookieWindowDays}-day cookie window
          </li>
          <li>
            Terms{" "}
            {enrollment.termsVersionAccepted ? `v${enrollment.termsVersionAccepted} accepted` : "not accepted yet"}
          </li>
        </ul>
        {enrollment.needsTermsAcceptance && (
          <Button variant="primary" onClick={() => setReading(true)}>
            Accept terms
          </Button>
        )}
      </div>
      {reading && <TermsDialog enrollment={enrollment} onClose={() => setReading(false)} />}
    </article>
  );
}
