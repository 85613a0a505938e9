import { and, desc, eq, gte, inArray, lt, or, type SQL, sql } from "drizzle-orm";
import {
  type ConversionKind,
  conversionCredits,
  conversionKinds,
  conversions,
  customers,
} from "../../db/schema/index.js";
import { decodeTimeCursor, encodeTimeCursor, olderThan } from "../../db/time-cursor.js";
import { AppError, fieldError } from "../../lib/errors.js";
import type { Ctx } from "../context.js";
import { namedInView, toConversionView } from "./conversion-view.js";
import { displayNames } from "./display-names.js";
import { namedIdsIn, nameOf, withNames } from "./names-in-text.js";
import type { StoredDecision } from "./record-conversion.js";
import { describeOutcome } from "./uncredited-reason.js";

export interface ConversionQuery {
  programId?: string | undefined;
  partnerId?: string | undefined;
  kind?: ConversionKind | undefined;
  attributed?: boolean | undefined;
  /** Conversions that happened at or after this time (needs a program or a partner). */
  from?: string | undefined;
  /** Conversions that happened before this time (needs a program or a partner). */
  before?: string | undefined;
  /**
   * Needs a program: the conversions whose order, refund or event id is this one (the idempotency key), or whose
   * customer is this one (the vendor's id). Exact, as a partner quotes an order number: each is a key lookup.
   */
  q?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

/**
 * Newest first. Filtered by program or partner, by when they happened, so a page is a range of the program's
 * conversions (program_id, occurred_at) or of the partner's credits (partner_id, occurred_at); ordered by id, a
 * small program's page walked the primary key past every other program's rows. All programs together, by when
 * they were received (the primary key), as no index orders every conversion by time. Filtering by partner lists
 * the conversions that credit it. The cursor is opaque: the last row's time and id.
 */
export async function listConversions(ctx: Ctx, query: ConversionQuery) {
  const where: SQL[] = [];
  if (query.programId) where.push(eq(conversions.programId, query.programId));
  if (query.kind) where.push(eq(conversions.kind, query.kind));
  if (query.attributed !== undefined) where.push(eq(conversions.attributed, query.attributed));
  // The time the order follows: the partner's credits carry their conversion's.
  const time = query.partnerId ? conversionCredits.occurredAt : query.programId ? conversions.occurredAt : undefined;
  if (query.from || query.before) {
    // All programs together are read by id: a time range there would walk every conversion outside it.
    if (!time) throw fieldError("querystring:/programId", "a time range needs a program or a partner");
    if (query.from) where.push(gte(time, new Date(query.from)));
    if (query.before) where.push(lt(time, new Date(query.before)));
  }
  const term = query.q?.trim();
  if (term) {
    if (!query.programId) throw fieldError("querystring:/q", "a search needs a program");
    // Keyed per program and kind: naming the three kinds lets the unique index answer directly.
    where.push(
      or(
        and(inArray(conversions.kind, [...conversionKinds]), eq(conversions.idempotencyKey, term)),
        eq(
          conversions.customerId,
          sql`(select ${customers.id} from ${customers} where ${customers.programId} = ${query.programId} and ${customers.externalId} = ${term})`,
        ),
      )!,
    );
  }
  if (query.cursor) {
    const after = decodeTimeCursor(query.cursor, "cnv_");
    if (time) where.push(...olderThan(time, conversions.id, after));
    else where.push(lt(conversions.id, after.id));
  }
  const base = ctx.db
    .select({ conversion: conversions, customerExternalId: customers.externalId })
    .from(conversions)
    .leftJoin(customers, eq(customers.id, conversions.customerId));
  const filtered = query.partnerId
    ? base.innerJoin(
        conversionCredits,
        and(eq(conversionCredits.conversionId, conversions.id), eq(conversionCredits.partnerId, query.partnerId)),
      )
    : base;
  const rows = await filtered
    .where(and(...where))
    .orderBy(...(time ? [desc(time)] : []), desc(conversions.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const ids = page.map((r) => r.conversion.id);
  const credits = ids.length
    ? await ctx.db.select().from(conversionCredits).where(inArray(conversionCredits.conversionId, ids))
    : [];
  const creditsOf = (id: string) => credits.filter((c) => c.conversionId === id);
  // The page's partners and programs named in one query, however many conversions name them.
  const names = await displayNames(
    ctx,
    page.flatMap((r) => namedInView(r.conversion, creditsOf(r.conversion.id))),
  );
  return {
    items: page.map((r) => toConversionView(r.conversion, creditsOf(r.conversion.id), r.customerExternalId, names)),
    nextCursor:
      rows.length > query.limit && last ? encodeTimeCursor(last.conversion.occurredAt, last.conversion.id) : null,
  };
}

/** "Why did this conversion credit whom": every touch considered, the model, the weights, what was excluded and why. */
export async function explainAttribution(ctx: Ctx, conversionId: string) {
  const [row] = await ctx.db.select().from(conversions).where(eq(conversions.id, conversionId));
  if (!row) throw new AppError("not_found", `conversion ${conversionId} not found`);
  const decision = row.decision as StoredDecision;
  const { reason, summary } = describeOutcome(row);
  const credits = decision.attributed ? decision.credits : [];
  const considered = decision.considered ?? [];
  // Stored with ids, read with the partners' and programs' names as they are now: one query for all it mentions.
  const names = await displayNames(ctx, [
    ...credits.map((c) => c.partnerId),
    ...(decision.coupon ? [decision.coupon.partnerId] : []),
    ...considered.flatMap((c) => [c.touch.partnerId, c.touch.programId]),
    ...namedIdsIn(summary),
    ...considered.flatMap((c) => namedIdsIn(c.explanation ?? "")),
  ]);
  const named = <T extends { partnerId: string }>(x: T) => ({ ...x, partnerName: nameOf(names, x.partnerId) });
  return {
    conversionId: row.id,
    kind: row.kind,
    attributed: row.attributed,
    source: row.partnerSourced === null ? null : row.partnerSourced ? "partner_sourced" : "partner_influenced",
    model: decision.attributed ? decision.model : null,
    reason,
    summary: withNames(summary, names),
    couponCode: row.couponCode,
    credits: credits.map(named),
    // Uncredited, a decision holds a coupon only to say why it did not apply (its partner not active).
    coupon: decision.coupon ? named(decision.coupon) : null,
    touchpoints: considered.map((c) => ({
      clickId: c.touch.clickId,
      partnerId: c.touch.partnerId,
      partnerName: nameOf(names, c.touch.partnerId),
      linkId: c.touch.linkId ?? null,
      programId: c.touch.programId,
      programName: nameOf(names, c.touch.programId),
      at: new Date(c.touch.at).toISOString(),
      source: c.touch.source,
      included: c.included,
      reason: c.reason ?? null,
      weightBps: c.weightBps ?? null,
      explanation: withNames(c.explanation ?? "", names),
    })),
    rejectedClickIds: decision.rejectedClickIds ?? [],
  };
}
