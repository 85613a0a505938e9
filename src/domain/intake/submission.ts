import type { IntakeRefusal, IntakeStatus } from "../../db/schema/index.js";

/** A lead or sale accepted into the intake, as its status endpoint shows it. */
export interface Submission {
  /** Also the id its conversion gets when it is recorded. */
  id: string;
  status: IntakeStatus;
  programId: string;
  kind: "lead" | "sale";
  /** The order id of a sale, the event id of a lead. */
  idempotencyKey: string;
  receivedAt: Date;
  processedAt: Date | null;
  /** recorded: the conversion (this submission's id, or the first one's when the key was recorded before). */
  conversionId: string | null;
  refusal: IntakeRefusal | null;
}

/** A submission as the intake table's raw row comes back (timestamps as epoch milliseconds). */
export interface SubmissionRow {
  id: string;
  status: IntakeStatus;
  program_id: string;
  kind: "lead" | "sale";
  idempotency_key: string;
  received_at_ms: number;
  processed_at_ms: number | null;
  conversion_id: string | null;
  refusal: IntakeRefusal | null;
}

/** The columns of a SubmissionRow, read from the intake table under the alias `t`. */
export const submissionColumns = (t: string) => `${t}.id, ${t}.status, ${t}.program_id, ${t}.kind, ${t}.idempotency_key,
  (extract(epoch from ${t}.received_at) * 1000)::float8 as received_at_ms,
  (extract(epoch from ${t}.processed_at) * 1000)::float8 as processed_at_ms, ${t}.conversion_id, ${t}.refusal`;

export const toSubmission = (row: SubmissionRow): Submission => ({
  id: row.id,
  status: row.status,
  programId: row.program_id,
  kind: row.kind,
  idempotencyKey: row.idempotency_key,
  receivedAt: new Date(row.received_at_ms),
  processedAt: row.processed_at_ms === null ? null : new Date(row.processed_at_ms),
  conversionId: row.status === "recorded" ? (row.conversion_id ?? row.id) : null,
  refusal: row.refusal,
});
