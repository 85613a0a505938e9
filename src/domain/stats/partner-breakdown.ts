import { eq, inArray, type SQL, sql } from "drizzle-orm";
import { selectRows } from "../../db/client.js";
import { links, partners } from "../../db/schema/index.js";
import { AppError, fieldError } from "../../lib/errors.js";
import type { Ctx } from "../context.js";
import { reportRows } from "./credited-counts.js";
import { creditsByTouch } from "./credits-by-touch.js";

export const breakdownDimensions = [
  "link",
  "sub1",
  "sub2",
  "sub3",
  "sub4",
  "sub5",
  "page",
  "country",
  "device",
  "browser",
  "os",
  "referrer",
  "coupon",
] as const;
export type BreakdownDimension = (typeof breakdownDimensions)[number];

export interface BreakdownQuery {
  /** Whose: a partner user's own, or any partner for the partner team. */
  partnerId: string;
  by: BreakdownDimension;
  programId?: string | undefined;
  from: Date;
  to: Date;
}

export interface BreakdownRow {
  /** The link id or the sub-id's value; null for clicks without one, and for conversions no click of mine earned. */
  key: string | null;
  /** By link: the link's slug (null without a link); absent for sub-ids. */
  linkSlug?: string | null;
  clicks: number;
  leads: number;
  sales: number;
  /** My share of credited revenue, net of refunds, per currency, minor units. */
  revenue: Record<string, number>;
}

/** Enough rows for a report; a partner with more distinct sub-ids gets its busiest. */
const MAX_ROWS = 200;
/**
 * Per link, a row for every link the links pages list (as many as listLinks reads), so that each shows its own
 * figures: a partner's links are its own to create, not anyone's to invent like a sub-id value, and are bounded.
 */
const MAX_LINK_ROWS = 1000;

/** The click column a dimension reads (a fixed list: never text from the request). */
const column: Record<BreakdownDimension, SQL> = {
  link: sql.raw("link_id"),
  sub1: sql.raw("sub1"),
  sub2: sql.raw("sub2"),
  sub3: sql.raw("sub3"),
  sub4: sql.raw("sub4"),
  sub5: sql.raw("sub5"),
  // The page a deep link or a ?via= visit landed on, without its query and fragment (UTM parameters, tracking
  // values), so that one page is one row; null: the link's own destination.
  page: sql.raw(`nullif(split_part(split_part(landing_url, '#', 1), '?', 1), '')`),
  // Where the visitor was: the two-letter code of the trusted country header (COUNTRY_HEADER), and what it used,
  // as the user-agent parser named it.
  country: sql.raw("country"),
  device: sql.raw("device_type"),
  browser: sql.raw("browser"),
  os: sql.raw("os"),
  // The site that sent the visitor, by host without its "www.": one row per site, not per page of it (a page's
  // address may carry a search or a visitor's details). Null: no referrer (typed in, an app, or the browser's
  // policy withheld it).
  // Clicks carry no coupon code: all of them are in the row without one.
  coupon: sql.raw("null::text"),
  referrer: sql.raw(
    `nullif(regexp_replace(lower(substring(referrer from '^[a-zA-Z][a-zA-Z0-9+.-]*://(?:[^@/?#]*@)?([^/:?#]+)')), '^www[.]', ''), '')`,
  ),
};

/**
 * A partner's clicks, leads, sales and revenue per link, per sub-id (`sub1`…`sub5`), per landing page, or per
 * visitor's country, device, browser, operating system or referring site, over a window: which of its
 * links and campaigns perform, for the partner in the portal and for the partner team in the console. Clicks are counted by their own link and sub-ids. A conversion counts
 * for the click that earned the partner its credit: of the partner's touches the attribution model weighed and gave
 * a share, the latest (the decision stored with the conversion says which); a refund counts where its sale did.
 * Conversions credited without a click of the partner's (a coupon code, a lifetime binding) have no link: key null.
 */
export async function partnerBreakdown(ctx: Ctx, query: BreakdownQuery): Promise<{ by: string; rows: BreakdownRow[] }> {
  if (ctx.actor.type === "partner" && ctx.actor.partnerId !== query.partnerId)
    throw new AppError("forbidden", "a partner sees only its own figures");
  if (query.to <= query.from) throw fieldError("querystring:/to", "must be after from");
  const partnerId = query.partnerId;
  const [partner] = await ctx.db.select({ id: partners.id }).from(partners).where(eq(partners.id, partnerId));
  if (!partner) throw new AppError("not_found", `partner ${partnerId} not found`);
  const from = query.from.toISOString();
  const to = query.to.toISOString();
  const key = column[query.by];
  const maxRows = query.by === "link" ? MAX_LINK_ROWS : MAX_ROWS;
  const clickProgram = query.programId ? sql`and program_id = ${query.programId}` : sql``;
  const creditProgram = query.programId ? sql`and cc.program_id = ${query.programId}` : sql``;
  const clickRows = await selectRows<{ key: string | null; n: number }>(
    ctx.db,
    // The busiest values only: anyone can click /r/<slug>?sub1=<anything>, so a sub-id can have countless values.
    sql`select ${key} as key, count(*)::int as n from clicks
        where partner_id = ${partnerId} and at >= ${from}::timestamptz and at < ${to}::timestamptz ${clickProgram}
        group by 1 order by 2 desc limit ${query.by === "link" ? MAX_LINK_ROWS + 1 : MAX_ROWS * 5}`,
  );
  const keyOfTouch =
    query.by === "link"
      ? sql`earned.link_id`
      : query.by === "coupon"
        ? // The code given at checkout (a refund: its sale's), when it is one of this partner's codes in the program:
          // another partner's code, used with this partner's click, is not this partner's to see.
          sql`(select cp.code from coupon_codes cp
               where cp.program_id = cc.program_id and cp.partner_id = cc.partner_id
                 and lower(cp.code) = lower(coalesce(s.coupon_code, c.coupon_code))
               limit 1)`
        : sql`(select ${key} from clicks k where k.id = earned.click_id offset 0)`;
  const creditRows = await creditsByTouch(
    ctx.db,
    keyOfTouch,
    sql`cc.partner_id = ${partnerId} and cc.occurred_at >= ${from}::timestamptz
        and cc.occurred_at < ${to}::timestamptz ${creditProgram}`,
  );
  const byKey = reportRows((k: string | null): Pick<BreakdownRow, "key" | "linkSlug"> => ({ key: k }));
  for (const c of clickRows) byKey.addClicks(c.key, c.n);
  for (const c of creditRows) byKey.addCredits(c.key, c);
  const sorted: BreakdownRow[] = [...byKey.rows.values()].sort(
    (a, b) =>
      b.sales - a.sales || b.leads - a.leads || b.clicks - a.clicks || String(a.key).localeCompare(String(b.key)),
  );
  const top = sorted.slice(0, maxRows);
  if (query.by === "link") await addLinkSlugs(ctx, top);
  return { by: query.by, rows: top };
}

/** Names each link row by its slug, so that neither screen needs every link of the partner to label its rows. */
async function addLinkSlugs(ctx: Ctx, rows: BreakdownRow[]) {
  const ids = rows.flatMap((r) => (r.key === null ? [] : [r.key]));
  const found = ids.length
    ? await ctx.db.select({ id: links.id, slug: links.slug }).from(links).where(inArray(links.id, ids))
    : [];
  const slugs = new Map(found.map((l) => [l.id, l.slug]));
  for (const row of rows) row.linkSlug = row.key === null ? null : (slugs.get(row.key) ?? null);
}
