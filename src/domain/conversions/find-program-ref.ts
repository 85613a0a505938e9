import { eq, or } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { programs } from "../../db/schema/index.js";
import { AppError } from "../../lib/errors.js";
import type { TtlCache } from "../ttl-cache.js";

type Program = typeof programs.$inferSelect;
export type ProgramCache = TtlCache<Program>;

/** Server-to-server calls name the program by id or slug; the cache spares a read on every conversion. */
export async function findProgramRef(db: Db, ref: string, cache?: TtlCache<Program>) {
  const cached = cache?.get(ref);
  if (cached) return cached;
  const [program] = await db
    .select()
    .from(programs)
    .where(or(eq(programs.id, ref), eq(programs.slug, ref.toLowerCase())))
    .limit(1);
  if (!program)
    throw new AppError("validation", `program ${ref} not found`, {
      fields: [{ field: "/programId", message: "no such program" }],
    });
  cache?.set(ref, program);
  return program;
}
