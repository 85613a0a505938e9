import { type SQL, sql } from "drizzle-orm";
import { selectRows } from "../../db/client.js";
import type { IntakeStatus } from "../../db/schema/index.js";
import { decodeTimeCursor, encodeTimeCursor } from "../../db/time-cursor.js";
import type { Ctx } from "../context.js";
import type { ConversionView } from "../conversions/conversions.schemas.js";
import { loadConversionViews } from "../conversions/load-conversion.js";
import { type Submission, type SubmissionRow, submissionColumns, toSubmission } from "./submission.js";

export interface SubmissionQuery {
  programId?: string | undefined;
  status?: IntakeStatus | undefined;
  limit: number;
  cursor?: string | undefined;
}

export interface ListedSubmission {
  submission: Submission;
  conversion: ConversionView | undefined;
}

/**
 * The submissions still in the intake, newest received first: those waiting, those refused, and retries that point
 * at a conversion recorded before (kept 30 days). A submission recorded under its own id has left the intake (its
 * conversion stands for it) and is listed among conversions, not here. The cursor is the last row's (received_at, id).
 *
 * No index of its own, on purpose: every async sale inserts and deletes an intake row, so each index is paid on the
 * intake's hot path, while this list is read by people now and then. The table holds only what waits (moments) and
 * what was refused or retried within 30 days, so a program's rows are found through the leading program_id of
 * conversion_intake_key and sorted, a few thousand at worst; the waiting ones newest first walk the worker's own
 * (received_at, id) index backwards.
 */
export async function listSubmissions(ctx: Ctx, query: SubmissionQuery) {
  const where: SQL[] = [sql`true`];
  if (query.programId) where.push(sql`i.program_id = ${query.programId}`);
  if (query.status) where.push(sql`i.status = ${query.status}`);
  if (query.cursor) {
    const after = decodeTimeCursor(query.cursor, "cnv_");
    const at = after.at.toISOString();
    where.push(sql`i.received_at <= ${at}::timestamptz`);
    where.push(sql`(i.received_at < ${at}::timestamptz or i.id < ${after.id})`);
  }
  const rows = await selectRows<SubmissionRow>(
    ctx.db,
    sql`select ${sql.raw(submissionColumns("i"))} from conversion_intake i
        where ${sql.join(where, sql` and `)}
        order by i.received_at desc, i.id desc limit ${query.limit + 1}`,
  );
  const page = rows.slice(0, query.limit).map(toSubmission);
  // Retries recorded before are shown with the conversion they point at, as the single submission is.
  const conversions = await loadConversionViews(
    ctx.db,
    page.flatMap((s) => (s.conversionId ? [s.conversionId] : [])),
  );
  const last = page.at(-1);
  return {
    items: page.map(
      (submission): ListedSubmission => ({
        submission,
        conversion: submission.conversionId ? conversions.get(submission.conversionId) : undefined,
      }),
    ),
    nextCursor: rows.length > query.limit && last ? encodeTimeCursor(last.receivedAt, last.id) : null,
  };
}
