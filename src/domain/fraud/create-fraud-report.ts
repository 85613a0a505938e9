import { eq } from "drizzle-orm";
import { fraudReports, partners } from "../../db/schema/index.js";
import { fieldError } from "../../lib/errors.js";
import { newId } from "../../lib/ids.js";
import type { Ctx } from "../context.js";
import { recordAudit } from "../governance/record-audit.js";
import { findProgram } from "../programs/get-program.js";
import type { CreateFraudReportInput } from "./fraud.schemas.js";
import { toFraudReportView } from "./report-views.js";

/** The intake of a manual report (trademark bidding, brand misuse, other) with its evidence. */
export async function createFraudReport(ctx: Ctx, input: CreateFraudReportInput) {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const [partner] = await tx.select({ id: partners.id }).from(partners).where(eq(partners.id, input.partnerId));
    if (!partner) throw fieldError("/partnerId", `no partner ${input.partnerId}`);
    if (input.programId && !(await findProgram(tx, input.programId))) {
      throw fieldError("/programId", `no program ${input.programId}`);
    }
    const [row] = await tx
      .insert(fraudReports)
      .values({
        id: newId("fraudReport", now),
        programId: input.programId ?? null,
        partnerId: input.partnerId,
        kind: input.kind,
        description: input.description.trim(),
        evidence: {
          urls: input.evidence.urls ?? [],
          keywords: input.evidence.keywords ?? [],
          observedAt: input.evidence.observedAt ?? null,
          notes: input.evidence.notes ?? null,
        },
        status: "open",
        reportedByType: ctx.actor.type,
        reportedById: "id" in ctx.actor ? ctx.actor.id : null,
        reportedByLabel: ctx.actor.label,
        createdAt: now,
      })
      .returning();
    await recordAudit(tx, ctx, {
      action: "fraud_report.create",
      entityType: "fraud_report",
      entityId: row!.id,
      programId: row!.programId,
      partnerId: row!.partnerId,
      after: { kind: row!.kind, description: row!.description },
    });
    return toFraudReportView(row!);
  });
}
