import { and, count, eq, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { clickHours, clickPartnerDays, clicks } from "../../db/schema/index.js";
import type { Ctx } from "../context.js";
import { type ClickFilter, type ClickFilterQuery, clickFilter, clicksBetween } from "./click-filter.js";
import { type RolledUpSpan, rolledUpDays, rolledUpDaysWithin, rolledUpHours, rolledUpSpan } from "./click-hours.js";

/**
 * How many clicks the clicks list holds for a filter: the same clicks (bots are never stored), however many pages.
 * The whole units already rolled up are read from a roll-up and only the partial ones at the range's ends and those
 * not rolled up yet are counted one by one, as the charts do: a program's hours from click_hours, one row an hour; a
 * partner's or a link's days from click_partner_days, a range of (partner_id, day), one row per program and link a
 * day. Counted one by one, a partner's clicks are a range of (partner_id, at, program_id) (a link's visit each of
 * its partner's clicks in the range for its link).
 */
export async function countClicks(ctx: Ctx, query: ClickFilterQuery): Promise<{ count: number }> {
  const filter = await clickFilter(ctx, query);
  if (!filter) return { count: 0 };
  // A program's clicks as a whole, per hour; anything with a partner or a link in it, per partner and day.
  const programId = query.partnerId || query.linkId ? undefined : query.programId;
  const span = programId
    ? await rolledUpSpan(ctx.db, filter.from, filter.before)
    : await rolledUpDays(ctx.db, filter.from, filter.before);
  if (!span) return { count: await counted(ctx.db, filter.whose, filter.from, filter.before) };
  const [head, rolled, tail] = await Promise.all([
    span.start ? counted(ctx.db, filter.whose, filter.from, span.start) : 0,
    programId ? programHours(ctx.db, programId, span) : partnerDays(ctx.db, filter, span),
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

const sumOf = (column: typeof clickHours.clicks | typeof clickPartnerDays.clicks) =>
  sql<number>`coalesce(sum(${column}), 0)`.mapWith(Number);

async function programHours(db: Db, programId: string, span: RolledUpSpan): Promise<number> {
  const [row] = await db
    .select({ n: sumOf(clickHours.clicks) })
    .from(clickHours)
    .where(rolledUpHours(programId, span));
  return row?.n ?? 0;
}

async function partnerDays(db: Db, filter: ClickFilter, span: RolledUpSpan): Promise<number> {
  const whose = filter.keys.map((k) => eq(clickPartnerDays[k.column], k.value));
  const [row] = await db
    .select({ n: sumOf(clickPartnerDays.clicks) })
    .from(clickPartnerDays)
    .where(and(...whose, ...rolledUpDaysWithin(span)));
  return row?.n ?? 0;
}
