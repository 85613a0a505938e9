import { and, desc, eq } from "drizzle-orm";
import { referralRewards } from "../../db/schema/index.js";
import type { Ctx } from "../context.js";

/** The referred customers' rewards (two-sided programs), for the vendor to honour at checkout. */
export async function listReferralRewards(
  ctx: Ctx,
  query: { programId?: string | undefined; partnerId?: string | undefined; limit?: number | undefined },
) {
  const rows = await ctx.db
    .select()
    .from(referralRewards)
    .where(
      and(
        query.programId ? eq(referralRewards.programId, query.programId) : undefined,
        query.partnerId ? eq(referralRewards.partnerId, query.partnerId) : undefined,
      ),
    )
    .orderBy(desc(referralRewards.id))
    .limit(query.limit ?? 100);
  return rows.map((r) => ({
    id: r.id,
    programId: r.programId,
    customerId: r.customerId,
    partnerId: r.partnerId,
    conversionId: r.conversionId,
    kind: r.kind,
    value: Number(r.value),
    currency: r.currency,
    code: r.code,
    issuedAt: r.issuedAt.toISOString(),
    redeemedAt: r.redeemedAt?.toISOString() ?? null,
  }));
}
