import { desc, eq } from "drizzle-orm";
import { partnerActions, partners } from "../../db/schema/index.js";
import { AppError } from "../../lib/errors.js";
import type { Ctx } from "../context.js";
import { toPartnerActionView } from "./report-views.js";

export async function listPartnerActions(ctx: Ctx, partnerId: string) {
  const [partner] = await ctx.db.select({ id: partners.id }).from(partners).where(eq(partners.id, partnerId));
  if (!partner) throw new AppError("not_found", `partner ${partnerId} not found`);
  const rows = await ctx.db
    .select()
    .from(partnerActions)
    .where(eq(partnerActions.partnerId, partnerId))
    .orderBy(desc(partnerActions.id));
  return { items: rows.map((r) => toPartnerActionView(r)) };
}

/** What a partner reads when the team wrote no message of its own. */
export const DEFAULT_MESSAGES = {
  warn: "The program team sent your account a warning about its traffic or promotion methods.",
  suspend: "Your enrollments are suspended while the program team reviews your account.",
  ban: "Your account was closed for a breach of the program terms.",
  reinstate: "Your enrollments are active again.",
} as const;

/** The signed-in partner's notices: what the team chose to tell it, never the internal reason or evidence. */
export async function listMyNotices(ctx: Ctx, partnerId: string) {
  const rows = await ctx.db
    .select({
      id: partnerActions.id,
      kind: partnerActions.kind,
      message: partnerActions.message,
      at: partnerActions.createdAt,
    })
    .from(partnerActions)
    .where(eq(partnerActions.partnerId, partnerId))
    .orderBy(desc(partnerActions.id))
    .limit(50);
  return {
    items: rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      message: r.message ?? DEFAULT_MESSAGES[r.kind],
      at: r.at.toISOString(),
    })),
  };
}
