import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { api, queryString } from "../shared/api.js";
import { countryName } from "../shared/countries.js";
import { CursorPager } from "../shared/cursor-pager.js";
import { DataTable } from "../shared/data-table.js";
import { EmptyState } from "../shared/empty-state.js";
import { formatDate, formatRelative } from "../shared/format.js";
import { InboxIcon } from "../shared/icons.js";
import { labelOf, partnerTypeLabels } from "../shared/labels.js";
import { PageHeader } from "../shared/page-header.js";
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
        <DataTable
          query={query}
          skeleton={{ columns: 5 }}
          empty={
            <EmptyState
              icon={<InboxIcon size={28} />}
              title={filtered ? "No matching applications" : "You're all caught up"}
            >
              {filtered
                ? "Try another search or program."
                : "New applications from your public program pages will appear here."}
            </EmptyState>
          }
          rows={query.data?.items ?? []}
          rowKey={(enrollment) => enrollment.id}
          columns={[
            {
              id: "applicant",
              header: "Applicant",
              cell: (enrollment) => (
                <>
                  <Link className="cell-title cell-link" to={`/admin/applications/${enrollment.id}`}>
                    {enrollment.partner?.name ?? enrollment.partnerId}
                  </Link>
                  <div className="cell-sub">{enrollment.applicantEmail}</div>
                </>
              ),
            },
            {
              id: "program",
              header: "Program",
              cell: (enrollment) => enrollment.program?.name ?? enrollment.programId,
            },
            {
              id: "type",
              header: "Type",
              cell: (enrollment) => (enrollment.partner ? labelOf(partnerTypeLabels, enrollment.partner.type) : "—"),
            },
            { id: "country", header: "Country", cell: (enrollment) => countryName(enrollment.partner?.country) },
            {
              id: "applied",
              header: "Applied",
              cellTitle: (enrollment) => formatDate(enrollment.appliedAt),
              cell: (enrollment) => formatRelative(enrollment.appliedAt),
            },
            {
              id: "actions",
              header: "Actions",
              headerHidden: true,
              cellClassName: "cell-actions",
              cell: (enrollment) => (
                <Link
                  className="btn btn-secondary btn-sm"
                  to={`/admin/applications/${enrollment.id}`}
                  aria-label={`Review ${enrollment.partner?.name ?? "application"}`}
                >
                  Review
                </Link>
              ),
            },
          ]}
        />
        <CursorPager
          pages={pages}
          count={query.data?.items.length ?? 0}
          nextCursor={query.data?.nextCursor}
          noun="applications"
        />
      </div>
    </div>
  );
}
