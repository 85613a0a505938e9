import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, queryString } from "../shared/api.js";
import { Button } from "../shared/button.js";
import { CursorPager } from "../shared/cursor-pager.js";
import { PlusIcon } from "../shared/icons.js";
import { LinkFiguresNote, usePartnerLinkFigures } from "../shared/link-figures.js";
import { SkeletonRows } from "../shared/loading.js";
import { NewLinkDialog } from "../shared/new-link-dialog.js";
import { QueryError } from "../shared/query-error.js";
import { useToast } from "../shared/toast.js";
import type { Page, PartnerDetail, TrackingLink } from "../shared/types.js";
import { useCursorPages } from "../shared/use-cursor-pages.js";
import { adminKeys, useProgramsQuery } from "./admin-queries.js";
import { LinksTable } from "./links-table.js";
import { useMe } from "./use-me.js";

/** Enrollments that may have links and coupons: approved or active. */
export const linkableEnrollments = (partner: PartnerDetail, programName: (programId: string) => string) =>
  partner.enrollmentDetails
    .filter((e) => e.status === "approved" || e.status === "active")
    .map((e) => ({ id: e.id, label: programName(e.programId) }));

const PAGE_SIZE = 25;

/** One partner's tracking links across its programs, newest first, with a way to add a custom one. */
export function PartnerLinksPanel({
  partner,
  programName,
}: {
  partner: PartnerDetail;
  programName: (programId: string) => string;
}) {
  const { can } = useMe();
  const queryClient = useQueryClient();
  const toast = useToast();
  const programs = useProgramsQuery();
  const [creating, setCreating] = useState(false);
  const pages = useCursorPages(partner.id, "linksCursor");
  const links = useQuery({
    queryKey: [...adminKeys.links, { partnerId: partner.id }, pages.cursor],
    queryFn: () =>
      api.get<Page<TrackingLink>>(
        `/v1/links${queryString({ partnerId: partner.id, limit: PAGE_SIZE, cursor: pages.cursor })}`,
      ),
    placeholderData: (previous) => previous,
  });
  // All the partner's links, whichever page is shown: its breakdown per link.
  const figures = usePartnerLinkFigures("admin", "/v1/stats/breakdown", { partnerId: partner.id });
  const eligible = linkableEnrollments(partner, programName);
  const landing = (link: TrackingLink) =>
    programs.data?.find((p) => p.id === link.programId)?.defaultLandingUrl ?? null;
  return (
    <section className="card card-flush" aria-label="Links">
      <div className="card-head">
        <h2 className="card-title">Links</h2>
        {can("partners:write") && eligible.length > 0 && (
          <Button size="sm" icon={<PlusIcon size={15} />} onClick={() => setCreating(true)}>
            New link
          </Button>
        )}
      </div>
      <LinkFiguresNote state={figures} />
      {links.isPending ? (
        <SkeletonRows rows={2} columns={4} />
      ) : links.isError ? (
        <QueryError error={links.error} onRetry={() => links.refetch()} />
      ) : links.data.items.length === 0 ? (
        <p className="card-empty">No links yet. A default link is created when the partner is approved.</p>
      ) : (
        <LinksTable
          links={links.data.items}
          owner={{
            heading: "Program",
            name: (l) => programName(l.programId),
            href: (l) => `/admin/programs/${l.programId}/links`,
          }}
          defaultLanding={landing}
          figures={figures}
          destination="under-link"
          canWrite={can("partners:write")}
        />
      )}
      <CursorPager
        pages={pages}
        count={links.data?.items.length ?? 0}
        nextCursor={links.data?.nextCursor}
        noun="links"
      />
      {creating && (
        <NewLinkDialog
          enrollments={eligible}
          description={`A custom link for ${partner.name}.`}
          create={(input) => api.post<TrackingLink>("/v1/links", input)}
          onCreated={(link) => {
            queryClient.invalidateQueries({ queryKey: adminKeys.links });
            toast.success(`/r/${link.slug} created`);
            setCreating(false);
          }}
          onClose={() => setCreating(false)}
        />
      )}
    </section>
  );
}
