import { eq } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { programs } from "../../db/schema/index.js";
import { AppError } from "../../lib/errors.js";
import type { Ctx } from "../context.js";
import { enrollmentCounts } from "./list-programs.js";
import { toProgramView, toPublicProgramView } from "./program-view.js";

export async function findProgram(db: Db, programId: string) {
  const [program] = await db.select().from(programs).where(eq(programs.id, programId)).limit(1);
  return program;
}

export async function getProgram(ctx: Ctx, programId: string) {
  const program = await findProgram(ctx.db, programId);
  if (!program) throw new AppError("not_found", `program ${programId} not found`);
  return toProgramView(program, (await enrollmentCounts(ctx.db, programId)).get(programId) ?? {});
}

/** Only active programs are visible to the public; a draft or archived one is simply not found. */
export async function findOpenProgramBySlug(db: Db, slug: string) {
  const [program] = await db.select().from(programs).where(eq(programs.slug, slug.toLowerCase())).limit(1);
  if (program?.status !== "active") throw new AppError("not_found", `no open program at /apply/${slug}`);
  return program;
}

export async function getPublicProgram(ctx: Ctx, slug: string) {
  return toPublicProgramView(await findOpenProgramBySlug(ctx.db, slug));
}
