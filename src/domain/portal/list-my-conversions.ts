import { and, desc, eq, type SQL } from "drizzle-orm";
import { type ConversionKind, conversionCredits, conversions, fraudReviews, programs } from "../../db/schema/index.js";
import { decodeTimeCursor, encodeTimeCursor, olderThan } from "../../db/time-cursor.js";
import { AppError } from "../../lib/errors.js";
import type { Ctx } from "../context.js";

export interface MyConversionsQuery {
  programId?: string | undefined;
  kind?: ConversionKind | undefined;
  limit: number;
  cursor?: string | undefined;
}

/**
 * What a partner may know of a fraud review: that money is on hold, and the outcome. A flag (money flows while
 * the team looks) and every rule and piece of evidence stay in the console.
 */
function reviewForPartner(review: { action: string; status: string } | null) {
  if (!review) return null;
  if (review.status === "rejected") return "rejected" as const;
  if (review.action === "flag") return null;
  return review.status === "open" ? ("on_hold" as const) : ("approved" as const);
}

/**
 * The conversions credited to the signed-in partner, with its own share only, newest first by when they happened.
 * Customer ids, emails, order ids and other partners' shares stay with the vendor. A page is a range of the
 * partner's credits (partner_id, occurred_at), however many conversions other partners have: ordered by
 * conversion id, a partner whose last sale was long ago had the whole table walked to find it.
 */
export async function listMyConversions(ctx: Ctx, query: MyConversionsQuery) {
  if (ctx.actor.type !== "partner") throw new AppError("forbidden", "partner users only");
  const where: SQL[] = [eq(conversionCredits.partnerId, ctx.actor.partnerId)];
  if (query.programId) where.push(eq(conversionCredits.programId, query.programId));
  if (query.kind) where.push(eq(conversions.kind, query.kind));
  if (query.cursor) {
    const after = decodeTimeCursor(query.cursor, "cnv_");
    where.push(...olderThan(conversionCredits.occurredAt, conversionCredits.conversionId, after));
  }
  const rows = await ctx.db
    .select({
      conversion: conversions,
      credit: conversionCredits,
      programName: programs.name,
      review: { action: fraudReviews.action, status: fraudReviews.status },
    })
    .from(conversionCredits)
    .innerJoin(conversions, eq(conversions.id, conversionCredits.conversionId))
    .innerJoin(programs, eq(programs.id, conversionCredits.programId))
    .leftJoin(fraudReviews, eq(fraudReviews.conversionId, conversions.id))
    .where(and(...where))
    .orderBy(desc(conversionCredits.occurredAt), desc(conversionCredits.conversionId))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map(({ conversion, credit, programName, review }) => ({
      id: conversion.id,
      programId: conversion.programId,
      programName,
      kind: conversion.kind,
      eventName: conversion.eventName,
      occurredAt: conversion.occurredAt.toISOString(),
      currency: conversion.currency,
      weightBps: credit.weightBps,
      /** This partner's share of the amount (negative for refunds), minor units. */
      amount: credit.amountMinor === null ? null : Number(credit.amountMinor),
      refunded: conversion.kind === "sale" && conversion.refundedMinor > 0n,
      // Refunds never add up to more than the sale, so reaching its amount is all of it.
      fullyRefunded:
        conversion.kind === "sale" &&
        conversion.amountMinor !== null &&
        conversion.amountMinor > 0n &&
        conversion.refundedMinor >= conversion.amountMinor,
      viaCoupon: conversion.couponCode !== null,
      review: reviewForPartner(review),
    })),
    nextCursor:
      rows.length > query.limit && last ? encodeTimeCursor(last.credit.occurredAt, last.credit.conversionId) : null,
  };
}
