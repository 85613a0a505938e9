import type { Ctx } from "../context.js";
import type { ClickIdKeys } from "../tracking/click-id.js";
import type { ConversionBatcher } from "./conversion-batcher.js";
import type { TrackSaleInput } from "./conversions.schemas.js";
import type { ProgramCache } from "./find-program-ref.js";
import { recordConversion } from "./record-conversion.js";
import { saleRequest } from "./sale-request.js";

export async function trackSale(
  ctx: Ctx,
  keys: ClickIdKeys,
  input: TrackSaleInput,
  programCache?: ProgramCache,
  batcher?: ConversionBatcher,
) {
  const request = await saleRequest(ctx, input, ctx.clock.now(), programCache);
  return recordConversion(ctx, keys, request, batcher);
}
