import { eq } from "drizzle-orm";
import { payoutMethods, payouts } from "../../db/schema/index.js";
import { AppError, fieldError } from "../../lib/errors.js";
import type { Ctx } from "../context.js";
import { payoutMethodName } from "./payout-method-details.js";
import { toPayoutView } from "./payout-view.js";
import type { MarkPayoutPaidInput } from "./payouts.schemas.js";
import { settlePaid } from "./settle-payouts.js";

/**
 * Finance confirms one payout was paid outside a batch file (or individually); its entries become paid. How it
 * was paid is recorded on the payout, as a batch records it: a payout sent in a batch keeps its batch's method;
 * one paid by hand takes the method finance names, or the partner's own when none is named. The partner's
 * masked details are kept with it when that is the method used, so the history says where the money went.
 */
export async function markPayoutPaid(ctx: Ctx, payoutId: string, input: MarkPayoutPaidInput) {
  return ctx.db.transaction(async (tx) => {
    const [found] = await tx
      .select({ payout: payouts, method: payoutMethods })
      .from(payouts)
      .leftJoin(payoutMethods, eq(payoutMethods.partnerId, payouts.partnerId))
      .where(eq(payouts.id, payoutId))
      .for("update", { of: payouts });
    if (!found) throw new AppError("not_found", `payout ${payoutId} not found`);
    const { payout, method } = found;
    if (payout.methodKind !== null) {
      if (input.methodKind && input.methodKind !== payout.methodKind)
        throw fieldError(
          "/methodKind",
          `this payout was sent by ${payoutMethodName(payout.methodKind)}${payout.batchId ? ` in batch ${payout.batchId}` : ""}: it cannot be recorded as paid by ${payoutMethodName(input.methodKind)}`,
        );
    } else {
      const kind = input.methodKind ?? method?.kind;
      if (!kind) throw fieldError("/methodKind", "the partner has no payout method: say how the payout was paid");
      if (payout.status === "pending" || payout.status === "processing")
        await tx
          .update(payouts)
          .set({ methodKind: kind, methodMasked: method?.kind === kind ? method.masked : null })
          .where(eq(payouts.id, payoutId));
    }
    const [paid] = await settlePaid(tx, ctx, [payoutId], input.reference ?? null, { manual: true });
    if (!paid) throw new Error("settlePaid returned no row");
    return toPayoutView(paid);
  });
}
