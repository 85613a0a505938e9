import { eq } from "drizzle-orm";
import { payoutMethods } from "../../db/schema/index.js";
import { AppError } from "../../lib/errors.js";
import type { Ctx } from "../context.js";
import { recordAudit } from "../governance/record-audit.js";
import { actingPartnerId } from "./partner-of.js";

/** The partner removes its payout method; payouts already batched keep the copy they were made with. */
export async function removePayoutMethod(ctx: Ctx) {
  const partnerId = actingPartnerId(ctx.actor);
  return ctx.db.transaction(async (tx) => {
    const [removed] = await tx.delete(payoutMethods).where(eq(payoutMethods.partnerId, partnerId)).returning();
    if (!removed) throw new AppError("not_found", "no payout method on file");
    await recordAudit(tx, ctx, {
      action: "payout_method.delete",
      entityType: "payout_method",
      entityId: partnerId,
      partnerId,
      before: { kind: removed.kind, masked: removed.masked },
    });
    return { ok: true };
  });
}
