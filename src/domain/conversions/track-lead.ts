import type { Ctx } from "../context.js";
import { checkSessionFields } from "../fraud/screen-conversion.js";
import type { ClickIdKeys } from "../tracking/click-id.js";
import type { ConversionBatcher } from "./conversion-batcher.js";
import type { TrackLeadInput } from "./conversions.schemas.js";
import { presentedCouponCode } from "./coupon-code.js";
import { eventTime } from "./event-time.js";
import { findProgramRef, type ProgramCache } from "./find-program-ref.js";
import { loadConversionView } from "./load-conversion.js";
import { recordConversion } from "./record-conversion.js";

export async function trackLead(
  ctx: Ctx,
  keys: ClickIdKeys,
  input: TrackLeadInput,
  programCache?: ProgramCache,
  batcher?: ConversionBatcher,
) {
  checkSessionFields(input);
  const program = await findProgramRef(ctx.db, input.programId, programCache);
  const eventName = input.eventName ?? "signup";
  const now = ctx.clock.now();
  const idempotencyKey = input.eventId ?? defaultLeadKey(input.customerExternalId, eventName);
  if (!input.eventId) {
    // A lead recorded before keys were escaped kept the plain "customer:event": its retry is still a retry, if that
    // plain key is this customer's and event's (the ambiguity escaping removed could make it another's).
    const plain = `${input.customerExternalId}:${eventName}`;
    const earlier =
      plain === idempotencyKey
        ? undefined
        : await loadConversionView(ctx.db, { programId: program.id, kind: "lead", key: plain });
    if (earlier?.view.customerExternalId === input.customerExternalId && earlier.view.eventName === eventName)
      return { replayed: true, conversion: earlier.view };
  }
  return recordConversion(
    ctx,
    keys,
    {
      program,
      kind: "lead",
      idempotencyKey,
      customerExternalId: input.customerExternalId,
      email: input.email,
      clickId: input.clickId,
      touchpoints: input.touchpoints,
      couponCode: presentedCouponCode(input.couponCode),
      eventName,
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

const escapeKeyPart = (part: string) => part.replaceAll("\\", "\\\\").replaceAll(":", "\\:");

/**
 * A lead's idempotency key when the caller sends no eventId: the customer and the event, "customer:event". Each
 * part's colons and backslashes are escaped, so ("a:b", "c") and ("a", "b:c") stay two leads; ids without either character
 * keep the plain form keys always had.
 */
export const defaultLeadKey = (customerExternalId: string, eventName: string) =>
  `${escapeKeyPart(customerExternalId)}:${escapeKeyPart(eventName)}`;
