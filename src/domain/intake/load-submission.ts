import { sql } from "drizzle-orm";
import { type Db, selectRows } from "../../db/client.js";
import { AppError } from "../../lib/errors.js";
import { loadConversionView } from "../conversions/load-conversion.js";
import { type Submission, type SubmissionRow, submissionColumns, toSubmission } from "./submission.js";

/**
 * A submission's status by its id. A recorded submission's row is gone (its conversion, under the same id, stands
 * for it), so an id not in the intake is looked up among conversions; a key recorded before points at the first.
 */
export async function loadSubmission(db: Db, id: string) {
  const [row] = await selectRows<SubmissionRow>(
    db,
    sql`select ${sql.raw(submissionColumns("i"))} from conversion_intake i where i.id = ${id}`,
  );
  if (row) {
    const submission = toSubmission(row);
    const conversion = submission.conversionId
      ? (await loadConversionView(db, { id: submission.conversionId }))?.view
      : undefined;
    return { submission, conversion };
  }
  const recorded = await loadConversionView(db, { id });
  if (!recorded || recorded.row.kind === "refund") throw new AppError("not_found", `submission ${id} not found`);
  const submission: Submission = {
    id,
    status: "recorded",
    programId: recorded.row.programId,
    kind: recorded.row.kind,
    idempotencyKey: recorded.row.idempotencyKey,
    receivedAt: recorded.row.receivedAt,
    processedAt: null,
    conversionId: id,
    refusal: null,
  };
  return { submission, conversion: recorded.view };
}
