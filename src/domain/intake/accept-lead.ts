import type { Ctx } from "../context.js";
import type { ConversionView, TrackLeadInput } from "../conversions/conversions.schemas.js";
import type { ProgramCache } from "../conversions/find-program-ref.js";
import { leadRequest } from "../conversions/lead-request.js";
import { acceptSubmission } from "./accept-submission.js";
import type { AcceptedSubmission, IntakeWriter } from "./intake-writer.js";

/**
 * `POST /v1/track/lead` with `Prefer: respond-async`: checked as the sync route checks it, then accepted into the
 * intake. A retry of a lead recorded under the plain key of earlier versions is answered with that lead at once,
 * as the sync route answers it.
 */
export async function acceptLead(
  ctx: Ctx,
  input: TrackLeadInput,
  intake: IntakeWriter,
  programCache?: ProgramCache,
): Promise<AcceptedSubmission | { earlier: ConversionView }> {
  const { request, earlier } = await leadRequest(ctx, input, ctx.clock.now(), programCache);
  if (earlier) return { earlier };
  return acceptSubmission(ctx, request, input, intake);
}
