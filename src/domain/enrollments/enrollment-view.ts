import type { enrollments } from "../../db/schema/index.js";
import type { EnrollmentView } from "./enrollments.schemas.js";

type EnrollmentRow = typeof enrollments.$inferSelect;

export const toEnrollmentView = (
  e: EnrollmentRow,
  related: { program?: EnrollmentView["program"]; partner?: EnrollmentView["partner"] } = {},
): EnrollmentView => ({
  id: e.id,
  programId: e.programId,
  partnerId: e.partnerId,
  status: e.status,
  statusReason: e.statusReason,
  tier: e.tier,
  applicantEmail: e.applicantEmail,
  applicationAnswers: e.applicationAnswers,
  source: e.source,
  termsVersionAccepted: e.termsVersionAccepted,
  termsAcceptedAt: e.termsAcceptedAt?.toISOString() ?? null,
  appliedAt: e.appliedAt.toISOString(),
  decidedAt: e.decidedAt?.toISOString() ?? null,
  statusChangedAt: e.statusChangedAt.toISOString(),
  ...related,
});
