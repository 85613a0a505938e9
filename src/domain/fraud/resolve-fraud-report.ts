import { eq, sql } from "drizzle-orm";
import { selectRows } from "../../db/client.js";
import { fraudReports } from "../../db/schema/index.js";
import { AppError, fieldError } from "../../lib/errors.js";
import type { Ctx } from "../context.js";
import { recordAudit } from "../governance/record-audit.js";
import type { ResolveFraudReportInput } from "./fraud.schemas.js";
import { loadRuleSet } from "./list-fraud-rules.js";
import { recordDecisions } from "./record-decisions.js";
import { toFraudReportView } from "./report-views.js";

/**
 * Confirms or dismisses a report. A confirmed report may decide the partner's conversions of a period (the
 * program's, or every program's when the report names none) with the manual_report rule: flag, hold or reject,
 * moving unpaid commissions at once.
 */
export async function resolveFraudReport(ctx: Ctx, id: string, input: ResolveFraudReportInput) {
  if (input.apply && input.outcome !== "confirmed") {
    throw fieldError("/apply", "only a confirmed report decides conversions");
  }
  if (input.apply && new Date(input.apply.from) >= new Date(input.apply.to)) {
    throw fieldError("/apply/to", "must be after from");
  }
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const [report] = await tx.select().from(fraudReports).where(eq(fraudReports.id, id)).for("update");
    if (!report) throw new AppError("not_found", `fraud report ${id} not found`);
    if (report.status !== "open") {
      throw new AppError("invalid_state", `the report is already ${report.status}`, {
        extra: { currentStatus: report.status },
      });
    }
    let decided = 0;
    if (input.apply) {
      const conversions = await selectRows<{ conversion_id: string; program_id: string }>(
        tx,
        sql`select distinct conversion_id, program_id from conversion_credits
            where partner_id = ${report.partnerId}
              and occurred_at >= ${input.apply.from}::timestamptz and occurred_at < ${input.apply.to}::timestamptz
              ${report.programId ? sql`and program_id = ${report.programId}` : sql``}`,
      );
      const actions = new Map<string, string>();
      for (const programId of new Set(conversions.map((c) => c.program_id))) {
        actions.set(programId, input.apply.action ?? (await loadRuleSet(tx, programId)).manual_report.action);
      }
      const result = await recordDecisions(
        tx,
        ctx,
        conversions.map((c) => ({
          conversionId: c.conversion_id,
          programId: c.program_id,
          partnerId: report.partnerId,
          rule: "manual_report" as const,
          action: actions.get(c.program_id) as "flag" | "hold" | "reject",
          evidence: {
            reportId: report.id,
            kind: report.kind,
            detail: report.description.slice(0, 500),
            urls: report.evidence.urls,
            period: { from: input.apply!.from, to: input.apply!.to },
          },
        })),
        "report",
        { moveLedger: true },
      );
      decided = result.recorded;
    }
    const [after] = await tx
      .update(fraudReports)
      .set({
        status: input.outcome,
        resolution: input.resolution.trim(),
        resolvedAt: now,
        resolvedByLabel: ctx.actor.label,
      })
      .where(eq(fraudReports.id, id))
      .returning();
    await recordAudit(tx, ctx, {
      action: `fraud_report.${input.outcome === "confirmed" ? "confirm" : "dismiss"}`,
      entityType: "fraud_report",
      entityId: id,
      programId: report.programId,
      partnerId: report.partnerId,
      before: { status: report.status },
      after: { status: input.outcome, resolution: input.resolution, conversionsDecided: decided },
    });
    return { ...toFraudReportView(after!), conversionsDecided: decided };
  });
}
