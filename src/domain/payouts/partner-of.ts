import { eq } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { partners } from "../../db/schema/index.js";
import { AppError } from "../../lib/errors.js";
import type { Actor } from "../context.js";

/** The signed-in partner organisation: a partner user only ever acts for its own. */
export function actingPartnerId(actor: Actor): string {
  if (actor.type !== "partner") throw new AppError("forbidden", "only partner users manage their payout method");
  return actor.partnerId;
}

/** A partner organisation by id, or a 404; a partner user only finds its own. */
export async function findPartner(db: Db, actor: Actor, partnerId: string) {
  if (actor.type === "partner" && actor.partnerId !== partnerId)
    throw new AppError("not_found", `partner ${partnerId} not found`);
  const [partner] = await db.select().from(partners).where(eq(partners.id, partnerId));
  if (!partner) throw new AppError("not_found", `partner ${partnerId} not found`);
  return partner;
}
