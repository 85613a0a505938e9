import { and, count, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { clickHours, clicks } from "../../db/schema/index.js";
import type { Ctx } from "../context.js";
import { type ClickFilterQuery, clickFilter, clicksBetween } from "./click-filter.js";
import { rolledUpHours, rolledUpSpan } from "./click-hours.js";

/**
 * How many clicks the clicks list holds for a filter: the same clicks (bots are never stored), however many pages.
 * A program's whole hours already rolled up are read from click_hours, one row an hour, and only the partial hours
 * at the range's ends and the hours not rolled up yet are counted, as its chart does. click_hours is per program
 * alone: a partner's or a link's clicks are counted one by one from the partner's range of (partner_id, at,
 * program_id), which grows with the partner's clicks in the range (a link's also visit each of them for its link).
 */
export async function countClicks(ctx: Ctx, query: ClickFilterQuery): Promise<{ count: number }> {
  const filter = await clickFilter(ctx, query);
  if (!filter) return { count: 0 };
  // Only a program's clicks as a whole are rolled up.
  const programId = query.partnerId || query.linkId ? undefined : query.programId;
  const span = programId ? await rolledUpSpan(ctx.db, filter.from, filter.before) : undefined;
  if (!programId || !span) return { count: await counted(ctx.db, filter.whose, filter.from, filter.before) };
  const [head, rolled, tail] = await Promise.all([
    span.start ? counted(ctx.db, filter.whose, filter.from, span.start) : 0,
    ctx.db
      .select({ n: sql`coalesce(sum(${clickHours.clicks}), 0)`.mapWith(Number) })
      .from(clickHours)
      .where(rolledUpHours(programId, span))
      .then(([row]) => row?.n ?? 0),
    counted(ctx.db, filter.whose, span.end, filter.before),
  ]);
  return { count: head + rolled + tail };
}

/** Clicks counted one by one. */
async function counted(db: Db, whose: SQL[], from: Date | undefined, before: Date | undefined): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(clicks)
    .where(and(...whose, ...clicksBetween(from, before)));
  return row?.n ?? 0;
}
