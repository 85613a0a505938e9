import type { fraudReports, partnerActions } from "../../db/schema/index.js";

export const toFraudReportView = (r: typeof fraudReports.$inferSelect) => ({
  id: r.id,
  programId: r.programId,
  partnerId: r.partnerId,
  kind: r.kind,
  description: r.description,
  evidence: r.evidence,
  status: r.status,
  resolution: r.resolution,
  reportedBy: r.reportedByLabel,
  createdAt: r.createdAt.toISOString(),
  resolvedAt: r.resolvedAt?.toISOString() ?? null,
  resolvedBy: r.resolvedByLabel,
});

export const toPartnerActionView = (a: typeof partnerActions.$inferSelect, commissionsMoved?: number) => ({
  id: a.id,
  partnerId: a.partnerId,
  kind: a.kind,
  reason: a.reason,
  message: a.message,
  enrollmentIds: a.enrollmentIds,
  reportId: a.reportId,
  ...(commissionsMoved === undefined ? {} : { commissionsMoved }),
  createdBy: a.createdByLabel,
  createdAt: a.createdAt.toISOString(),
});
