import { useQuery } from "@tanstack/react-query";
import { useRef } from "react";
import { Link } from "react-router";
import { api, queryString } from "../shared/api.js";
import { ConversionKindBadge } from "../shared/conversion-kind-badge.js";
import { CsvDownload } from "../shared/csv-download.js";
import { CursorPager } from "../shared/cursor-pager.js";
import { DataTable, openerColumn } from "../shared/data-table.js";
import { nextDay, startOfDay } from "../shared/day-bounds.js";
import { EmptyState } from "../shared/empty-state.js";
import { formatDateTime, formatRelative } from "../shared/format.js";
import { ConversionsIcon } from "../shared/icons.js";
import { conversionKindLabels, conversionSourceLabels } from "../shared/labels.js";
import { formatMoney, formatShare } from "../shared/money.js";
import { optionsFrom, SelectField } from "../shared/select-field.js";
import { TextField } from "../shared/text-field.js";
import type { Conversion, Page } from "../shared/types.js";
import { useCursorPages } from "../shared/use-cursor-pages.js";
import { adminKeys, useProgramsQuery } from "./admin-queries.js";
import { AsyncSalesCard } from "./async-sales-card.js";
import { AttributionDrawer } from "./attribution-drawer.js";
import { ConversionSourceBadge } from "./conversion-badges.js";
import { ProgramFilter } from "./program-filter.js";
import { readableSummary } from "./readable-summary.js";
import { SearchInput } from "./search-input.js";
import { useSearchState } from "./use-search-state.js";

const PAGE_SIZE = 25;
const FILTERS = ["programId", "q", "kind", "attributed", "from", "to", "conversion"] as const;

function Amount({ conversion }: { conversion: Conversion }) {
  if (conversion.amount === null || !conversion.currency) return <span className="muted">—</span>;
  const refunded = conversion.refundedAmount > 0;
  return (
    <div className="amount-cell">
      {/* A refund takes its amount back. */}
      <span className={conversion.kind === "refund" ? "amount amount-negative" : "amount"}>
        {formatMoney(conversion.kind === "refund" ? -conversion.amount : conversion.amount, conversion.currency)}
      </span>
      {refunded && (
        <div className="cell-sub">{formatMoney(conversion.refundedAmount, conversion.currency)} refunded</div>
      )}
    </div>
  );
}

/**
 * Leads, sales and refunds with who got the credit; a row opens the attribution explanation. Filters live in
 * the URL; `programId` fixes the program (the program page) instead of offering a filter.
 */
