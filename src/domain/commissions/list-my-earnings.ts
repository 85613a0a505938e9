import { desc, eq } from "drizzle-orm";
import { partnerBadges, programs } from "../../db/schema/index.js";
import type { Ctx } from "../context.js";
import type { CommissionEntryView, ListCommissionsQuery } from "./commissions.schemas.js";
import { ledgerTotals } from "./ledger-totals.js";
import { countWaitingFx, listCommissions } from "./list-commissions.js";

/**
 * A partner's earnings: totals by status, the entries with their explanations, waiting-for-FX count and badges.
 * Always scoped to the signed-in partner. A held entry says only that it is under review: the reason a manager
 * or the fraud rules gave stays in the console.
 */
export async function listMyEarnings(ctx: Ctx, partnerId: string, query: Omit<ListCommissionsQuery, "partnerId">) {
  const [totals, waitingFx, page, badges] = await Promise.all([
    ledgerTotals(ctx, { partnerId, programId: query.programId }),
    countWaitingFx(ctx, { partnerId, programId: query.programId }),
    listCommissions(ctx, { ...query, partnerId }),
    ctx.db
      .select({
        programId: partnerBadges.programId,
        programName: programs.name,
        badgeId: partnerBadges.badgeId,
        name: partnerBadges.name,
        benefits: partnerBadges.benefits,
        awardedAt: partnerBadges.awardedAt,
      })
      .from(partnerBadges)
      .innerJoin(programs, eq(programs.id, partnerBadges.programId))
      .where(eq(partnerBadges.partnerId, partnerId))
      .orderBy(desc(partnerBadges.awardedAt)),
  ]);
  return {
    totals,
    waitingFx,
    items: page.items.map(asSeenByPartner),
    nextCursor: page.nextCursor,
    badges: badges.map((b) => ({ ...b, awardedAt: b.awardedAt.toISOString() })),
  };
}

/**
 * A ledger entry as its partner sees it: a held entry says only that it is under review (the reason a manager or a
 * fraud rule gave stays in the console), and who on the team made it is not said.
 */
export const asSeenByPartner = (entry: CommissionEntryView): CommissionEntryView => ({
  ...entry,
  statusReason: entry.status === "held" ? "on hold — under review" : entry.statusReason,
  createdBy: null,
});
