import { and, eq, getTableColumns, inArray, sql } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import {
  type ConversionKind,
  conversionCredits,
  conversions,
  couponCodes,
  customers,
  customerTouchpoints,
  enrollments,
  type programs,
} from "../../db/schema/index.js";
import { sha256 } from "../../lib/crypto.js";
import { newId } from "../../lib/ids.js";
import { allocate } from "../../lib/money.js";
import { attribute } from "../attribution/attribute.js";
import type { AttributionDecision, CouponBinding, Touchpoint } from "../attribution/attribution.types.js";
import type { Ctx } from "../context.js";
import { type SessionFields, screenConversion } from "../fraud/screen-conversion.js";
import type { ClickIdKeys } from "../tracking/click-id.js";
import { toConversionView } from "./conversion-view.js";
import { loadConversionView } from "./load-conversion.js";
import { type RejectedClickId, resolveTouchpoints } from "./resolve-touchpoints.js";

type Program = typeof programs.$inferSelect;

export interface ConversionRequest extends SessionFields {
  program: Program;
  kind: Exclude<ConversionKind, "refund">;
  idempotencyKey: string;
  customerExternalId?: string | undefined;
  email?: string | undefined;
  clickId?: string | undefined;
  touchpoints?: string[] | undefined;
  couponCode?: string | undefined;
  eventName?: string | undefined;
  amountMinor?: bigint | undefined;
  currency?: string | undefined;
  products?: { id: string; quantity?: number | undefined; amount?: number | undefined }[] | undefined;
  recurring?: boolean | undefined;
  country?: string | undefined;
  occurredAt: Date;
}

/** What is stored as a conversion's decision: the engine's answer plus what the engine never saw. */
export type StoredDecision = AttributionDecision & { rejectedClickIds: RejectedClickId[] };

class AlreadyRecorded extends Error {}

const ACTIVE = ["approved", "active"] as const;

/**
 * Records a lead or a sale exactly once and decides who gets credit. A repeated idempotency key returns the
 * first result and writes nothing; the row, its credits, the customer and its touchpoints commit together,
 * so a 2xx is only ever sent for a committed conversion.
 */
export async function recordConversion(ctx: Ctx, keys: ClickIdKeys, request: ConversionRequest) {
  try {
    // No read before the write: the unique index decides, and a first delivery — the common case — costs one transaction.
    const { row, credits } = await ctx.db.transaction((tx) => decideAndStore(tx, ctx, keys, request));
    return { replayed: false, conversion: toConversionView(row, credits, request.customerExternalId ?? null) };
  } catch (error) {
    // The key was recorded before (a retry) or by a concurrent request that committed first: answer with that result.
    if (!(error instanceof AlreadyRecorded)) throw error;
    const first = await loadConversionView(ctx.db, {
      programId: request.program.id,
      kind: request.kind,
      key: request.idempotencyKey,
    });
    return { replayed: true, conversion: first!.view };
  }
}

async function decideAndStore(tx: Db, ctx: Ctx, keys: ClickIdKeys, request: ConversionRequest) {
  const { program } = request;
  const now = ctx.clock.now();
  const presented = resolveTouchpoints(keys, request.clickId, request.touchpoints);
  const customer = request.customerExternalId ? await upsertCustomer(tx, program.id, request, now) : undefined;
  const touchpoints = customer ? await rememberTouchpoints(tx, customer, presented.accepted) : presented.accepted;
  const coupon = request.couponCode ? await findCoupon(tx, program.id, request.couponCode) : undefined;
  const eligible = await eligiblePartners(tx, program.id, [
    ...touchpoints.map((t) => t.partnerId),
    ...(coupon ? [coupon.partnerId] : []),
    ...(customer?.row.boundPartnerId ? [customer.row.boundPartnerId] : []),
  ]);
  const bound = customer?.row.boundPartnerId && eligible.has(customer.row.boundPartnerId) ? customer.row : undefined;

  const decision: StoredDecision = {
    ...attribute({
      programId: program.id,
      conversionAt: request.occurredAt,
      windowDays: program.cookieWindowDays,
      model: program.attributionModel,
      timeDecayHalfLifeDays: program.timeDecayHalfLifeDays,
      touchpoints,
      ...(coupon && eligible.has(coupon.partnerId) ? { coupon } : {}),
      couponPrecedence: program.couponPrecedence,
      ...(bound
        ? {
            boundPartner: {
              partnerId: bound.boundPartnerId!,
              boundAt: bound.boundAt!,
              enrollmentId: bound.boundEnrollmentId ?? undefined,
            },
          }
        : {}),
      lifetimeBinding: program.lifetimeBinding,
      eligiblePartnerIds: new Set(eligible.keys()),
      conversionKind: request.kind,
    }),
    rejectedClickIds: presented.rejected,
  };

  if (customer && decision.attributed) await bindCustomer(tx, customer, program, decision, request.occurredAt);
  // Partner-sourced: the partner brought a customer we did not know; influenced: the customer was already ours.
  const partnerSourced = decision.attributed
    ? customer
      ? customer.row.firstSeenVia === "partner" || customer.created
      : true
    : null;
  if (customer?.created && decision.attributed) {
    await tx.update(customers).set({ firstSeenVia: "partner" }).where(eq(customers.id, customer.id));
  }

  const [row] = await tx
    .insert(conversions)
    .values({
      id: newId("conversion", now),
      programId: program.id,
      kind: request.kind,
      idempotencyKey: request.idempotencyKey,
      customerId: customer?.id ?? null,
      eventName: request.eventName ?? null,
      amountMinor: request.amountMinor ?? null,
      currency: request.currency ?? null,
      products:
        request.products?.map((p) => ({
          id: p.id,
          quantity: p.quantity,
          amountMinor: p.amount === undefined ? undefined : String(p.amount),
        })) ?? null,
      recurring: request.recurring ?? null,
      clickId: request.clickId?.slice(0, 200) ?? null,
      couponCode: request.couponCode ?? null,
      country: request.country ?? null,
      attributed: decision.attributed,
      partnerSourced,
      decision,
      occurredAt: request.occurredAt,
      receivedAt: now,
    })
    .onConflictDoNothing()
    .returning();
  if (!row) throw new AlreadyRecorded();

  if (!decision.attributed) return { row, credits: [] };
  const amounts =
    request.amountMinor === undefined
      ? undefined
      : allocate(
          request.amountMinor,
          decision.credits.map((c) => BigInt(c.weightBps)),
        );
  const credits = decision.credits.map((c, i) => ({
    conversionId: row.id,
    programId: program.id,
    partnerId: c.partnerId,
    enrollmentId: c.enrollmentId ?? eligible.get(c.partnerId) ?? null,
    weightBps: c.weightBps,
    amountMinor: amounts?.[i] ?? null,
    occurredAt: request.occurredAt,
    commissionState: "queued" as const,
  }));
  await tx.insert(conversionCredits).values(credits);
  await screenConversion(tx, ctx, {
    ...request,
    programId: program.id,
    conversionId: row.id,
    customerId: customer?.id ?? null,
    decision,
  });
  return { row, credits };
}