export function ConversionsPanel({ programId }: { programId?: string }) {
  const [filters, setFilter] = useSearchState(FILTERS);
  const program = programId ?? filters.programId;
  // A time range is kept per program (all programs together are listed by when they were received).
  const listFilters = {
    programId: program,
    // An order, refund or event id, or a customer id: looked up within a program.
    q: program ? filters.q.trim() || undefined : undefined,
    kind: filters.kind,
    attributed: filters.attributed,
    from: program ? startOfDay(filters.from) : undefined,
    before: program ? nextDay(filters.to) : undefined,
  };
  const pages = useCursorPages(JSON.stringify(listFilters));
  const programs = useProgramsQuery();
  const query = useQuery({
    queryKey: [...adminKeys.conversions, "list", listFilters, pages.cursor],
    queryFn: () =>
      api.get<Page<Conversion>>(
        `/v1/conversions${queryString({ ...listFilters, limit: PAGE_SIZE, cursor: pages.cursor })}`,
      ),
    placeholderData: (previous) => previous,
    refetchInterval: 15_000,
  });
  const items = query.data?.items ?? [];
  const programName = (id: string) => programs.data?.find((p) => p.id === id)?.name ?? "";
  const openId = filters.conversion;
  const inPage = items.find((c) => c.id === openId);
  const single = useQuery({
    queryKey: [...adminKeys.conversions, openId],
    queryFn: () => api.get<Conversion>(`/v1/conversions/${encodeURIComponent(openId)}`),
    enabled: Boolean(openId) && !inPage && !query.isPending,
  });
  // While another conversion loads (a refund's sale off this page), the drawer keeps the last one instead of
  // closing and opening again.
  const shown = useRef<Conversion>(undefined);
  const loaded = inPage ?? single.data;
  if (loaded) shown.current = loaded;
  // One that cannot be loaded (a link to a conversion that does not exist, or not any more) says why in the drawer,
  // rather than the drawer staying shut or showing the one before.
  const loadError = openId && !loaded && single.isError ? single.error : undefined;
  const open = openId && !loadError ? (loaded ?? shown.current) : undefined;
  // Days as yyyy-mm-dd compare as text. A backwards range matches nothing; say why instead of "no conversions".
  const backwards = Boolean(program && filters.from && filters.to && filters.from > filters.to);
  const filtered = Boolean(
    listFilters.q ||
      filters.kind ||
      filters.attributed ||
      listFilters.from ||
      listFilters.before ||
      (!programId && filters.programId),
  );
  return (
    <div className="stack-lg">
      {/* Refused async sales belong next to the conversions they never became, whoever reads this list. */}
      <AsyncSalesCard programId={program || undefined} />
      <section className="card card-flush" aria-label="Conversions">
        <div className="toolbar toolbar-wrap">
          {!programId && <ProgramFilter value={filters.programId} onChange={(v) => setFilter("programId", v)} />}
          {program && (
            <SearchInput
              label="Find an order or customer"
              value={filters.q}
              onChange={(q) => setFilter("q", q)}
              placeholder="Order, refund, event or customer id"
            />
          )}
          <SelectField
            label="Kind"
            value={filters.kind}
            onChange={(v) => setFilter("kind", v)}
            options={optionsFrom(conversionKindLabels)}
            placeholder="All kinds"
            className="filter-field"
          />
          <SelectField
            label="Credit"
            value={filters.attributed}
            onChange={(v) => setFilter("attributed", v)}
            options={[
              { value: "true", label: "Credited to a partner" },
              { value: "false", label: "Not credited" },
            ]}
            placeholder="Any"
            className="filter-field"
          />
          {program && (
            <>
              <TextField
                label="From"
                type="date"
                value={filters.from}
                onChange={(v) => setFilter("from", v)}
                max={filters.to || undefined}
                className="filter-date"
              />
              <TextField
                label="To"
                type="date"
                value={filters.to}
                onChange={(v) => setFilter("to", v)}
                min={filters.from || undefined}
                error={backwards ? "Earlier than From: the range is backwards" : undefined}
                className="filter-date"
              />
            </>
          )}
          <span className="toolbar-spacer" />
          <CsvDownload href={`/v1/conversions/export${queryString(listFilters)}`} label="Export CSV" />
        </div>
        <DataTable
          query={query}
          skeleton={{ columns: 6 }}
          empty={
            <EmptyState
              icon={<ConversionsIcon size={28} />}
              title={
                backwards ? "The date range is backwards" : filtered ? "No conversions match" : "No conversions yet"
              }
            >
              {backwards ? (
                `From (${filters.from}) is later than To (${filters.to}): swap them to see the conversions in between.`
              ) : listFilters.q ? (
                <>
                  Nothing was reported with the id <code>{listFilters.q}</code>
                  {filters.kind || filters.attributed || listFilters.from || listFilters.before
                    ? " among these filters"
                    : ""}
                  . The search is exact: the order, refund or event id your system sent, or its customer id.
                </>
              ) : filtered ? (
                "Clear a filter to see more."
              ) : (
                <>
                  Leads and sales appear here when your site or billing system reports them. See the{" "}
                  {programId ? <Link to={`/admin/programs/${programId}/install`}>install guide</Link> : "install guide"}{" "}
                  of a program.
                </>
              )}
            </EmptyState>
          }
          className="conversions-table"
          rows={items}
          rowKey={(c) => c.id}
          rowProps={(c) => ({
            className: c.id === openId ? "row-clickable row-selected" : "row-clickable",
            onClick: () => setFilter("conversion", c.id),
          })}
          columns={[
            {
              id: "when",
              header: "When",
              cellTitle: (c) => formatDateTime(c.occurredAt),
              cell: (c) => (
                <>
                  <div className="cell-title">{formatRelative(c.occurredAt)}</div>
                  <div className="cell-sub">
                    {!programId && programName(c.programId) ? `${programName(c.programId)} · ` : ""}
                    <span className="mono">{c.idempotencyKey}</span>
                  </div>
                </>
              ),
            },
            {
              id: "kind",
              header: "Kind",
              cell: (c) => (
                <>
                  <ConversionKindBadge kind={c.kind} />
                  {c.eventName && c.kind === "lead" && <div className="cell-sub">{c.eventName}</div>}
                </>
              ),
            },
            { id: "amount", header: "Amount", className: "col-amount", cell: (c) => <Amount conversion={c} /> },
            {
              id: "credited",
              header: "Credited to",
              cell: (c) => (
                <>
                  {c.credits.length === 0 ? (
                    <span className="muted">Nobody</span>
                  ) : (
                    <ul className="credit-cell">
                      {c.credits.map((k) => (
                        <li key={k.partnerId}>
                          <span className="credit-cell-name">{k.partnerName}</span>
                          <span className="credit-cell-share">
                            {formatShare(k.weightBps)}
                            {k.amount !== null && c.currency && k.weightBps < 10_000
                              ? ` · ${formatMoney(k.amount, c.currency)}`
                              : ""}
                          </span>
                        </li>
                      ))}
                    </ul>
                  )}
                  <div className="cell-sub summary-line" title={readableSummary(c.summary)}>
                    {readableSummary(c.summary)}
                  </div>
                </>
              ),
            },
            {
              id: "source",
              header: "Source",
              // A refund takes back its sale's credit: it is not itself sourced or influenced.
              cell: (c) =>
                c.kind === "refund" ? (
                  <span className="muted">
                    {c.source ? `Reverses a ${conversionSourceLabels[c.source].toLowerCase()} sale` : "—"}
                  </span>
                ) : (
                  <ConversionSourceBadge source={c.source} />
                ),
            },
            openerColumn<Conversion>({
              header: "Explanation",
              title: "Explain the attribution",
              label: (c) => `Explain ${c.kind} ${c.idempotencyKey}`,
              onOpen: (c) => setFilter("conversion", c.id),
            }),
          ]}
        />
        <CursorPager pages={pages} count={items.length} nextCursor={query.data?.nextCursor} noun="conversions" />
        <AttributionDrawer
          conversion={open}
          loadError={loadError}
          onRetry={() => single.refetch()}
          onClose={() => setFilter("conversion", "")}
          onOpenConversion={(id) => setFilter("conversion", id)}
        />
      </section>
    </div>
  );
}
