import { and, desc, eq, lt, type SQL } from "drizzle-orm";
import { payoutRuns } from "../../db/schema/index.js";
import type { Ctx } from "../context.js";

/** Past payout runs, newest first. */
export async function listPayoutRuns(
  ctx: Ctx,
  filter: { programId?: string | undefined; cursor?: string | undefined; limit?: number | undefined },
) {
  const limit = filter.limit ?? 50;
  const where: SQL[] = [];
  if (filter.programId) where.push(eq(payoutRuns.programId, filter.programId));
  if (filter.cursor) where.push(lt(payoutRuns.id, filter.cursor));
  const rows = await ctx.db
    .select()
    .from(payoutRuns)
    .where(and(...where))
    .orderBy(desc(payoutRuns.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  return {
    items: page.map(toPayoutRunRecord),
    nextCursor: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
  };
}

export const toPayoutRunRecord = (r: typeof payoutRuns.$inferSelect) => ({
  id: r.id,
  programId: r.programId,
  asOf: r.asOf.toISOString(),
  startedBy: r.startedBy,
  payoutsCreated: r.payoutsCreated,
  partnersSkipped: r.partnersSkipped,
  startedAt: r.startedAt.toISOString(),
  finishedAt: r.finishedAt.toISOString(),
});
