import { EmptyState } from "../shared/empty-state.js";
import { LinkIcon } from "../shared/icons.js";
import { LINK_FIGURE_DAYS, LinkFiguresNote, usePartnerLinkFigures } from "../shared/link-figures.js";
import { PageLoading } from "../shared/loading.js";
import { PageHeader } from "../shared/page-header.js";
import { QueryError } from "../shared/query-error.js";
import { LinkTips } from "./link-tips.js";
import { usePortalCouponsQuery, usePortalEnrollmentsQuery, usePortalLinksQuery } from "./portal-queries.js";
import { ProgramLinksCard } from "./program-links-card.js";
import { TaggedLinkBuilder } from "./tagged-link-builder.js";

/** /portal/links — every program's tracking links and coupon codes. */
export function LinksPage() {
  const enrollments = usePortalEnrollmentsQuery();
  const links = usePortalLinksQuery();
  const coupons = usePortalCouponsQuery();
  // Every program's links in one request: the partner's own breakdown per link.
  const figures = usePartnerLinkFigures("portal", "/v1/portal/breakdown");
  const failed = [enrollments, links, coupons].find((q) => q.isError);
  const header = (
    <PageHeader
      title="Links"
      description={`Share these links and codes. Every visit and purchase they bring is credited to you; beside each link, what it brought in the last ${LINK_FIGURE_DAYS} days.`}
    />
  );
  if (failed)
    return (
      <div className="portal-page">
        {header}
        <QueryError error={failed.error} onRetry={() => failed.refetch()} />
      </div>
    );
  if (!enrollments.data || !links.data || !coupons.data)
    return (
      <div className="portal-page">
        {header}
        <PageLoading />
      </div>
    );
  const withLinks = enrollments.data.filter((e) => links.data.some((l) => l.enrollmentId === e.id));
  const waiting = enrollments.data.filter(
    (e) => !withLinks.includes(e) && (e.status === "applied" || e.status === "approved"),
  );
  return (
    <div className="portal-page">
      {header}
      {withLinks.length === 0 ? (
        <div className="card">
          <EmptyState icon={<LinkIcon size={28} />} title="No links yet">
            {waiting.length
              ? "Your links appear here as soon as the partner team approves your application."
              : "Join a program to get a tracking link."}
          </EmptyState>
        </div>
      ) : (
        <div className="stack-lg">
          <LinkFiguresNote state={figures} />
          {withLinks.map((enrollment) => (
            <ProgramLinksCard
              key={enrollment.id}
              enrollment={enrollment}
              links={links.data.filter((l) => l.enrollmentId === enrollment.id)}
              coupons={coupons.data.filter((c) => c.enrollmentId === enrollment.id)}
              figures={figures}
            />
          ))}
          <TaggedLinkBuilder links={links.data} enrollments={enrollments.data} />
          <LinkTips />
          {waiting.length > 0 && (
            <p className="muted small">
              Waiting for approval: {waiting.map((e) => e.programDetails.name).join(", ")}. Links appear here once
              you're approved.
            </p>
          )}
        </div>
      )}
    </div>
  );
}
