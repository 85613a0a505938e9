import { asc, eq } from "drizzle-orm";
import { partners, partnerUsers } from "../../db/schema/index.js";
import { AppError } from "../../lib/errors.js";
import type { Ctx } from "../context.js";
import { listEnrollments } from "../enrollments/list-enrollments.js";
import { toPartnerView } from "./partner-view.js";

/** One partner organisation with its users and every enrollment (answers included). */
export async function getPartner(ctx: Ctx, partnerId: string) {
  const [partner] = await ctx.db.select().from(partners).where(eq(partners.id, partnerId)).limit(1);
  if (!partner) throw new AppError("not_found", `partner ${partnerId} not found`);
  const users = await ctx.db
    .select({
      id: partnerUsers.id,
      email: partnerUsers.email,
      name: partnerUsers.name,
      createdAt: partnerUsers.createdAt,
    })
    .from(partnerUsers)
    .where(eq(partnerUsers.partnerId, partnerId))
    .orderBy(asc(partnerUsers.createdAt));
  const { items } = await listEnrollments(ctx, { partnerId, limit: 1000 });
  return {
    ...toPartnerView(
      partner,
      items.map((e) => ({ id: e.id, programId: e.programId, programName: e.program?.name ?? "", status: e.status })),
    ),
    users: users.map((u) => ({ ...u, createdAt: u.createdAt.toISOString() })),
    enrollmentDetails: items,
  };
}
