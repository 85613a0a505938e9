import type { Ctx } from "../context.js";
import type { TrackSaleInput } from "../conversions/conversions.schemas.js";
import type { ProgramCache } from "../conversions/find-program-ref.js";
import { saleRequest } from "../conversions/sale-request.js";
import { acceptSubmission } from "./accept-submission.js";
import type { AcceptedSubmission, IntakeWriter } from "./intake-writer.js";

/**
 * `POST /v1/track/sale` with `Prefer: respond-async`: the sale is checked as the sync route checks it (a bad one is
 * refused now, with the same problem), then accepted into the intake (acceptSubmission).
 */
export async function acceptSale(
  ctx: Ctx,
  input: TrackSaleInput,
  intake: IntakeWriter,
  programCache?: ProgramCache,
): Promise<AcceptedSubmission> {
  const request = await saleRequest(ctx, input, ctx.clock.now(), programCache);
  return acceptSubmission(ctx, request, input, intake);
}
