import { and, asc, eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { commissionQueue, conversionCredits, conversions } from "../../db/schema/index.js";
import { AppError, fieldError } from "../../lib/errors.js";
import { newId } from "../../lib/ids.js";
import { allocate } from "../../lib/money.js";
import type { Ctx } from "../context.js";
import { isUniqueViolation } from "../unique-violation.js";
import type { ConversionView, TrackRefundInput } from "./conversions.schemas.js";
import { eventTime } from "./event-time.js";
import { findProgramRef, type ProgramCache } from "./find-program-ref.js";
import { loadConversionView } from "./load-conversion.js";
import { amountText, assertSameAsFirst } from "./same-as-first.js";

/**
 * A full or partial refund of a recorded sale, never more than what is left of it. The sale row is locked
 * so two concurrent refunds cannot together exceed the sale. Each credited partner's share is reversed in
 * proportion (negative credit amounts), which the commission engine turns into reversals or clawbacks.
 */
export async function trackRefund(ctx: Ctx, input: TrackRefundInput, programCache?: ProgramCache) {
  const program = await findProgramRef(ctx.db, input.programId, programCache);
  const key = { programId: program.id, kind: "refund" as const, key: input.refundId };
  const first = await loadConversionView(ctx.db, key);
  if (first) return { replayed: true, conversion: await sameAsFirst(ctx, program.id, input, first.view) };
  let stored: { id: string; replayed: boolean };
  try {
    stored = await ctx.db.transaction((tx) => storeRefund(tx, ctx.clock.now(), program.id, input));
  } catch (error) {
    // Refunds of two different sales do not lock each other, so one refund id sent for both at once reaches the
    // unique index twice: the one that loses is answered as a retry that came later would be.
    if (!isUniqueViolation(error, "conversions_idempotency_key")) throw error;
    const winner = await loadConversionView(ctx.db, key);
    if (!winner) throw error;
    return { replayed: true, conversion: await sameAsFirst(ctx, program.id, input, winner.view) };
  }
  const view = (await loadConversionView(ctx.db, { id: stored.id }))!.view;
  return {
    replayed: stored.replayed,
    conversion: stored.replayed ? await sameAsFirst(ctx, program.id, input, view) : view,
  };
}

/** A program's conversion of a kind under an idempotency key (an order id, a refund id). */
const keyIs = (programId: string, kind: "sale" | "refund", key: string) =>
  and(eq(conversions.programId, programId), eq(conversions.kind, kind), eq(conversions.idempotencyKey, key));

/** The refund, its sale's refunded total and each credited partner's reversed share, in one transaction. */
async function storeRefund(tx: Db, now: Date, programId: string, input: TrackRefundInput) {
  const occurredAt = eventTime(input.occurredAt, now);
  const [sale] = await tx
    .select()
    .from(conversions)
    .where(keyIs(programId, "sale", input.orderId))
    .for("update");
  if (!sale)
    throw new AppError("not_found", `no sale with order id ${input.orderId} in this program`, {
      fields: [{ field: "/orderId", message: "no such sale" }],
    });
  // Re-checked under the lock: a concurrent retry of this refund may have committed meanwhile.
  const [again] = await tx
    .select({ id: conversions.id })
    .from(conversions)
    .where(keyIs(programId, "refund", input.refundId));
  if (again) return { id: again.id, replayed: true };
  if (input.occurredAt !== undefined && occurredAt < sale.occurredAt)
    throw fieldError("/occurredAt", `is before the sale it refunds (${sale.occurredAt.toISOString()})`);
  // Undated, it happened now, or with the sale if that is dated (a little) ahead of this server's clock.
  const refundedAt = occurredAt < sale.occurredAt ? sale.occurredAt : occurredAt;
  const amount = BigInt(input.amount);
  const remaining = (sale.amountMinor ?? 0n) - sale.refundedMinor;
  if (amount > remaining)
    throw fieldError(
      "/amount",
      `exceeds what is left of the sale to refund (${remaining} ${sale.currency ?? ""})`.trim(),
    );
  await tx
    .update(conversions)
    .set({ refundedMinor: sql`${conversions.refundedMinor} + ${amount}` })
    .where(eq(conversions.id, sale.id));
  // In a fixed order, so ties in the split always fall the same way.
  const credits = await tx
    .select()
    .from(conversionCredits)
    .where(eq(conversionCredits.conversionId, sale.id))
    .orderBy(asc(conversionCredits.partnerId));
  // What the sale's earlier refunds took back from each partner (negative), read under the sale's lock.
  const reversed = await tx
    .select({
      partnerId: conversionCredits.partnerId,
      amount: sql<string>`coalesce(sum(${conversionCredits.amountMinor}), 0)::text`,
    })
    .from(conversionCredits)
    .innerJoin(conversions, eq(conversions.id, conversionCredits.conversionId))
    .where(eq(conversions.saleId, sale.id))
    .groupBy(conversionCredits.partnerId);
  const [refund] = await tx
    .insert(conversions)
    .values({
      id: newId("conversion", now),
      programId,
      kind: "refund",
      idempotencyKey: input.refundId,
      customerId: sale.customerId,
      amountMinor: amount,
      currency: sale.currency,
      saleId: sale.id,
      attributed: sale.attributed,
      partnerSourced: sale.partnerSourced,
      decision: {
        summary: `refund of ${amountText(amount, sale.currency)} on order ${input.orderId}, reversed in the sale's proportions`,
      },
      occurredAt: refundedAt,
      receivedAt: now,
    })
    .returning({ id: conversions.id });
  if (!refund) throw new Error("insert returned no row");
  if (credits.length > 0) {
    const reversedBy = new Map(reversed.map((r) => [r.partnerId, BigInt(r.amount)]));
    const shares = refundShares(credits, reversedBy, amount);
    await tx
      .insert(conversionCredits)
      .values(
        credits.map((c, i) => ({ ...c, conversionId: refund.id, amountMinor: -shares[i]!, occurredAt: refundedAt })),
      );
    await tx
      .insert(commissionQueue)
      .values(credits.map((c) => ({ conversionId: refund.id, partnerId: c.partnerId, programId: c.programId })));
  }
  return { id: refund.id, replayed: false };
}

/**
 * What this refund takes back from each credited partner: the refund split in proportion to what each partner
 * still holds of the sale (its credit less what earlier refunds took back). A share never exceeds what the
 * partner holds and is never negative, and refunds that add up to the sale take back exactly each partner's
 * credit. Split by the sale's weights instead, the rounding of every small refund fell on the same partner (ten
 * refunds of 1 cent on a 4/3/3 split took all ten from the first, leaving -6/+3/+3).
 */
function refundShares(
  credits: { partnerId: string; weightBps: number; amountMinor: bigint | null }[],
  reversedBy: ReadonlyMap<string, bigint>,
  amount: bigint,
) {
  const held = credits.map((c) => {
    const left = (c.amountMinor ?? 0n) + (reversedBy.get(c.partnerId) ?? 0n);
    return left > 0n ? left : 0n;
  });
  // Nothing held (a sale without amounts per partner): its weights decide.
  const weights = held.some((h) => h > 0n) ? held : credits.map((c) => BigInt(c.weightBps));
  return allocate(amount, weights);
}

/** A refund id recorded before must come back with its sale and amount: anything else is another refund (409). */
async function sameAsFirst(ctx: Ctx, programId: string, input: TrackRefundInput, first: ConversionView) {
  const sale = await loadConversionView(ctx.db, { programId, kind: "sale", key: input.orderId });
  const otherOrder =
    sale?.view.id === first.saleId
      ? []
      : [{ field: "/orderId", message: `is not the order ${input.refundId} refunded` }];
  assertSameAsFirst("/refundId", input.refundId, { amountMinor: BigInt(input.amount) }, first, otherOrder);
  return first;
}
