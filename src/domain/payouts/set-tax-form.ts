import { eq } from "drizzle-orm";
import { partnerTaxForms } from "../../db/schema/index.js";
import { fieldError } from "../../lib/errors.js";
import type { Ctx } from "../context.js";
import { recordAudit } from "../governance/record-audit.js";
import { findPartner } from "./partner-of.js";
import { defaultTaxFormExpiry } from "./payout-rules.js";
import { toTaxFormView } from "./payout-view.js";
import type { SetTaxFormInput } from "./payouts.schemas.js";

/** Finance records which tax form it holds for a partner (or that none is required), who and when. */
export async function setTaxForm(ctx: Ctx, partnerId: string, input: SetTaxFormInput) {
  await findPartner(ctx.db, ctx.actor, partnerId);
  const now = ctx.clock.now();
  const validUntil =
    input.validUntil === undefined
      ? defaultTaxFormExpiry(input.form, now)
      : input.validUntil === null
        ? null
        : new Date(input.validUntil);
  if (validUntil && validUntil.getTime() <= now.getTime()) throw fieldError("/validUntil", "must be in the future");
  const values = {
    form: input.form,
    validUntil,
    note: input.note ?? null,
    setByType: ctx.actor.type,
    setById: "id" in ctx.actor ? ctx.actor.id : null,
    setByLabel: ctx.actor.label,
    setAt: now,
  };
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(partnerTaxForms)
      .where(eq(partnerTaxForms.partnerId, partnerId))
      .for("update");
    const [row] = await tx
      .insert(partnerTaxForms)
      .values({ partnerId, ...values })
      .onConflictDoUpdate({ target: partnerTaxForms.partnerId, set: values })
      .returning();
    await recordAudit(tx, ctx, {
      action: "tax_form.set",
      entityType: "tax_form",
      entityId: partnerId,
      partnerId,
      before: before ?? null,
      after: row,
    });
    return toTaxFormView(partnerId, row, now);
  });
}
