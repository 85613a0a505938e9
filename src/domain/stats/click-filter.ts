import { eq, gte, lt, type SQL } from "drizzle-orm";
import { clicks, links } from "../../db/schema/index.js";
import { fieldError } from "../../lib/errors.js";
import type { Ctx } from "../context.js";

/** What the clicks list, its CSV and its total filter by. */
export interface ClickFilterQuery {
  programId?: string | undefined;
  partnerId?: string | undefined;
  linkId?: string | undefined;
  /** Clicks at or after this time. */
  from?: string | undefined;
  /** Clicks before this time. */
  before?: string | undefined;
}

/** One key a filter names: clicks and their roll-ups by partner name these columns alike. */
export interface ClickKey {
  column: "programId" | "partnerId" | "linkId";
  value: string;
}

/** A filter's program, partner and link as conditions on clicks, and its range of time. */
export interface ClickFilter {
  /** Who the clicks are of: each a key of an index in time order (program, partner), or the link itself. */
  whose: SQL[];
  /** The same conditions as keys, to ask a roll-up by partner (click_partner_days) with. */
  keys: ClickKey[];
  from: Date | undefined;
  before: Date | undefined;
}

/**
 * The clicks a filter names, checked as the list and its total both read them. A link's clicks are asked for with
 * its partner and program too: clicks have no index on the link (one more to write on every redirect), and a link
 * belongs to one partner, so they are read from the partner's range of (partner_id, at, program_id). Undefined:
 * a link that does not exist, whose clicks are none.
 */
export async function clickFilter(ctx: Ctx, query: ClickFilterQuery): Promise<ClickFilter | undefined> {
  // A range that ends before it starts is a mistake to say, not an empty list (the console's From … Up to).
  if (query.from && query.before && Date.parse(query.from) >= Date.parse(query.before))
    throw fieldError("querystring:/from", "must be before `before`");
  // Clicks are only kept in time order per program and per partner: all programs' together would be read whole.
  if (!query.programId && !query.partnerId && !query.linkId)
    throw fieldError("querystring:/programId", "choose a program, a partner or a link");
  const keys: ClickKey[] = [];
  if (query.linkId) {
    const [link] = await ctx.db
      .select({ programId: links.programId, partnerId: links.partnerId })
      .from(links)
      .where(eq(links.id, query.linkId));
    if (!link) return undefined;
    keys.push(
      { column: "linkId", value: query.linkId },
      { column: "partnerId", value: link.partnerId },
      { column: "programId", value: link.programId },
    );
  }
  if (query.programId) keys.push({ column: "programId", value: query.programId });
  if (query.partnerId) keys.push({ column: "partnerId", value: query.partnerId });
  return {
    whose: keys.map((k) => eq(clicks[k.column], k.value)),
    keys,
    from: query.from ? new Date(query.from) : undefined,
    before: query.before ? new Date(query.before) : undefined,
  };
}

/** Clicks at or after `from` and before `before`; either end may be open. */
export const clicksBetween = (from: Date | undefined, before: Date | undefined): SQL[] => [
  ...(from ? [gte(clicks.at, from)] : []),
  ...(before ? [lt(clicks.at, before)] : []),
];
