import { eq } from "drizzle-orm";
import { payouts } from "../../db/schema/index.js";
import { AppError } from "../../lib/errors.js";
import type { Ctx } from "../context.js";
import { toPayoutView } from "./payout-view.js";
import { settleFailed } from "./settle-payouts.js";

/**
 * A payout that bounced or will not be sent: failed, and its amount returns to the partner's balance. Refused
 * for a Stripe payout whose transfer is known to exist (its id recorded, or a reversal of it reported): that
 * money reached the partner, and returning the entries would pay them twice. Such a transfer reversed in full
 * fails its payout by itself, through the webhook.
 */
export async function failPayout(ctx: Ctx, payoutId: string, input: { reason: string }) {
  return ctx.db.transaction(async (tx) => {
    const [payout] = await tx.select().from(payouts).where(eq(payouts.id, payoutId)).for("update");
    if (payout?.methodKind === "stripe_connect" && (payout.externalRef !== null || payout.reversedMinor > 0n)) {
      const transfer = payout.externalRef ?? "its transfer";
      throw new AppError(
        "conflict",
        `payout ${payoutId} was transferred by Stripe (${transfer}): failing it would pay its entries again. Mark it paid once its entries are approved (a part Stripe reversed is then credited for review), or reverse the transfer in full in Stripe, which fails it.`,
        { extra: { externalRef: payout.externalRef, reversedAmount: Number(payout.reversedMinor) } },
      );
    }
    return toPayoutView(await settleFailed(tx, ctx, payoutId, input.reason.trim()));
  });
}
