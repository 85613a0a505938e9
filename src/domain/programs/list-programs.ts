import { asc, sql } from "drizzle-orm";
import { enrollments, programs } from "../../db/schema/index.js";
import type { Ctx } from "../context.js";
import { toProgramView } from "./program-view.js";

/** Every program with its enrollment counts per status, for the console's overview. */
export async function listPrograms(ctx: Ctx) {
  const rows = await ctx.db.select().from(programs).orderBy(asc(programs.createdAt));
  const counts = await ctx.db
    .select({ programId: enrollments.programId, status: enrollments.status, n: sql<number>`count(*)::int` })
    .from(enrollments)
    .groupBy(enrollments.programId, enrollments.status);
  return rows.map((p) => {
    const perStatus: Record<string, number> = {};
    for (const c of counts) if (c.programId === p.id) perStatus[c.status] = c.n;
    return toProgramView(p, perStatus);
  });
}
