import { isCurrencyCode } from "../../lib/currency-digits.js";
import { fieldError } from "../../lib/errors.js";
import type { Ctx } from "../context.js";
import { checkSessionFields } from "../fraud/screen-conversion.js";
import type { TrackSaleInput } from "./conversions.schemas.js";
import { presentedCouponCode } from "./coupon-code.js";
import { eventTime } from "./event-time.js";
import { findProgramRef, type ProgramCache } from "./find-program-ref.js";
import type { ConversionRequest } from "./record-conversion.js";

/**
 * A sale as the conversion engine takes it, after every check that needs no conversion read: the same for a sale
 * recorded at once and for one accepted into the intake (there `receivedAt` is when it was accepted).
 */
export async function saleRequest(
  ctx: Pick<Ctx, "db" | "clock" | "actor">,
  input: TrackSaleInput,
  receivedAt: Date,
  programCache?: ProgramCache,
): Promise<ConversionRequest> {
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
  return {
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
    occurredAt: eventTime(input.occurredAt, receivedAt),
    receivedAt,
    caller: { clock: ctx.clock, actor: ctx.actor },
  };
}
