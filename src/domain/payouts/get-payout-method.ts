import { eq } from "drizzle-orm";
import { payoutMethods } from "../../db/schema/index.js";
import { AppError } from "../../lib/errors.js";
import type { Ctx } from "../context.js";
import { findPartner } from "./partner-of.js";
import { toPayoutMethodView } from "./payout-view.js";

/** The partner's payout method, masked: the team sees it the way the partner does, never the details. */
export async function getPayoutMethod(ctx: Ctx, partnerId: string) {
  await findPartner(ctx.db, ctx.actor, partnerId);
  const [method] = await ctx.db.select().from(payoutMethods).where(eq(payoutMethods.partnerId, partnerId));
  if (!method) throw new AppError("not_found", "no payout method on file", { extra: { partnerId } });
  return toPayoutMethodView(method);
}
