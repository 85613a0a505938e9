import { and, eq, inArray, sql } from "drizzle-orm";
import { type Db, selectRows } from "../../db/client.js";
import { payoutBatches, payouts } from "../../db/schema/index.js";
import { AppError } from "../../lib/errors.js";
import { keepingFinalTotals } from "../commissions/final-totals.js";
import type { Ctx } from "../context.js";
import { recordAudits } from "../governance/record-audit.js";
import { creditStripeReversal } from "./credit-stripe-reversal.js";

type PayoutRow = typeof payouts.$inferSelect;

const OPEN = ["pending", "processing"] as const;

/**
 * Marks open payouts paid and their entries `paid` (added to the kept totals of paid money in the same statement),
 * in the caller's transaction. Refuses (and so writes nothing) when an entry of a payout is no longer approved,
 * e.g. held after the payout was made. A reference already recorded (a Stripe transfer id) is kept when none is
 * given. A Stripe payout whose transfer Stripe reversed in part while it was still open (`reversed_minor`, never
 * credited while open) has that part credited now, whichever path records it paid. `manual`: one payout recorded
 * paid by hand (its history says so).
 */
export async function settlePaid(
  tx: Db,
  ctx: Pick<Ctx, "actor" | "clock">,
  ids: string[],
  externalRef: string | null,
  options: { manual?: boolean } = {},
): Promise<PayoutRow[]> {
  if (ids.length === 0) return [];
  const now = ctx.clock.now();
  const before = await tx.select().from(payouts).where(inArray(payouts.id, ids)).for("update");
  const closed = before.find((p) => p.status !== "pending" && p.status !== "processing");
  if (closed) throw new AppError("invalid_state", `payout ${closed.id} is ${closed.status}, not pending or processing`);
  if (before.length !== ids.length) throw new AppError("not_found", "a payout of the list does not exist");
  const paid = await tx
    .update(payouts)
    .set({
      status: "paid",
      paidAt: now,
      updatedAt: now,
      lastError: null,
      externalRef: externalRef ?? sql`${payouts.externalRef}`,
    })
    .where(and(inArray(payouts.id, ids), inArray(payouts.status, [...OPEN])))
    .returning();
  const [entries] = await selectRows<{ n: number }>(
    tx,
    keepingFinalTotals(
      sql`update commission_entries set status = 'paid', status_changed_at = ${now}
          where id in (select unnest(entry_ids) from payout_items where payout_id = any(${sql.param(ids)}::text[]))
            and payout_id = any(${sql.param(ids)}::text[]) and status = 'approved'
          returning program_id, partner_id, currency, status, amount_minor`,
      sql`count(*)::int as n`,
    ),
  );
  const expected = paid.reduce((n, p) => n + p.entryCount, 0);
  if ((entries?.n ?? 0) !== expected) {
    throw new AppError(
      "invalid_state",
      "an entry of these payouts is no longer approved (held or rejected since): approve it again to record the payout paid, or fail the payout so its entries return to the balance (not once its Stripe transfer was made)",
    );
  }
  for (const p of paid) {
    if (p.methodKind !== "stripe_connect" || p.reversedMinor <= 0n) continue;
    const transferId = p.externalRef ?? "(transfer id not recorded)";
    await creditStripeReversal(tx, ctx, p, {
      transferId,
      reversedTotal: p.reversedMinor,
      credited: 0n,
      stripeEventId: null,
    });
  }
  const statusBefore = new Map(before.map((p) => [p.id, p.status]));
  await recordAudits(
    tx,
    ctx,
    paid.map((p) => ({
      action: "payout.paid",
      entityType: "payout",
      entityId: p.id,
      programId: p.programId,
      partnerId: p.partnerId,
      before: { status: statusBefore.get(p.id) },
      after: {
        status: "paid",
        amountMinor: p.amountMinor,
        currency: p.currency,
        externalRef: p.externalRef,
        methodKind: p.methodKind,
        methodMasked: p.methodMasked,
        manual: options.manual === true,
      },
    })),
  );
  await completeBatches(tx, ctx, paid);
  return paid;
}

/**
 * A payout that will not be paid: it becomes `failed` and its entries return to the partner's balance
 * (payout_id cleared), to be paid by a later run. Its items stay as history. An entry held or rejected while in the
 * payout leaves it too, as it is: pointing at a failed payout it could be neither reviewed nor paid again.
 */
export async function settleFailed(
  tx: Db,
  ctx: Pick<Ctx, "actor" | "clock">,
  id: string,
  reason: string,
): Promise<PayoutRow> {
  const now = ctx.clock.now();
  const [current] = await tx.select().from(payouts).where(eq(payouts.id, id)).for("update");
  if (!current) throw new AppError("not_found", `payout ${id} not found`);
  const [row] = await tx
    .update(payouts)
    .set({ status: "failed", failedAt: now, updatedAt: now, failureReason: reason })
    .where(and(eq(payouts.id, id), inArray(payouts.status, [...OPEN])))
    .returning();
  if (!row) throw new AppError("invalid_state", `payout ${id} is ${current.status}, not pending or processing`);
  await tx.execute(sql`
    update commission_entries set payout_id = null
    where id in (select unnest(entry_ids) from payout_items where payout_id = ${id}) and payout_id = ${id}`);
  await recordAudits(tx, ctx, [
    {
      action: "payout.failed",
      entityType: "payout",
      entityId: row.id,
      programId: row.programId,
      partnerId: row.partnerId,
      before: { status: current.status },
      after: { status: "failed", reason, amountMinor: row.amountMinor, currency: row.currency },
    },
  ]);
  await completeBatches(tx, ctx, [row]);
  return row;
}

/** A batch is completed once none of its payouts is still open. */
async function completeBatches(tx: Db, ctx: Pick<Ctx, "actor" | "clock">, rows: PayoutRow[]) {
  const batchIds = [...new Set(rows.map((r) => r.batchId).filter((b): b is string => b !== null))];
  for (const batchId of batchIds) {
    const [open] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(payouts)
      .where(and(eq(payouts.batchId, batchId), inArray(payouts.status, [...OPEN])));
    if ((open?.n ?? 0) > 0) continue;
    const [batch] = await tx
      .update(payoutBatches)
      .set({ status: "completed", completedAt: ctx.clock.now() })
      .where(and(eq(payoutBatches.id, batchId), eq(payoutBatches.status, "processing")))
      .returning();
    if (batch)
      await recordAudits(tx, ctx, [
        {
          action: "payout_batch.complete",
          entityType: "payout_batch",
          entityId: batchId,
          programId: batch.programId,
          after: { status: "completed" },
        },
      ]);
  }
}
