import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import { payoutBatches, payoutMethods, payouts, programs } from "../../db/schema/index.js";
import { AppError, type FieldError } from "../../lib/errors.js";
import { newId } from "../../lib/ids.js";
import type { Ctx } from "../context.js";
import { recordAudits } from "../governance/record-audit.js";
import { loadBatchView } from "./get-payout-batch.js";
import type { CreatePayoutBatchInput } from "./payouts.schemas.js";

/**
 * Finance groups a program's pending payouts to be paid by one method (a PayPal, Wise or bank file, or Stripe
 * transfers). The payouts become `processing` and keep a copy of the partner's (encrypted) method, so the
 * file stays the same if the partner edits its method later. Payouts already in a batch are never taken twice.
 * Payouts to a Stripe account that Stripe reported unable to receive payouts are held out of Stripe batches
 * (they stay pending, with the reason on the payout) until Stripe enables the account again.
 */
export async function createPayoutBatch(ctx: Ctx, input: CreatePayoutBatchInput) {
  const [program] = await ctx.db.select().from(programs).where(eq(programs.id, input.programId));
  if (!program)
    throw new AppError("not_found", `program ${input.programId} not found`, {
      fields: [{ field: "/programId", message: "no such program" }],
    });
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const where = [eq(payouts.programId, program.id), eq(payouts.status, "pending"), isNull(payouts.batchId)];
    if (input.payoutIds) where.push(inArray(payouts.id, input.payoutIds));
    const rows = await tx
      .select({ payout: payouts, methodKind: payoutMethods.kind, attention: payoutMethods.attentionReason })
      .from(payouts)
      .leftJoin(payoutMethods, eq(payoutMethods.partnerId, payouts.partnerId))
      .where(and(...where))
      .orderBy(asc(payouts.id))
      .for("update", { of: payouts });
    const held = (r: (typeof rows)[number]) => r.methodKind === "stripe_connect" && r.attention !== null;
    const chosen = rows.filter((r) => r.methodKind === input.methodKind && !held(r)).map((r) => r.payout);
    if (input.payoutIds) {
      const found = new Map(rows.map((r) => [r.payout.id, r]));
      const errors: FieldError[] = [];
      input.payoutIds.forEach((id, i) => {
        const row = found.get(id);
        if (!row)
          errors.push({
            field: `/payoutIds/${i}`,
            message: `${id} is not a pending, unbatched payout of this program`,
          });
        else if (row.methodKind !== input.methodKind)
          errors.push({
            field: `/payoutIds/${i}`,
            message: `${id} is paid by ${row.methodKind ?? "no method (the partner removed it)"}, not ${input.methodKind}`,
          });
        else if (held(row)) errors.push({ field: `/payoutIds/${i}`, message: `${id} is held: ${row.attention}` });
      });
      if (errors.length)
        throw new AppError("validation", errors.map((e) => `${e.field} ${e.message}`).join("; "), { fields: errors });
    }
    const heldCount = rows.filter((r) => r.methodKind === input.methodKind && held(r)).length;
    if (chosen.length === 0)
      throw new AppError(
        "invalid_state",
        heldCount > 0
          ? `program ${program.id} has no Stripe payouts to send: ${heldCount} held because the partner's Stripe account needs attention`
          : `program ${program.id} has no pending payouts to be paid by ${input.methodKind}; run payouts first`,
        { extra: { held: heldCount } },
      );
    const batchId = newId("payoutBatch", now);
    const ids = chosen.map((p) => p.id);
    const total = chosen.reduce((sum, p) => sum + p.amountMinor, 0n);
    const [batch] = await tx
      .insert(payoutBatches)
      .values({
        id: batchId,
        programId: program.id,
        methodKind: input.methodKind,
        status: "processing",
        payoutCount: chosen.length,
        totalMinor: total,
        currency: program.currency,
        createdBy: ctx.actor.label,
        createdAt: now,
      })
      .returning();
    await tx.execute(sql`
      update payouts as p set batch_id = ${batchId}, status = 'processing', processing_at = ${now}, updated_at = ${now},
        method_kind = m.kind, method_details_encrypted = m.details_encrypted, method_key_id = m.key_id,
        method_masked = m.masked
      from payout_methods as m
      where m.partner_id = p.partner_id and p.id = any(${sql.param(ids)}::text[])`);
    await recordAudits(tx, ctx, [
      {
        action: "payout_batch.create",
        entityType: "payout_batch",
        entityId: batchId,
        programId: program.id,
        after: batch,
      },
      ...chosen.map((p) => ({
        action: "payout.processing",
        entityType: "payout",
        entityId: p.id,
        programId: p.programId,
        partnerId: p.partnerId,
        before: { status: "pending" },
        after: { status: "processing", batchId },
      })),
    ]);
    return loadBatchView(tx, batchId);
  });
}
