import { eq, or } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { programs } from "../../db/schema/index.js";
import { AppError } from "../../lib/errors.js";

/** Server-to-server calls name the program by id or slug. */
export async function findProgramRef(db: Db, ref: string) {
  const [program] = await db
    .select()
    .from(programs)
    .where(or(eq(programs.id, ref), eq(programs.slug, ref.toLowerCase())))
    .limit(1);
  if (!program)
    throw new AppError("validation", `program ${ref} not found`, {
      fields: [{ field: "/programId", message: "no such program" }],
    });
  return program;
}
