import { useId, useState } from "react";
import { Link, useLocation } from "react-router";
import { Badge, type BadgeTone } from "../shared/badge.js";
import { Button } from "../shared/button.js";
import { formatDate, formatDateTime, formatRelative } from "../shared/format.js";
import { AlertIcon } from "../shared/icons.js";
import { QueryError } from "../shared/query-error.js";
import type { PortalEnrollment, PortalNotice, PortalNoticeKind } from "../shared/types.js";
import { usePortalEnrollmentsQuery, usePortalNoticesQuery } from "./portal-queries.js";

const KINDS: Record<PortalNoticeKind, { label: string; tone: BadgeTone }> = {
  warn: { label: "Warning", tone: "warning" },
  suspend: { label: "Account suspended", tone: "orange" },
  ban: { label: "Account closed", tone: "danger" },
  reinstate: { label: "Reinstated", tone: "success" },
};
const kindOf = (kind: string) => KINDS[kind as PortalNoticeKind] ?? { label: "Notice", tone: "neutral" as BadgeTone };

/** Notices shown before "Show all". */
const FIRST = 3;
/** How long a warning stays in the banner on the other portal pages. */
const RECENT_WARNING_MS = 30 * 86_400_000;

export type AccountStanding = "good" | "suspended" | "closed";

/** The account's standing from its notices (newest first): the latest suspension, ban or reinstatement decides. */
export function standingOf(notices: PortalNotice[]): AccountStanding {
  const latest = notices.find((n) => n.kind !== "warn");
  if (latest?.kind === "ban") return "closed";
  if (latest?.kind === "suspend") return "suspended";
  return "good";
}

/** Names of the programs a suspension or closure affects now, from the enrollments' own status. */
function affectedPrograms(standing: AccountStanding, enrollments: PortalEnrollment[] | undefined) {
  const status = standing === "closed" ? "terminated" : "suspended";
  return (enrollments ?? []).filter((e) => e.status === status).map((e) => e.programDetails.name);
}

/** What a suspension or closure means for the partner, in plain words. */
function StandingExplanation({ standing, programs }: { standing: AccountStanding; programs: string[] }) {
  if (standing === "good") return null;
  const suspended = standing === "suspended";
  return (
    <div className={`notice-standing ${suspended ? "alert alert-warning" : "alert alert-error"}`}>
      <AlertIcon size={18} />
      <div>
        <h3 className="notice-standing-title">
          {suspended ? "Your account is suspended" : "Your account has been closed"}
        </h3>
        <p>
          {suspended
            ? "While your account is suspended, your links do not track new clicks and new sales are not credited to you. The program team may hold unpaid commissions while it reviews your account. You will see a notice here when your account is reinstated."
            : "Your partnership has ended in every program: your links no longer track and new sales are not credited to you. Unpaid commissions may be held or rejected by the program team."}
        </p>
        {programs.length > 0 && (
          <p>
            {suspended ? "Suspended" : "Ended"}: {programs.join(", ")}.
          </p>
        )}
        <p>If you think this is a mistake, contact the program team.</p>
      </div>
    </div>
  );
}

function NoticeItem({ notice, now }: { notice: PortalNotice; now: number }) {
  const kind = kindOf(notice.kind);
  const titleId = useId();
  return (
    <li className={`notice notice-${notice.kind}`}>
      <article aria-labelledby={titleId}>
        <div className="notice-meta">
          <h3 id={titleId} className="notice-title">
            <Badge tone={kind.tone}>{kind.label}</Badge>
          </h3>
          <span className="notice-scope">All your programs</span>
          <time dateTime={notice.at} title={formatDateTime(notice.at)} className="notice-date">
            {formatDate(notice.at)} · {formatRelative(notice.at, now)}
          </time>
        </div>
        <p className="notice-message">{notice.message}</p>
      </article>
    </li>
  );
}

/**
 * "Messages from the program team" on My programs: each warning, suspension, closure and reinstatement with the message
 * the team chose to share and its date, and what a current suspension or closure means. Nothing when there is none.
 */
export function AccountNotices() {
  const notices = usePortalNoticesQuery();
  const enrollments = usePortalEnrollmentsQuery();
  const [all, setAll] = useState(false);
  const headingId = useId();
  if (notices.isPending) return null;
  if (notices.isError) {
    return (
      <section className="card notices-card" aria-label="Messages from the program team">
        <QueryError error={notices.error} onRetry={() => notices.refetch()} />
      </section>
    );
  }
  const items = notices.data;
  if (items.length === 0) return null;
  const standing = standingOf(items);
  const shown = all ? items : items.slice(0, FIRST);
  const now = notices.dataUpdatedAt || Date.now();
  return (
    <section id="notices" className={`card notices-card standing-${standing}`} aria-labelledby={headingId}>
      <div className="notices-head">
        <h2 id={headingId} className="card-title">
          Messages from the program team
        </h2>
        <p className="card-subtitle">About your partner account; they apply to all your programs.</p>
      </div>
      <StandingExplanation standing={standing} programs={affectedPrograms(standing, enrollments.data)} />
      <ol className="notice-list">
        {shown.map((notice) => (
          <NoticeItem key={notice.id} notice={notice} now={now} />
        ))}
      </ol>
      {items.length > FIRST && (
        <div className="notices-more">
          <Button size="sm" variant="ghost" aria-expanded={all} onClick={() => setAll(!all)}>
            {all ? "Show fewer" : `Show all ${items.length} messages`}
          </Button>
        </div>
      )}
    </section>
  );
}

/**
 * A one-line reminder under the portal's top bar on the other pages: the account is suspended or closed, or the team
 * sent a warning in the last 30 days. The full message is on My programs.
 */
export function AccountNoticeBanner() {
  const location = useLocation();
  const notices = usePortalNoticesQuery();
  if (!notices.data?.length || location.pathname.replace(/\/+$/, "") === "/portal") return null;
  const standing = standingOf(notices.data);
  const latest = notices.data[0]!;
  const now = notices.dataUpdatedAt || Date.now();
  const recentWarning = latest.kind === "warn" && now - new Date(latest.at).getTime() < RECENT_WARNING_MS;
  if (standing === "good" && !recentWarning) return null;
  const text =
    standing === "closed"
      ? "Your account has been closed by the program team."
      : standing === "suspended"
        ? "Your account is suspended: your links do not track new clicks."
        : `The program team sent you a warning on ${formatDate(latest.at)}.`;
  return (
    <aside
      className={`portal-banner ${standing === "closed" ? "portal-banner-danger" : "portal-banner-warning"}`}
      aria-label="Account notice"
    >
      <div className="portal-banner-inner">
        <AlertIcon size={16} />
        <span>{text}</span>
        <Link to="/portal" className="portal-banner-link">
          Read the message
        </Link>
      </div>
    </aside>
  );
}
