import { and, desc, eq, lt, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { payoutBatches, payouts } from "../../db/schema/index.js";
import { AppError } from "../../lib/errors.js";
import type { Ctx } from "../context.js";
import { toPayoutBatchView } from "./payout-view.js";

export async function loadBatchView(db: Db, batchId: string) {
  const [batch] = await db.select().from(payoutBatches).where(eq(payoutBatches.id, batchId));
  if (!batch) throw new AppError("not_found", `payout batch ${batchId} not found`);
  const counts = await db
    .select({ status: payouts.status, n: sql<number>`count(*)::int` })
    .from(payouts)
    .where(eq(payouts.batchId, batchId))
    .groupBy(payouts.status);
  return toPayoutBatchView(batch, Object.fromEntries(counts.map((c) => [c.status, Number(c.n)])));
}

export const getPayoutBatch = (ctx: Ctx, batchId: string) => loadBatchView(ctx.db, batchId);

export async function listPayoutBatches(
  ctx: Ctx,
  filter: { programId?: string | undefined; cursor?: string | undefined; limit?: number | undefined },
) {
  const limit = filter.limit ?? 50;
  const where: SQL[] = [];
  if (filter.programId) where.push(eq(payoutBatches.programId, filter.programId));
  if (filter.cursor) where.push(lt(payoutBatches.id, filter.cursor));
  const rows = await ctx.db
    .select({ id: payoutBatches.id })
    .from(payoutBatches)
    .where(and(...where))
    .orderBy(desc(payoutBatches.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  return {
    items: await Promise.all(page.map((r) => loadBatchView(ctx.db, r.id))),
    nextCursor: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
  };
}
