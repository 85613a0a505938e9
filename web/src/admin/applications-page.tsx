import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { api, queryString } from "../shared/api.js";
import { countryName } from "../shared/countries.js";
import { CursorPager } from "../shared/cursor-pager.js";
import { EmptyState } from "../shared/empty-state.js";
import { formatDate, formatRelative } from "../shared/format.js";
import { InboxIcon } from "../shared/icons.js";
import { labelOf, partnerTypeLabels } from "../shared/labels.js";
import { SkeletonRows } from "../shared/loading.js";
import { PageHeader } from "../shared/page-header.js";
import { QueryError } from "../shared/query-error.js";
import type { Enrollment, Page } from "../shared/types.js";
import { useCursorPages } from "../shared/use-cursor-pages.js";
import { adminKeys } from "./admin-queries.js";
import { ProgramFilter } from "./program-filter.js";
import { SearchInput } from "./search-input.js";
import { useSearchState } from "./use-search-state.js";

const PAGE_SIZE = 25;

/** The review queue: applications waiting for a decision. */
export function ApplicationsPage() {
  const [filters, setFilter] = useSearchState(["q", "programId"] as const);
  const pages = useCursorPages(JSON.stringify(filters));
  const query = useQuery({
    queryKey: [...adminKeys.enrollments, "queue", filters, pages.cursor],
    queryFn: () =>
      api.get<Page<Enrollment>>(
        `/v1/enrollments${queryString({ status: "applied", limit: PAGE_SIZE, cursor: pages.cursor, ...filters })}`,
      ),
    placeholderData: (previous) => previous,
  });
  const filtered = Boolean(filters.q || filters.programId);
  return (
    <div className="page">
      <PageHeader title="Applications" description="Partners who applied and are waiting for your decision." />
      <div className="card card-flush">
        <div className="toolbar">
          <SearchInput
            label="Search applications"
            value={filters.q}
            onChange={(q) => setFilter("q", q)}
            placeholder="Company or email"
          />
          <ProgramFilter value={filters.programId} onChange={(id) => setFilter("programId", id)} />
        </div>
        {query.isPending ? (
          <SkeletonRows columns={5} />
        ) : query.isError ? (
          <QueryError error={query.error} onRetry={() => query.refetch()} />
        ) : query.data.items.length === 0 ? (
          <EmptyState
            icon={<InboxIcon size={28} />}
            title={filtered ? "No matching applications" : "You're all caught up"}
          >
            {filtered
              ? "Try another search or program."
              : "New applications from your public program pages will appear here."}
          </EmptyState>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Applicant</th>
                <th scope="col">Program</th>
                <th scope="col">Type</th>
                <th scope="col">Country</th>
                <th scope="col">Applied</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {query.data.items.map((enrollment) => (
                <tr key={enrollment.id}>
                  <td>
                    <Link className="cell-title cell-link" to={`/admin/applications/${enrollment.id}`}>
                      {enrollment.partner?.name ?? enrollment.partnerId}
                    </Link>
                    <div className="cell-sub">{enrollment.applicantEmail}</div>
                  </td>
                  <td>{enrollment.program?.name ?? enrollment.programId}</td>
                  <td>{enrollment.partner ? labelOf(partnerTypeLabels, enrollment.partner.type) : "—"}</td>
                  <td>{countryName(enrollment.partner?.country)}</td>
                  <td title={formatDate(enrollment.appliedAt)}>{formatRelative(enrollment.appliedAt)}</td>
                  <td className="cell-actions">
                    <Link
                      className="btn btn-secondary btn-sm"
                      to={`/admin/applications/${enrollment.id}`}
                      aria-label={`Review ${enrollment.partner?.name ?? "application"}`}
                    >
                      Review
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <CursorPager
          page={pages.page}
          count={query.data?.items.length ?? 0}
          hasPrevious={pages.hasPrevious}
          nextCursor={query.data?.nextCursor}
          onPrevious={pages.previous}
          onNext={pages.next}
          noun="applications"
        />
      </div>
    </div>
  );
}
