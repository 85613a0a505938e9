import { and, desc, eq } from "drizzle-orm";
import { type FraudReportStatus, fraudReports } from "../../db/schema/index.js";
import { AppError } from "../../lib/errors.js";
import type { Ctx } from "../context.js";
import { toFraudReportView } from "./report-views.js";

export async function listFraudReports(
  ctx: Ctx,
  query: {
    status?: FraudReportStatus | undefined;
    partnerId?: string | undefined;
    programId?: string | undefined;
    limit: number;
  },
) {
  const rows = await ctx.db
    .select()
    .from(fraudReports)
    .where(
      and(
        query.status ? eq(fraudReports.status, query.status) : undefined,
        query.partnerId ? eq(fraudReports.partnerId, query.partnerId) : undefined,
        query.programId ? eq(fraudReports.programId, query.programId) : undefined,
      ),
    )
    .orderBy(desc(fraudReports.id))
    .limit(query.limit);
  return { items: rows.map(toFraudReportView) };
}

export async function getFraudReport(ctx: Ctx, id: string) {
  const [row] = await ctx.db.select().from(fraudReports).where(eq(fraudReports.id, id));
  if (!row) throw new AppError("not_found", `fraud report ${id} not found`);
  return toFraudReportView(row);
}
