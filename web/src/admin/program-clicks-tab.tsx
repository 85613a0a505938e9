import { useQuery } from "@tanstack/react-query";
import { useId } from "react";
import { Link } from "react-router";
import { api, queryString } from "../shared/api.js";
import { Badge } from "../shared/badge.js";
import { Button } from "../shared/button.js";
import { countryName } from "../shared/countries.js";
import { CsvDownload } from "../shared/csv-download.js";
import { CursorPager } from "../shared/cursor-pager.js";
import { DataTable } from "../shared/data-table.js";
import { nextDay, startOfDay } from "../shared/day-bounds.js";
import { EmptyState } from "../shared/empty-state.js";
import { formatDate, formatDateTime, formatRelative, formatShortDateTime } from "../shared/format.js";
import { PointerIcon } from "../shared/icons.js";
import { clickSourceLabels, labelOf } from "../shared/labels.js";
import { counted } from "../shared/link-figures.js";
import { LiveNote } from "../shared/live-note.js";
import { SelectField } from "../shared/select-field.js";
import { TextField } from "../shared/text-field.js";
import type { Click, Page, Program, TrackingLink } from "../shared/types.js";
import { useCursorPages } from "../shared/use-cursor-pages.js";
import { adminKeys, useProgramEnrollmentsQuery } from "./admin-queries.js";
import { AD_NETWORKS } from "./fraud-evidence.js";
import { clicksPageKey, useClicksTotal } from "./use-clicks-total.js";
import { usePartnerNames } from "./use-partner-names.js";
import { useSearchState } from "./use-search-state.js";

const PAGE_SIZE = 50;
const SUB_IDS = ["sub1", "sub2", "sub3", "sub4", "sub5"] as const;

/** A deep link's page as people read it: host and path, without the query the program's UTM parameters fill. */
const landingPage = (url: string) => {
  try {
    const { host, pathname } = new URL(url);
    return `${host}${pathname === "/" ? "" : pathname}`;
  } catch {
    return url;
  }
};

const referrerHost = (referrer: string | null) => {
  if (!referrer) return null;
  try {
    return new URL(referrer).host;
  } catch {
    return referrer;
  }
};

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** A date field's day in words: "2026-11-20" → "20 Nov 2026". */
const day = (date: string) => formatDate(startOfDay(date));

/** What the empty list says for its dates: from a day on, up to a day, between two days, or on one day. */
function emptyTitle({ from, until }: { from: string; until: string }) {
  if (from && until)
    return from === until ? `No clicks on ${day(from)}` : `No clicks from ${day(from)} to ${day(until)}`;
  if (from) return `No clicks since ${day(from)}`;
  return `No clicks up to ${day(until)}`;
}

/**
 * The latest clicks of a program, newest first, optionally of one partner or one link, from a day and up to a day.
 * The first page of the latest clicks (no "Up to" day) refreshes by itself.
 */
