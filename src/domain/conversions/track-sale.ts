import { isCurrencyCode } from "../../lib/currency-digits.js";
import { fieldError } from "../../lib/errors.js";
import type { Ctx } from "../context.js";
import { checkSessionFields } from "../fraud/screen-conversion.js";
import type { ClickIdKeys } from "../tracking/click-id.js";
import type { ConversionBatcher } from "./conversion-batcher.js";
import type { TrackSaleInput } from "./conversions.schemas.js";
import { presentedCouponCode } from "./coupon-code.js";
import { eventTime } from "./event-time.js";
import { findProgramRef, type ProgramCache } from "./find-program-ref.js";
import { recordConversion } from "./record-conversion.js";

export async function trackSale(
  ctx: Ctx,
  keys: ClickIdKeys,
  input: TrackSaleInput,
  programCache?: ProgramCache,
  batcher?: ConversionBatcher,
) {
  if (!isCurrencyCode(input.currency))
    throw fieldError("/currency", `${input.currency} is not an ISO 4217 currency code`);
  if (
    !input.customerExternalId &&
    !input.clickId &&
    !presentedCouponCode(input.couponCode) &&
    !input.touchpoints?.length
  ) {
    throw fieldError(
      "/customerExternalId",
      "a sale needs a customer id, a click id or a coupon code to be attributable",
    );
  }
  checkSessionFields(input);
  const program = await findProgramRef(ctx.db, input.programId, programCache);
  const now = ctx.clock.now();
  return recordConversion(
    ctx,
    keys,
    {
      program,
      kind: "sale",
      idempotencyKey: input.orderId,
      customerExternalId: input.customerExternalId,
      email: input.email,
      clickId: input.clickId,
      touchpoints: input.touchpoints,
      couponCode: presentedCouponCode(input.couponCode),
      amountMinor: BigInt(input.amount),
      currency: input.currency,
      products: input.products,
      recurring: input.recurring,
      country: input.country,
      ip: input.ip,
      userAgent: input.userAgent,
      deviceId: input.deviceId,
      occurredAt: eventTime(input.occurredAt, now),
      receivedAt: now,
      caller: { clock: ctx.clock, actor: ctx.actor },
    },
    batcher,
  );
}
