import type { Ctx } from "../context.js";
import { toPayoutView } from "./payout-view.js";
import { settlePaid } from "./settle-payouts.js";

/** Finance confirms one payout was paid outside a batch file (or individually); its entries become paid. */
export async function markPayoutPaid(ctx: Ctx, payoutId: string, input: { reference?: string | undefined }) {
  return ctx.db.transaction(async (tx) => {
    const [paid] = await settlePaid(tx, ctx, [payoutId], input.reference ?? null);
    if (!paid) throw new Error("settlePaid returned no row");
    return toPayoutView(paid);
  });
}
