import type { Ctx } from "../context.js";
import { toPayoutView } from "./payout-view.js";
import { settleFailed } from "./settle-payouts.js";

/** A payout that bounced or will not be sent: failed, and its amount returns to the partner's balance. */
export async function failPayout(ctx: Ctx, payoutId: string, input: { reason: string }) {
  return ctx.db.transaction(async (tx) => toPayoutView(await settleFailed(tx, ctx, payoutId, input.reason.trim())));
}
