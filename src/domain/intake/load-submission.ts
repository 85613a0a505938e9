import { sql } from "drizzle-orm";
import { arrayLiteral } from "../../db/array-literal.js";
import { type Db, selectRows } from "../../db/client.js";
import { AppError } from "../../lib/errors.js";
import type { ConversionView } from "../conversions/conversions.schemas.js";
import { loadConversions } from "../conversions/load-conversion.js";
import { type Submission, type SubmissionRow, submissionColumns, toSubmission } from "./submission.js";

export interface LoadedSubmission {
  submission: Submission;
  /** The conversion it was recorded as (or, for a retry of a key recorded before, the first one's). */
  conversion: ConversionView | undefined;
}

/**
 * A submission's status by its id. A recorded submission's row is gone (its conversion, under the same id, stands
 * for it), so an id not in the intake is looked up among conversions; a key recorded before points at the first.
 */
export async function loadSubmission(db: Db, id: string): Promise<LoadedSubmission> {
  const found = (await loadSubmissions(db, [id])).get(id);
  if (!found) throw new AppError("not_found", `submission ${id} not found`);
  return found;
}

/**
 * Several submissions by id, as loadSubmission finds each, in four statements however many: a retried batch of a
 * thousand recorded sales is answered with each one's outcome without a query per sale. Ids found nowhere (or
 * naming a refund) are left out.
 */
export async function loadSubmissions(db: Db, ids: readonly string[]): Promise<Map<string, LoadedSubmission>> {
  const distinct = [...new Set(ids)];
  if (distinct.length === 0) return new Map();
  const rows = await selectRows<SubmissionRow>(
    db,
    sql`select ${sql.raw(submissionColumns("i"))} from conversion_intake i
        where i.id = any(${arrayLiteral(distinct)}::text[])`,
  );
  const held = new Map(rows.map((r) => [r.id, toSubmission(r)]));
  const gone = distinct.filter((id) => !held.has(id));
  const conversions = await loadConversions(db, [
    ...gone,
    ...[...held.values()].flatMap((s) => (s.conversionId ? [s.conversionId] : [])),
  ]);
  const loaded = new Map<string, LoadedSubmission>();
  for (const [id, submission] of held)
    loaded.set(id, {
      submission,
      conversion: submission.conversionId ? conversions.get(submission.conversionId)?.view : undefined,
    });
  for (const id of gone) {
    const recorded = conversions.get(id);
    if (!recorded || recorded.row.kind === "refund") continue;
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
    loaded.set(id, { submission, conversion: recorded.view });
  }
  return loaded;
}
