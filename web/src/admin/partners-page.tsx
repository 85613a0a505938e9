import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router";
import { api, queryString } from "../shared/api.js";
import { Button } from "../shared/button.js";
import { countryName } from "../shared/countries.js";
import { CountrySelect } from "../shared/country-select.js";
import { CursorPager } from "../shared/cursor-pager.js";
import { DataTable } from "../shared/data-table.js";
import { EmptyState } from "../shared/empty-state.js";
import { formatDate } from "../shared/format.js";
import { PartnersIcon, PlusIcon } from "../shared/icons.js";
import { enrollmentStatusLabels, partnerTypeLabels } from "../shared/labels.js";
import { PageHeader } from "../shared/page-header.js";
import { optionsFrom, SelectField } from "../shared/select-field.js";
import { EnrollmentStatusBadge } from "../shared/status-badge.js";
import type { Page, Partner } from "../shared/types.js";
import { useCursorPages } from "../shared/use-cursor-pages.js";
import { adminKeys } from "./admin-queries.js";
import { PartnerFormDialog } from "./partner-form-dialog.js";
import { ProgramFilter } from "./program-filter.js";
import { SearchInput } from "./search-input.js";
import { useMe } from "./use-me.js";
import { useSearchState } from "./use-search-state.js";

const PAGE_SIZE = 25;
const FILTERS = ["q", "type", "country", "programId", "status"] as const;

export function PartnersPage() {
  const { can } = useMe();
  const [filters, setFilter] = useSearchState(FILTERS);
  const [adding, setAdding] = useState(false);
  const pages = useCursorPages(JSON.stringify(filters));
  const query = useQuery({
    queryKey: [...adminKeys.partners, "list", filters, pages.cursor],
    queryFn: () =>
      api.get<Page<Partner>>(`/v1/partners${queryString({ ...filters, limit: PAGE_SIZE, cursor: pages.cursor })}`),
    placeholderData: (previous) => previous,
  });
  const filtered = FILTERS.some((key) => filters[key]);
  return (
    <div className="page">
      <PageHeader
        title="Partners"
        description="Every partner organisation, across all programs."
        actions={
          can("partners:write") && (
            <Button variant="primary" icon={<PlusIcon size={16} />} onClick={() => setAdding(true)}>
              Add partner
            </Button>
          )
        }
      />
      <div className="card card-flush">
        <div className="toolbar toolbar-wrap">
          <SearchInput
            label="Search partners"
            value={filters.q}
            onChange={(q) => setFilter("q", q)}
            placeholder="Name, website or contact"
          />
          <SelectField
            label="Type"
            value={filters.type}
            onChange={(v) => setFilter("type", v)}
            options={optionsFrom(partnerTypeLabels)}
            placeholder="All types"
            className="filter-field"
          />
          <CountrySelect
            label="Country"
            value={filters.country}
            onChange={(v) => setFilter("country", v)}
            placeholder="All countries"
          />
          <ProgramFilter value={filters.programId} onChange={(v) => setFilter("programId", v)} />
          <SelectField
            label="Status"
            value={filters.status}
            onChange={(v) => setFilter("status", v)}
            options={optionsFrom(enrollmentStatusLabels)}
            placeholder="Any status"
            className="filter-field"
          />
        </div>
        <DataTable
          query={query}
          skeleton={{ columns: 5 }}
          empty={
            <EmptyState icon={<PartnersIcon size={28} />} title={filtered ? "No partners match" : "No partners yet"}>
              {filtered
                ? "Try a broader search or clear a filter."
                : "Partners appear here when they apply on a program page, accept an invitation or are added by hand."}
            </EmptyState>
          }
          rows={query.data?.items ?? []}
          rowKey={(partner) => partner.id}
          columns={[
            {
              id: "partner",
              header: "Partner",
              cell: (partner) => (
                <>
                  <Link className="cell-title cell-link" to={`/admin/partners/${partner.id}`}>
                    {partner.name}
                  </Link>
                  <div className="cell-sub">
                    {partner.website?.replace(/^https?:\/\//, "") ?? partner.contacts[0]?.email}
                  </div>
                </>
              ),
            },
            { id: "type", header: "Type", cell: (partner) => partnerTypeLabels[partner.type] },
            { id: "country", header: "Country", cell: (partner) => countryName(partner.country) },
            {
              id: "programs",
              header: "Programs",
              cell: (partner) => (
                <div className="chip-list">
                  {(partner.enrollments ?? []).map((e) => (
                    <span key={e.id} className="chip" title={`${e.programName}: ${enrollmentStatusLabels[e.status]}`}>
                      <span className="chip-label">{e.programName}</span>
                      <EnrollmentStatusBadge status={e.status} />
                    </span>
                  ))}
                </div>
              ),
            },
            { id: "added", header: "Added", cell: (partner) => formatDate(partner.createdAt) },
          ]}
        />
        <CursorPager
          pages={pages}
          count={query.data?.items.length ?? 0}
          nextCursor={query.data?.nextCursor}
          noun="partners"
        />
      </div>
      {adding && <PartnerFormDialog onClose={() => setAdding(false)} />}
    </div>
  );
}