/** Creates or locks the customer in one statement; `created` tells which (xmax is 0 only for a fresh insert). */
async function upsertCustomer(tx: Db, programId: string, request: ConversionRequest, now: Date) {
  const email = request.email?.trim().toLowerCase();
  const [row] = await tx
    .insert(customers)
    .values({
      id: newId("customer", now),
      programId,
      externalId: request.customerExternalId!,
      emailHash: email ? sha256(email) : null,
      emailDomain: email ? (email.split("@")[1] ?? null) : null,
      firstSeenVia: "direct",
      createdAt: now,
    })
    .onConflictDoUpdate({
      target: [customers.programId, customers.externalId],
      set: { externalId: sql`excluded.external_id` },
    })
    .returning({ ...getTableColumns(customers), created: sql<boolean>`(xmax = 0)` });
  if (!row) throw new Error("customer upsert returned no row");
  const { created, ...customer } = row;
  return { id: customer.id, row: customer, created };
}

/** Stores the touches this conversion presented and returns every touch the customer ever presented. */
async function rememberTouchpoints(
  tx: Db,
  customer: { id: string; created: boolean },
  presented: Touchpoint[],
): Promise<Touchpoint[]> {
  if (presented.length > 0) {
    await tx
      .insert(customerTouchpoints)
      .values(
        presented.map((t) => ({
          customerId: customer.id,
          clickId: t.clickId,
          programId: t.programId,
          partnerId: t.partnerId,
          linkId: t.linkId ?? null,
          clickedAt: t.at,
        })),
      )
      .onConflictDoNothing();
  }
  // A customer created just now has no earlier touches to read back.
  if (customer.created) return presented;
  const stored = await tx.select().from(customerTouchpoints).where(eq(customerTouchpoints.customerId, customer.id));
  const presentedIds = new Set(presented.map((t) => t.clickId));
  return [
    ...presented,
    ...stored
      .filter((s) => !presentedIds.has(s.clickId))
      .map(
        (s): Touchpoint => ({
          clickId: s.clickId,
          programId: s.programId,
          partnerId: s.partnerId,
          linkId: s.linkId ?? undefined,
          at: s.clickedAt,
          source: "stored",
        }),
      ),
  ];
}

async function findCoupon(tx: Db, programId: string, code: string): Promise<CouponBinding | undefined> {
  const [coupon] = await tx
    .select()
    .from(couponCodes)
    .where(and(eq(couponCodes.programId, programId), eq(sql`lower(${couponCodes.code})`, code.toLowerCase())))
    .limit(1);
  if (!coupon || coupon.disabledAt) return undefined;
  return { code: coupon.code, partnerId: coupon.partnerId, enrollmentId: coupon.enrollmentId };
}

/** partnerId → enrollmentId for the partners that may earn in this program now. */
async function eligiblePartners(tx: Db, programId: string, partnerIds: string[]) {
  const unique = [...new Set(partnerIds)];
  if (unique.length === 0) return new Map<string, string>();
  const rows = await tx
    .select({ partnerId: enrollments.partnerId, id: enrollments.id })
    .from(enrollments)
    .where(
      and(
        eq(enrollments.programId, programId),
        inArray(enrollments.partnerId, unique),
        inArray(enrollments.status, [...ACTIVE]),
      ),
    );
  return new Map(rows.map((r) => [r.partnerId, r.id]));
}

/** Lifetime binding: the first attributed lead or sale binds the customer to its top-credited partner. */
async function bindCustomer(
  tx: Db,
  customer: { id: string; row: typeof customers.$inferSelect },
  program: Program,
  decision: Extract<AttributionDecision, { attributed: true }>,
  at: Date,
) {
  if (!program.lifetimeBinding || customer.row.boundPartnerId) return;
  const top = decision.credits[0]!;
  await tx
    .update(customers)
    .set({ boundPartnerId: top.partnerId, boundEnrollmentId: top.enrollmentId ?? null, boundAt: at })
    .where(eq(customers.id, customer.id));
}
