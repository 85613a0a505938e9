import { and, eq } from "drizzle-orm";
import { payoutBatches, payouts } from "../../db/schema/index.js";
import { AppError } from "../../lib/errors.js";
import type { Ctx } from "../context.js";
import { loadBatchView } from "./get-payout-batch.js";
import { settlePaid } from "./settle-payouts.js";

/** Finance confirms the uploaded file was paid: every payout of the batch still processing becomes paid. */
export async function markBatchPaid(ctx: Ctx, batchId: string, input: { reference?: string | undefined }) {
  return ctx.db.transaction(async (tx) => {
    const [batch] = await tx.select().from(payoutBatches).where(eq(payoutBatches.id, batchId)).for("update");
    if (!batch) throw new AppError("not_found", `payout batch ${batchId} not found`);
    if (batch.methodKind === "stripe_connect")
      throw new AppError("invalid_state", "Stripe batches are paid by sending them (POST /v1/payout-batches/:id/send)");
    if (batch.status !== "processing")
      throw new AppError("invalid_state", `payout batch ${batchId} is already ${batch.status}`, {
        extra: { currentStatus: batch.status },
      });
    const open = await tx
      .select({ id: payouts.id })
      .from(payouts)
      .where(and(eq(payouts.batchId, batchId), eq(payouts.status, "processing")));
    await settlePaid(
      tx,
      ctx,
      open.map((p) => p.id),
      input.reference ?? null,
    );
    return loadBatchView(tx, batchId);
  });
}
