import { asc, eq } from "drizzle-orm";
import { enrollments, programs } from "../../db/schema/index.js";
import { AppError } from "../../lib/errors.js";
import type { Ctx } from "../context.js";
import { toPublicProgramView } from "../programs/program-view.js";

/** Open programs a signed-in partner can discover and apply to, marked where it is already enrolled. */
export async function listOpenPrograms(ctx: Ctx) {
  if (ctx.actor.type !== "partner") throw new AppError("forbidden", "partner users only");
  const partnerId = ctx.actor.partnerId;
  const open = await ctx.db.select().from(programs).where(eq(programs.status, "active")).orderBy(asc(programs.name));
  const mine = await ctx.db
    .select({ programId: enrollments.programId })
    .from(enrollments)
    .where(eq(enrollments.partnerId, partnerId));
  const enrolled = new Set(mine.map((m) => m.programId));
  return open.map((p) => ({ ...toPublicProgramView(p), enrolled: enrolled.has(p.id) }));
}
