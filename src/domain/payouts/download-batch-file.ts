import { and, asc, eq, inArray } from "drizzle-orm";
import { partners, payoutBatches, payouts, programs } from "../../db/schema/index.js";
import { AppError } from "../../lib/errors.js";
import type { Ctx } from "../context.js";
import { recordAudit } from "../governance/record-audit.js";
import { type PayoutFile, payoutFile } from "./payout-files.js";
import type { PayoutMethodDetails } from "./payout-method-details.js";
import { payoutRuntime } from "./payout-runtime.js";

/**
 * The batch's payment file (PayPal Payouts, Wise batch or bank CSV), built from the method copies taken when
 * the batch was created; failed payouts are left out. Every download is audited (who took the bank details).
 */
export async function downloadBatchFile(ctx: Ctx, batchId: string): Promise<PayoutFile> {
  const { keyring } = payoutRuntime(ctx);
  const [row] = await ctx.db
    .select({ batch: payoutBatches, programName: programs.name })
    .from(payoutBatches)
    .innerJoin(programs, eq(programs.id, payoutBatches.programId))
    .where(eq(payoutBatches.id, batchId));
  if (!row) throw new AppError("not_found", `payout batch ${batchId} not found`);
  const { batch } = row;
  if (batch.methodKind === "stripe_connect")
    throw new AppError("invalid_state", "a Stripe batch has no file: send it with POST /v1/payout-batches/:id/send");
  const rows = await ctx.db
    .select({ payout: payouts, partnerName: partners.name })
    .from(payouts)
    .innerJoin(partners, eq(partners.id, payouts.partnerId))
    .where(and(eq(payouts.batchId, batchId), inArray(payouts.status, ["processing", "paid"])))
    .orderBy(asc(payouts.id));
  const fileRows = rows.map(({ payout, partnerName }) => {
    if (!payout.methodDetailsEncrypted) throw new Error(`payout ${payout.id} has no method copy`);
    return {
      payoutId: payout.id,
      partnerId: payout.partnerId,
      partnerName,
      amountMinor: payout.amountMinor,
      currency: payout.currency,
      details: JSON.parse(keyring.open(payout.methodDetailsEncrypted, payout.partnerId)) as PayoutMethodDetails,
    };
  });
  const file = payoutFile(batch.methodKind, batch.id, fileRows, row.programName);
  await ctx.db.transaction(async (tx) => {
    await tx.update(payoutBatches).set({ fileDownloadedAt: ctx.clock.now() }).where(eq(payoutBatches.id, batchId));
    await recordAudit(tx, ctx, {
      action: "payout_batch.download",
      entityType: "payout_batch",
      entityId: batchId,
      programId: batch.programId,
      after: { filename: file.filename, payouts: fileRows.length },
    });
  });
  return file;
}
