import { and, eq } from "drizzle-orm";
import { enrollments } from "../../db/schema/index.js";
import { AppError } from "../../lib/errors.js";
import type { Ctx } from "../context.js";
import { findProgram } from "./get-program.js";

/**
 * A read that names a program by id (a list's `programId` filter, a statement's program) must name one the caller
 * can see: otherwise a 404 naming what it was given, rather than an empty answer that reads as "nothing yet" (a
 * program's slug where its id belongs looked exactly like a quiet program). A partner sees the programs it has an
 * enrollment in, whatever its status; any other program, existing or not, is the same 404, so that a partner
 * cannot learn which programs exist by trying ids.
 */
export async function requireProgramInView(
  ctx: Ctx,
  programId: string,
  /** Where the id was given: a list's filter, or a body's field. */
  field = "querystring:/programId",
): Promise<void> {
  const visible =
    ctx.actor.type === "partner"
      ? (
          await ctx.db
            .select({ id: enrollments.id })
            .from(enrollments)
            .where(and(eq(enrollments.partnerId, ctx.actor.partnerId), eq(enrollments.programId, programId)))
            .limit(1)
        ).length > 0
      : (await findProgram(ctx.db, programId)) !== undefined;
  if (!visible)
    throw new AppError("not_found", `program ${programId} not found`, {
      fields: [{ field, message: "no such program" }],
    });
}
