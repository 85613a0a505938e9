import { and, desc, eq, inArray, lt, type SQL } from "drizzle-orm";
import { type ConversionKind, conversionCredits, conversions, customers } from "../../db/schema/index.js";
import { AppError } from "../../lib/errors.js";
import type { Ctx } from "../context.js";
import { toConversionView } from "./conversion-view.js";
import type { StoredDecision } from "./record-conversion.js";

export interface ConversionQuery {
  programId?: string | undefined;
  partnerId?: string | undefined;
  kind?: ConversionKind | undefined;
  attributed?: boolean | undefined;
  limit: number;
  cursor?: string | undefined;
}

/** Newest first. Filtering by partner lists the conversions that credit it. */
export async function listConversions(ctx: Ctx, query: ConversionQuery) {
  const where: SQL[] = [];
  if (query.programId) where.push(eq(conversions.programId, query.programId));
  if (query.kind) where.push(eq(conversions.kind, query.kind));
  if (query.attributed !== undefined) where.push(eq(conversions.attributed, query.attributed));
  if (query.cursor) where.push(lt(conversions.id, query.cursor));
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
    .orderBy(desc(conversions.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const ids = page.map((r) => r.conversion.id);
  const credits = ids.length
    ? await ctx.db.select().from(conversionCredits).where(inArray(conversionCredits.conversionId, ids))
    : [];
  return {
    items: page.map((r) =>
      toConversionView(
        r.conversion,
        credits.filter((c) => c.conversionId === r.conversion.id),
        r.customerExternalId,
      ),
    ),
    nextCursor: rows.length > query.limit ? (page.at(-1)?.conversion.id ?? null) : null,
  };
}

/** "Why did this conversion credit whom": every touch considered, the model, the weights, what was excluded and why. */
export async function explainAttribution(ctx: Ctx, conversionId: string) {
  const [row] = await ctx.db.select().from(conversions).where(eq(conversions.id, conversionId));
  if (!row) throw new AppError("not_found", `conversion ${conversionId} not found`);
  const decision = row.decision as StoredDecision;
  return {
    conversionId: row.id,
    kind: row.kind,
    attributed: row.attributed,
    source: row.partnerSourced === null ? null : row.partnerSourced ? "partner_sourced" : "partner_influenced",
    model: decision.attributed ? decision.model : null,
    reason: decision.attributed ? null : (decision.reason ?? null),
    summary: decision.summary ?? "",
    credits: decision.attributed ? decision.credits : [],
    coupon: decision.attributed ? (decision.coupon ?? null) : null,
    touchpoints: (decision.considered ?? []).map((c) => ({
      clickId: c.touch.clickId,
      partnerId: c.touch.partnerId,
      linkId: c.touch.linkId ?? null,
      programId: c.touch.programId,
      at: new Date(c.touch.at).toISOString(),
      source: c.touch.source,
      included: c.included,
      reason: c.reason ?? null,
      weightBps: c.weightBps ?? null,
      explanation: c.explanation ?? "",
    })),
    rejectedClickIds: decision.rejectedClickIds ?? [],
  };
}
