import { eq } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { partners, partnerUsers } from "../../db/schema/index.js";
import { AppError } from "../../lib/errors.js";
import type { Ctx } from "../context.js";
import { toPartnerView } from "../partners/partner-view.js";

export async function loadPortalProfile(db: Db, partnerUserId: string) {
  const [row] = await db
    .select({ user: { id: partnerUsers.id, email: partnerUsers.email, name: partnerUsers.name }, partner: partners })
    .from(partnerUsers)
    .innerJoin(partners, eq(partners.id, partnerUsers.partnerId))
    .where(eq(partnerUsers.id, partnerUserId));
  if (!row) throw new AppError("unauthorized", "your account no longer exists");
  return { user: row.user, partner: toPartnerView(row.partner) };
}

/** The signed-in partner user and its organisation; always scoped by the session, never by a URL id. */
export async function getPortalProfile(ctx: Ctx) {
  if (ctx.actor.type !== "partner") throw new AppError("forbidden", "partner users only");
  return loadPortalProfile(ctx.db, ctx.actor.id);
}
