import { eq } from "drizzle-orm";
import { partnerTaxForms } from "../../db/schema/index.js";
import type { Ctx } from "../context.js";
import { findPartner } from "./partner-of.js";
import { toTaxFormView } from "./payout-view.js";

/** The partner's tax form status (a partner sees its own). */
export async function getTaxForm(ctx: Ctx, partnerId: string) {
  await findPartner(ctx.db, ctx.actor, partnerId);
  const [row] = await ctx.db.select().from(partnerTaxForms).where(eq(partnerTaxForms.partnerId, partnerId));
  return toTaxFormView(partnerId, row, ctx.clock.now());
}