export function ProgramClicksTab({ program }: { program: Program }) {
  const [filters, setFilter, setFilters] = useSearchState(["partnerId", "linkId", "from", "until"] as const);
  // Days written as in the date fields compare as text; a From after the Up to (typed, or in a link) is not sent.
  const backwards = Boolean(filters.from && filters.until && filters.from > filters.until);
  const backwardsId = useId();
  const listFilters = {
    programId: program.id,
    partnerId: filters.partnerId || undefined,
    linkId: filters.linkId || undefined,
    from: startOfDay(filters.from),
    before: nextDay(filters.until),
  };
  const pages = useCursorPages(JSON.stringify(listFilters));
  const clicks = useQuery({
    queryKey: clicksPageKey(listFilters, pages.cursor),
    queryFn: () =>
      api.get<Page<Click>>(`/v1/clicks${queryString({ ...listFilters, limit: PAGE_SIZE, cursor: pages.cursor })}`),
    placeholderData: (previous) => previous,
    refetchInterval: pages.cursor || filters.until ? false : 10_000,
    enabled: !backwards,
  });
  const total = useClicksTotal(listFilters, {
    isPlaceholderData: clicks.isPlaceholderData,
    enabled: !backwards,
  });
  const enrollments = useProgramEnrollmentsQuery(program.id);
  // The links to filter by: the chosen partner's, or the program's when it has few enough to list in one choice.
  const links = useQuery({
    queryKey: [...adminKeys.links, { programId: program.id, partnerId: filters.partnerId }, "choice"],
    queryFn: () =>
      api.get<Page<TrackingLink>>(
        `/v1/links${queryString({ programId: program.id, partnerId: filters.partnerId || undefined, limit: 500 })}`,
      ),
    placeholderData: (previous) => previous,
  });
  const items = clicks.data?.items ?? [];
  const choice = links.data?.items ?? [];
  // Too many links to list in one choice: they are chosen among one partner's.
  const tooManyLinks = !filters.partnerId && Boolean(links.data?.nextCursor);
  const partnerName = usePartnerNames(
    [...items.map((c) => c.partnerId), ...choice.map((l) => l.partnerId)],
    program.id,
  );
  const listed = tooManyLinks ? [] : choice.filter((l) => !filters.partnerId || l.partnerId === filters.partnerId);
  const linkOptions = listed
    .map((l) => ({ value: l.id, label: `/r/${l.slug} · ${partnerName(l.partnerId)}` }))
    .sort((a, b) => a.label.localeCompare(b.label));
  // The link filtered by stays a choice of its own, even when it is not among those listed (a link opened from
  // elsewhere in a program with many links), so the select says what the list shows and can be cleared.
  if (filters.linkId && !linkOptions.some((o) => o.value === filters.linkId)) {
    const slug = items.find((c) => c.linkId === filters.linkId)?.linkSlug;
    linkOptions.unshift({ value: filters.linkId, label: slug ? `/r/${slug}` : "The chosen link" });
  }
  const partnerOptions = (enrollments.data ?? [])
    .map((e) => ({ value: e.partnerId, label: e.partner?.name ?? e.partnerId }))
    .sort((a, b) => a.label.localeCompare(b.label));
  return (
    <section className="card card-flush" aria-label="Clicks">
      <div className="card-head clicks-head">
        <h2 className="card-title">
          {backwards || total.isError
            ? "Clicks"
            : total.data
              ? counted(total.data.count, "click", "clicks")
              : "Counting clicks…"}
        </h2>
        <div className="card-head-actions">
          {!filters.until && <LiveNote query={clicks} />}
          {!backwards && <CsvDownload href={`/v1/clicks/export${queryString(listFilters)}`} label="Export CSV" />}
        </div>
      </div>
      <div className="toolbar toolbar-wrap clicks-toolbar">
        <SelectField
          label="Partner"
          value={filters.partnerId}
          onChange={(v) =>
            // A link of another partner would leave the list empty.
            setFilters({
              partnerId: v,
              linkId: v && choice.find((l) => l.id === filters.linkId)?.partnerId !== v ? "" : filters.linkId,
            })
          }
          options={partnerOptions}
          placeholder="All partners"
          className="filter-field"
        />
        <SelectField
          label="Link"
          value={filters.linkId}
          onChange={(v) => setFilter("linkId", v)}
          options={linkOptions}
          placeholder={tooManyLinks ? "All links (choose a partner to pick one)" : "All links"}
          className="filter-field filter-wide"
        />
        <TextField
          label="From"
          type="date"
          value={filters.from}
          max={filters.until || undefined}
          // Why is said once, in the list's place: a message under the field would push it out of line.
          aria-invalid={backwards || undefined}
          aria-describedby={backwards ? backwardsId : undefined}
          onChange={(v) => setFilter("from", v)}
          className="filter-date"
        />
        <TextField
          label="Up to"
          type="date"
          value={filters.until}
          min={filters.from || undefined}
          onChange={(v) => setFilter("until", v)}
          className="filter-date"
        />
        {(filters.partnerId || filters.linkId || filters.from || filters.until) && (
          <Button
            variant="ghost"
            size="sm"
            className="toolbar-clear"
            onClick={() => setFilters({ partnerId: "", linkId: "", from: "", until: "" })}
          >
            Clear filters
          </Button>
        )}
      </div>
      {backwards ? (
        <EmptyState id={backwardsId} icon={<PointerIcon size={28} />} title="From is after Up to">
          Choose a From day on or before the Up to day.
        </EmptyState>
      ) : (
        <DataTable
          query={clicks}
          skeleton={{ columns: 6 }}
          empty={
            <EmptyState
              icon={<PointerIcon size={28} />}
              title={
                filters.from || filters.until
                  ? emptyTitle(filters)
                  : filters.linkId
                    ? "No clicks on this link yet"
                    : filters.partnerId
                      ? "No clicks of this partner"
                      : "No clicks yet"
              }
            >
              {filters.from || filters.until ? (
                <>
                  Clear the {filters.from && filters.until ? "dates" : "date"} to see{" "}
                  {filters.until ? "the latest clicks" : "earlier clicks"}
                  {filters.partnerId || filters.linkId ? " of this choice" : ""}.
                </>
              ) : (
                <>
                  Clicks appear here within seconds of a visit through a partner link or a <code>?via=</code> link on
                  your site.
                </>
              )}
            </EmptyState>
          }
          className="table-compact clicks-table"
          rows={items}
          rowKey={(click) => click.id}
          columns={[
            {
              id: "when",
              header: "When",
              cellClassName: "nowrap",
              cellTitle: (click) => formatDateTime(click.at),
              cell: (click) => (
                <>
                  <div className="cell-title">{formatRelative(click.at)}</div>
                  <div className="cell-sub">{formatShortDateTime(click.at)}</div>
                </>
              ),
            },
            {
              id: "partner",
              header: "Partner",
              cell: (click) => {
                const slug = click.linkSlug;
                return (
                  <>
                    <Link className="cell-link" to={`/admin/partners/${click.partnerId}`}>
                      {partnerName(click.partnerId)}
                    </Link>
                    <div className="cell-sub">
                      {slug && <span className="mono">/r/{slug}</span>}
                      {click.landingUrl && (
                        <span className="click-landing" title={`Deep link to ${click.landingUrl}`}>
                          {" "}
                          → {landingPage(click.landingUrl)}
                        </span>
                      )}
                      {click.source !== "redirect" && <> · {labelOf(clickSourceLabels, click.source)}</>}
                    </div>
                  </>
                );
              },
            },
            {
              id: "visitor",
              header: "Visitor",
              cellClassName: "nowrap",
              cell: (click) => (
                <>
                  <div>{click.browser ?? "Unknown browser"}</div>
                  <div className="cell-sub">
                    {[click.os, click.deviceType ? capitalise(click.deviceType) : null].filter(Boolean).join(" · ") ||
                      "—"}
                  </div>
                </>
              ),
            },
            {
              id: "country",
              header: "Country",
              cellClassName: "nowrap",
              cell: (click) => (click.country ? countryName(click.country) : <span className="muted">Unknown</span>),
            },
            {
              id: "referrer",
              header: "Referrer",
              cellClassName: "cell-url",
              cellTitle: (click) => click.referrer ?? undefined,
              cell: (click) => (
                <>
                  {referrerHost(click.referrer) ?? <span className="muted">Direct</span>}
                  {/* A paid ad straight to the partner link (bidding on the brand, say) is worth seeing at a glance. */}
                  {click.adNetwork && (
                    <div className="cell-sub">
                      <Badge
                        tone="warning"
                        dot={false}
                        title={`Opened with ${click.adClickParam ?? "an ad click id"}: the visit came from a paid ad`}
                      >
                        Paid ad · {AD_NETWORKS[click.adNetwork] ?? click.adNetwork}
                      </Badge>
                    </div>
                  )}
                </>
              ),
            },
            {
              id: "subIds",
              header: "Sub-ids",
              cell: (click) => {
                const subs = SUB_IDS.filter((key) => click[key]);
                return subs.length === 0 ? (
                  <span className="muted">—</span>
                ) : (
                  <div className="chip-list">
                    {subs.map((key) => (
                      <Badge key={key} tone="neutral" dot={false} title={`${key}=${click[key]}`}>
                        <span className="sub-key">{key}</span> <span className="sub-value">{click[key]}</span>
                      </Badge>
                    ))}
                  </div>
                );
              },
            },
          ]}
        />
      )}
      {!backwards && (
        <CursorPager pages={pages} count={items.length} nextCursor={clicks.data?.nextCursor} noun="clicks" />
      )}
    </section>
  );
}
