import { useQuery } from "@tanstack/react-query";
import { Fragment } from "react";
import { api, queryString } from "./api.js";
import { Button } from "./button.js";
import { formatMoney, revenueEntries } from "./money.js";
import { daysWindow } from "./performance-series.js";
import type { Revenue } from "./types.js";

/*
 * How each link performs, beside it on the links pages: its clicks, leads, sales and revenue over the last 30 days,
 * counted as "What performs" counts them (a sale for the link of the click that earned its credit). A page asks
 * once for all of its links: the partner breakdown for one partner's links, GET /v1/stats/links for a page of a
 * program's.
 */

/** The period the links pages count, in days: the performance pages' default, over the viewer's calendar days. */
export const LINK_FIGURE_DAYS = 30;
export const LINK_FIGURE_PERIOD = `Last ${LINK_FIGURE_DAYS} days`;

export interface LinkFigures {
  clicks: number;
  leads: number;
  sales: number;
  /** Per currency, minor units, net of refunds. */
  revenue: Revenue;
}

export interface LinkFiguresState {
  /** By link id, once loaded; a link without a row has had nothing in the period. */
  byLink: ReadonlyMap<string, LinkFigures> | undefined;
  loading: boolean;
  failed: boolean;
  retry: () => void;
}

const NOTHING: LinkFigures = { clicks: 0, leads: 0, sales: 0, revenue: {} };

/** A link's figures: zeros for a link with nothing yet; undefined while they load or when they could not. */
export const figuresOf = (state: LinkFiguresState, linkId: string): LinkFigures | undefined =>
  state.byLink ? (state.byLink.get(linkId) ?? NOTHING) : undefined;

/** "$49.00", "€10.00 · $49.00" (never added across currencies), or "—" when there is none. */
export function revenueText(revenue: Revenue): string {
  const entries = revenueEntries(revenue).filter((e) => e.amount !== 0);
  return entries.length ? entries.map((e) => formatMoney(e.amount, e.currency)).join(" · ") : "—";
}

const stateOf = (query: {
  data: ReadonlyMap<string, LinkFigures> | undefined;
  isPending: boolean;
  isError: boolean;
  refetch: () => unknown;
}): LinkFiguresState => ({
  byLink: query.data,
  loading: query.isPending,
  failed: query.isError && !query.data,
  retry: () => void query.refetch(),
});

interface BreakdownRow extends LinkFigures {
  key: string | null;
}

/**
 * One partner's links, from its breakdown per link: "/v1/portal/breakdown" (the partner's own) or
 * "/v1/stats/breakdown" with a partnerId (the console).
 */
export function usePartnerLinkFigures(
  area: "admin" | "portal",
  path: string,
  params: Record<string, string | undefined> = {},
): LinkFiguresState {
  const query = useQuery({
    queryKey: [area, "link-figures", path, params],
    queryFn: async () => {
      const { rows } = await api.get<{ rows: BreakdownRow[] }>(
        `${path}${queryString({ ...params, by: "link", ...daysWindow(LINK_FIGURE_DAYS) })}`,
      );
      return new Map(rows.flatMap(({ key, ...figures }) => (key === null ? [] : [[key, figures] as const])));
    },
  });
  return stateOf(query);
}

/** A page of a program's links, whoever's they are: one request for the page. */
export function useProgramLinkFigures(programId: string, linkIds: string[]): LinkFiguresState {
  const ids = linkIds.join(",");
  const query = useQuery({
    queryKey: ["admin", "link-figures", programId, ids],
    queryFn: async () => {
      const { rows } = await api.get<{ rows: (LinkFigures & { linkId: string })[] }>(
        `/v1/stats/links${queryString({ programId, linkIds: ids, ...daysWindow(LINK_FIGURE_DAYS) })}`,
      );
      return new Map(rows.map(({ linkId, ...figures }) => [linkId, figures] as const));
    },
    enabled: ids !== "",
    placeholderData: (previous) => previous,
  });
  return stateOf(query);
}

/** "1 sale", "12 sales": a count with its noun. */
export const counted = (n: number, one: string, many: string) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

const countsOf = (figures: LinkFigures): string[] => [
  counted(figures.clicks, "click", "clicks"),
  counted(figures.leads, "lead", "leads"),
  counted(figures.sales, "sale", "sales"),
];

/** "12 clicks · 1 lead · 0 sales": every count, so that rows compare at a glance. */
const countsText = (figures: LinkFigures): string => countsOf(figures).join(" · ");

/** The figures as a sentence, for a link shown on its own: "12 clicks · 1 lead · 1 sale · $49.00 in sales". */
export function figuresSentence(figures: LinkFigures, revenueWords: string): string {
  const revenue = revenueText(figures.revenue);
  return revenue === "—" ? countsText(figures) : `${countsText(figures)} · ${revenue} ${revenueWords}`;
}

/** A shimmer where the figures will be, which a screen reader reads as loading. */
export function LinkFiguresLoading() {
  return (
    <>
      <span className="skeleton skeleton-inline" aria-hidden="true" />
      <span className="visually-hidden">Loading</span>
    </>
  );
}

/** The column of the figures, after the link's own columns: its heading says the period. */
export function LinkFiguresHeader() {
  return (
    <th scope="col" className="col-figures">
      {LINK_FIGURE_PERIOD}
    </th>
  );
}

/**
 * A link's figures in one cell, narrow enough for the partner page's column: the counts on a line, the revenue
 * (per currency) under them. A shimmer while they load; "—" for a link with nothing in the period, and when they
 * could not be loaded (LinkFiguresNote says so).
 */
export function LinkFiguresCell({
  figures,
  loading,
  revenueWords,
}: {
  figures: LinkFigures | undefined;
  loading: boolean;
  /** After the amount: "in sales" (the portal), "revenue" (the console). */
  revenueWords: string;
}) {
  const nothing =
    figures &&
    figures.clicks === 0 &&
    figures.leads === 0 &&
    figures.sales === 0 &&
    revenueText(figures.revenue) === "—";
  return (
    <td className="col-figures" data-label={LINK_FIGURE_PERIOD}>
      {!figures ? (
        loading ? (
          <LinkFiguresLoading />
        ) : (
          "—"
        )
      ) : nothing ? (
        <span className="muted" title={`Nothing in the ${LINK_FIGURE_PERIOD.toLowerCase()}`}>
          —<span className="visually-hidden"> nothing yet</span>
        </span>
      ) : (
        <>
          {/* Each count whole; a narrow column (the partner page's) breaks the line between them. */}
          <span className="link-figures-counts">
            {countsOf(figures).map((count, i, all) => (
              <Fragment key={count.split(" ")[1]}>
                {i > 0 && " "}
                <span className="nowrap">
                  {count}
                  {i < all.length - 1 && " ·"}
                </span>
              </Fragment>
            ))}
          </span>
          {revenueText(figures.revenue) !== "—" && (
            <span className="link-figures-revenue">
              <span className="amount">{revenueText(figures.revenue)}</span> {revenueWords}
            </span>
          )}
        </>
      )}
    </td>
  );
}

/** Only when the figures could not be loaded: a line that says so, with a way to try again. */
export function LinkFiguresNote({ state }: { state: LinkFiguresState }) {
  if (!state.failed) return null;
  return (
    <p className="link-figures-note" role="status">
      The figures of the {LINK_FIGURE_PERIOD.toLowerCase()} could not be loaded.
      <Button size="sm" variant="ghost" onClick={state.retry}>
        Retry
      </Button>
    </p>
  );
}
