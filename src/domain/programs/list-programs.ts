import { asc, eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { enrollments, programs } from "../../db/schema/index.js";
import type { Ctx } from "../context.js";
import { toProgramView } from "./program-view.js";

/** programId → status → number of enrollments; for one program or all. */
export async function enrollmentCounts(db: Db, programId?: string) {
  const rows = await db
    .select({ programId: enrollments.programId, status: enrollments.status, n: sql<number>`count(*)::int` })
    .from(enrollments)
    .where(programId ? eq(enrollments.programId, programId) : undefined)
    .groupBy(enrollments.programId, enrollments.status);
  const out = new Map<string, Record<string, number>>();
  for (const r of rows) out.set(r.programId, { ...out.get(r.programId), [r.status]: r.n });
  return out;
}

/** Every program with its enrollment counts per status, for the console's overview. */
export async function listPrograms(ctx: Ctx) {
  const rows = await ctx.db.select().from(programs).orderBy(asc(programs.createdAt));
  const counts = await enrollmentCounts(ctx.db);
  return rows.map((p) => toProgramView(p, counts.get(p.id) ?? {}));
}
