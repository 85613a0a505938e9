import type { Ctx } from "../context.js";
import type { ClickIdKeys } from "../tracking/click-id.js";
import type { ConversionBatcher } from "./conversion-batcher.js";
import type { TrackLeadInput } from "./conversions.schemas.js";
import type { ProgramCache } from "./find-program-ref.js";
import { leadRequest } from "./lead-request.js";
import { recordConversion } from "./record-conversion.js";

export async function trackLead(
  ctx: Ctx,
  keys: ClickIdKeys,
  input: TrackLeadInput,
  programCache?: ProgramCache,
  batcher?: ConversionBatcher,
) {
  const { request, earlier } = await leadRequest(ctx, input, ctx.clock.now(), programCache);
  if (earlier) return { replayed: true, conversion: earlier };
  return recordConversion(ctx, keys, request, batcher);
}
