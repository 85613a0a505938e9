import { inArray } from "drizzle-orm";
import { partners } from "../../db/schema/index.js";
import type { Ctx } from "../context.js";

/** The names of the given partners, by id, in one keyed read (an export page names the partners its rows refer to). */
export async function partnerNames(ctx: Pick<Ctx, "db">, ids: Iterable<string>): Promise<Map<string, string>> {
  const distinct = [...new Set(ids)];
  if (distinct.length === 0) return new Map();
  const rows = await ctx.db
    .select({ id: partners.id, name: partners.name })
    .from(partners)
    .where(inArray(partners.id, distinct));
  return new Map(rows.map((p) => [p.id, p.name]));
}
