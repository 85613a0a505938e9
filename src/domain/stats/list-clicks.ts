import { and, desc, eq, lt, type SQL } from "drizzle-orm";
import { clicks } from "../../db/schema/index.js";
import type { Ctx } from "../context.js";

export async function listClicks(
  ctx: Ctx,
  query: {
    programId?: string | undefined;
    partnerId?: string | undefined;
    linkId?: string | undefined;
    limit: number;
    cursor?: string | undefined;
  },
) {
  const where: SQL[] = [];
  if (query.programId) where.push(eq(clicks.programId, query.programId));
  if (query.partnerId) where.push(eq(clicks.partnerId, query.partnerId));
  if (query.linkId) where.push(eq(clicks.linkId, query.linkId));
  if (query.cursor) where.push(lt(clicks.id, query.cursor));
  const rows = await ctx.db
    .select()
    .from(clicks)
    .where(and(...where))
    .orderBy(desc(clicks.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  return {
    items: page.map((c) => ({ ...c, at: c.at.toISOString() })),
    nextCursor: rows.length > query.limit ? (page.at(-1)?.id ?? null) : null,
  };
}
