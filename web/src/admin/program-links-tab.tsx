import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, queryString } from "../shared/api.js";
import { Button } from "../shared/button.js";
import { CursorPager } from "../shared/cursor-pager.js";
import { EmptyState } from "../shared/empty-state.js";
import { LinkIcon, PlusIcon } from "../shared/icons.js";
import { LinkFiguresNote, useProgramLinkFigures } from "../shared/link-figures.js";
import { SkeletonRows } from "../shared/loading.js";
import { NewLinkDialog } from "../shared/new-link-dialog.js";
import { QueryError } from "../shared/query-error.js";
import { useToast } from "../shared/toast.js";
import type { Page, Program, TrackingLink } from "../shared/types.js";
import { useCursorPages } from "../shared/use-cursor-pages.js";
import { adminKeys, useProgramEnrollmentsQuery } from "./admin-queries.js";
import { LinksTable } from "./links-table.js";
import { SearchInput } from "./search-input.js";
import { useMe } from "./use-me.js";
import { usePartnerNames } from "./use-partner-names.js";
import { useSearchState } from "./use-search-state.js";

const PAGE_SIZE = 50;

/** Every partner's links in a program, newest first: default links made on approval and custom ones. */
export function ProgramLinksTab({ program }: { program: Program }) {
  const { can } = useMe();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [filters, setFilter] = useSearchState(["q"] as const);
  const [creating, setCreating] = useState(false);
  const listFilters = { programId: program.id, q: filters.q.trim() || undefined };
  const pages = useCursorPages(JSON.stringify(listFilters));
  const links = useQuery({
    queryKey: [...adminKeys.links, listFilters, pages.cursor],
    queryFn: () =>
      api.get<Page<TrackingLink>>(
        `/v1/links${queryString({ ...listFilters, limit: PAGE_SIZE, cursor: pages.cursor })}`,
      ),
    placeholderData: (previous) => previous,
  });
  const enrollments = useProgramEnrollmentsQuery(program.id);
  const shown = links.data?.items ?? [];
  // The page's links, many partners' each: one request for all of their figures.
  const figures = useProgramLinkFigures(
    program.id,
    shown.map((l) => l.id),
  );
  const partnerName = usePartnerNames(
    shown.map((l) => l.partnerId),
    program.id,
  );
  const term = listFilters.q;
  const linkable = (enrollments.data ?? [])
    .filter((e) => e.status === "approved" || e.status === "active")
    .map((e) => ({ id: e.id, label: e.partner?.name ?? e.partnerId }))
    .sort((a, b) => a.label.localeCompare(b.label));
  return (
    <section className="card card-flush" aria-label="Links">
      <div className="toolbar">
        <SearchInput
          label="Search links"
          value={filters.q}
          onChange={(q) => setFilter("q", q)}
          placeholder="Partner or link name"
        />
        <span className="toolbar-spacer" />
        {can("partners:write") && (
          <Button variant="primary" icon={<PlusIcon size={16} />} onClick={() => setCreating(true)}>
            New link
          </Button>
        )}
      </div>
      <LinkFiguresNote state={figures} />
      {links.isPending ? (
        <SkeletonRows columns={5} />
      ) : links.isError ? (
        <QueryError error={links.error} onRetry={() => links.refetch()} />
      ) : shown.length === 0 ? (
        <EmptyState icon={<LinkIcon size={28} />} title={term ? "No links match" : "No links yet"}>
          {term
            ? "Try another partner or link name."
            : "Each partner gets a default link when approved. Custom links point at a specific page."}
        </EmptyState>
      ) : (
        <LinksTable
          links={shown}
          owner={{
            heading: "Partner",
            name: (l) => partnerName(l.partnerId),
            href: (l) => `/admin/partners/${l.partnerId}`,
          }}
          defaultLanding={() => program.defaultLandingUrl}
          figures={figures}
          canWrite={can("partners:write")}
        />
      )}
      <CursorPager pages={pages} count={shown.length} nextCursor={links.data?.nextCursor} noun="links" />
      {creating && (
        <NewLinkDialog
          enrollments={linkable}
          description={`A custom link for a partner of ${program.name}.`}
          destinationHint={`On ${program.allowedDomains.join(", ") || "an allowed domain"}.`}
          destinationPlaceholder={program.defaultLandingUrl ?? "https://"}
          partnerChoice
          create={(input) => api.post<TrackingLink>("/v1/links", input)}
          onCreated={(link) => {
            queryClient.invalidateQueries({ queryKey: adminKeys.links });
            toast.success(`/r/${link.slug} created for ${partnerName(link.partnerId)}`);
            setCreating(false);
          }}
          onClose={() => setCreating(false)}
        />
      )}
    </section>
  );
}
