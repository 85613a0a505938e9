import { EmptyState } from "../shared/empty-state.js";
import { ProgramsIcon } from "../shared/icons.js";
import { usePartnerLinkFigures } from "../shared/link-figures.js";
import { PageLoading } from "../shared/loading.js";
import { PageHeader } from "../shared/page-header.js";
import { QueryError } from "../shared/query-error.js";
import { AccountNotices } from "./account-notices.js";
import { EnrollmentCard } from "./enrollment-card.js";
import { usePortalMe } from "./portal-context.js";
import { usePortalEnrollmentsQuery, usePortalLinksQuery } from "./portal-queries.js";

export function MyProgramsPage() {
  const me = usePortalMe();
  const enrollments = usePortalEnrollmentsQuery();
  // Each partnership's main link with its last 30 days, as on the links page (the same queries, cached once).
  const links = usePortalLinksQuery();
  const figures = usePartnerLinkFigures("portal", "/v1/portal/breakdown");
  const mainLink = (enrollmentId: string) => links.data?.find((l) => l.enrollmentId === enrollmentId && l.isDefault);
  const firstName = me.user.name.split(/\s+/)[0] ?? me.user.name;
  return (
    <div className="portal-page">
      <PageHeader
        title="My programs"
        description={`Welcome back, ${firstName}. Here is where each of your partnerships stands.`}
      />
      <AccountNotices />
      {enrollments.isPending ? (
        <PageLoading />
      ) : enrollments.isError ? (
        <QueryError error={enrollments.error} onRetry={() => enrollments.refetch()} />
      ) : enrollments.data.length === 0 ? (
        <div className="card">
          <EmptyState icon={<ProgramsIcon size={28} />} title="No programs yet">
            Apply through a program's application page, or ask the vendor for an invitation.
          </EmptyState>
        </div>
      ) : (
        <div className="enrollment-list">
          {enrollments.data.map((enrollment) => (
            <EnrollmentCard
              key={enrollment.id}
              enrollment={enrollment}
              link={
                enrollment.status === "active" || enrollment.status === "approved" ? mainLink(enrollment.id) : undefined
              }
              figures={figures}
            />
          ))}
        </div>
      )}
    </div>
  );
}
