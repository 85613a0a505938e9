import { AppError, fieldError } from "../../lib/errors.js";
import { newId } from "../../lib/ids.js";
import type { Ctx } from "../context.js";
import type { ConversionView } from "../conversions/conversions.schemas.js";
import { findProgramRef, type ProgramCache } from "../conversions/find-program-ref.js";
import { leadRequest } from "../conversions/lead-request.js";
import type { ConversionRequest } from "../conversions/record-conversion.js";
import { saleRequest } from "../conversions/sale-request.js";
import { assertBatchSize, refusedAt, type TrackBatchInput } from "../conversions/track-batch.js";
import { assertRetryOfFirst, newSubmission } from "./accept-submission.js";
import type { AcceptedSubmission, IntakeWriter } from "./intake-writer.js";

/**
 * What one lead or sale of an async batch came to: accepted into the intake (new, or a retry of a submission it
 * holds), a retry of a lead recorded under the plain key of earlier versions (answered with it, as acceptLead does),
 * or refused as it would be alone, its fields pointing into the batch.
 */
export type AsyncBatchOutcome = { accepted: AcceptedSubmission } | { earlier: ConversionView } | { refused: AppError };

export interface AcceptedBatch {
  leads: AsyncBatchOutcome[];
  sales: AsyncBatchOutcome[];
}

type Checked = { request: ConversionRequest; input: { programId: string } } | { earlier: ConversionView };

const ASYNC_REFUNDS_MESSAGE =
  "refunds are not taken with Prefer: respond-async: a refund is checked against its sale and the refunds before it, " +
  "which may still wait in the intake; send refunds without the header (POST /v1/track/refund, or a batch without " +
  "it) once their sales are recorded";

/**
 * `POST /v1/track/batch` with `Prefer: respond-async`: each lead and sale is checked as the sync batch checks it (a
 * refusal is that event's outcome, as there), then the accepted ones are stored in the intake together, by one
 * statement: all of them or none. The intake worker records them moments later in the order the sync batch stores
 * them — leads first, then sales, each in the order sent — since it takes the oldest first and a batch's submissions
 * share their accepted time and get ids in that order.
 *
 * Refunds are refused (422 naming /refunds): the intake holds leads and sales only, and a refund's checks (its
 * sale exists, it takes back no more than is left) need its sale recorded, which in an async batch it is not yet.
 */
export async function acceptBatch(
  ctx: Ctx,
  input: TrackBatchInput,
  intake: IntakeWriter,
  programs: ProgramCache,
): Promise<AcceptedBatch> {
  assertBatchSize(input);
  if (input.refunds?.length) throw fieldError("/refunds", ASYNC_REFUNDS_MESSAGE);
  const receivedAt = ctx.clock.now();
  const leads = input.leads ?? [];
  const sales = input.sales ?? [];
  // Each program named is read once (as the sync batch does): an unknown one refuses its events before their other
  // checks, as there.
  const refusedPrograms = new Map<string, AppError>();
  for (const ref of new Set([...leads, ...sales].map((e) => e.programId))) {
    try {
      await findProgramRef(ctx.db, ref, programs);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      refusedPrograms.set(ref, error);
    }
  }
  const check = async <T extends { programId: string }>(
    event: T,
    build: (event: T) => Promise<Checked>,
  ): Promise<Checked> => {
    const refused = refusedPrograms.get(event.programId);
    if (refused) throw refused;
    return build(event);
  };
  const checkedLeads = await settle(
    (i) => `/leads/${i}`,
    leads.map((lead) =>
      check(lead, async (l) => {
        const { request, earlier } = await leadRequest(ctx, l, receivedAt, programs);
        return earlier ? { earlier } : { request, input: l };
      }),
    ),
  );
  const checkedSales = await settle(
    (i) => `/sales/${i}`,
    sales.map((sale) =>
      check(sale, async (s) => ({ request: await saleRequest(ctx, s, receivedAt, programs), input: s })),
    ),
  );

  const toStore = [...checkedLeads, ...checkedSales].flatMap((c) => ("request" in c ? [c] : []));
  // Ids made in one millisecond are ordered, unless the clock stands behind one already used (then they are random
  // within it): sorted, they follow the batch's order whatever the clock, and so does the worker (oldest, then id).
  const ids = toStore.map(() => newId("conversion", receivedAt)).sort();
  const stored = await intake.acceptAll(toStore.map((c, i) => newSubmission(ctx, c.request, c.input, ids[i])));
  const acceptedOf = new Map(toStore.map((c, i) => [c, stored[i]!]));

  const outcomeOf =
    (path: (i: number) => string) =>
    (checked: Checked | { refused: AppError }, i: number): AsyncBatchOutcome => {
      if ("refused" in checked) return checked;
      if ("earlier" in checked) return { earlier: checked.earlier };
      const accepted = acceptedOf.get(checked)!;
      try {
        assertRetryOfFirst(checked.request, accepted);
        return { accepted };
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        return refusedAt(path(i), error);
      }
    };
  return {
    leads: checkedLeads.map(outcomeOf((i) => `/leads/${i}`)),
    sales: checkedSales.map(outcomeOf((i) => `/sales/${i}`)),
  };
}

/** Each event's check on its own: a refusal is its outcome; anything else (the database gone) fails the batch. */
async function settle(
  pathOf: (i: number) => string,
  checks: Promise<Checked>[],
): Promise<(Checked | { refused: AppError })[]> {
  const settled = await Promise.allSettled(checks);
  const unexpected = settled.find((s) => s.status === "rejected" && !(s.reason instanceof AppError));
  if (unexpected) throw (unexpected as PromiseRejectedResult).reason;
  return settled.map((s, i) => (s.status === "fulfilled" ? s.value : refusedAt(pathOf(i), s.reason as AppError)));
}
