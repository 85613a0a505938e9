import type { Ctx } from "../context.js";
import { checkSessionFields } from "../fraud/screen-conversion.js";
import type { ConversionView, TrackLeadInput } from "./conversions.schemas.js";
import { presentedCouponCode } from "./coupon-code.js";
import { eventTime } from "./event-time.js";
import { findProgramRef, type ProgramCache } from "./find-program-ref.js";
import { loadConversionView } from "./load-conversion.js";
import type { ConversionRequest } from "./record-conversion.js";

const escapeKeyPart = (part: string) => part.replaceAll("\\", "\\\\").replaceAll(":", "\\:");

/**
 * A lead's idempotency key when the caller sends no eventId: the customer and the event, "customer:event". Each
 * part's colons and backslashes are escaped, so ("a:b", "c") and ("a", "b:c") stay two leads; ids without either character
 * keep the plain form keys always had.
 */
export const defaultLeadKey = (customerExternalId: string, eventName: string) =>
  `${escapeKeyPart(customerExternalId)}:${escapeKeyPart(eventName)}`;

/**
 * A lead as the conversion engine takes it, after every check that needs no conversion read: the same for a lead
 * recorded at once and for one accepted into the intake (there `receivedAt` is when it was accepted). `earlier` is
 * the lead a retry without an eventId was recorded as under the plain key of versions before keys were escaped.
 */
export async function leadRequest(
  ctx: Pick<Ctx, "db" | "clock" | "actor">,
  input: TrackLeadInput,
  receivedAt: Date,
  programCache?: ProgramCache,
): Promise<{ request: ConversionRequest; earlier?: ConversionView | undefined }> {
  checkSessionFields(input);
  const program = await findProgramRef(ctx.db, input.programId, programCache);
  const eventName = input.eventName ?? "signup";
  const idempotencyKey = input.eventId ?? defaultLeadKey(input.customerExternalId, eventName);
  const request: ConversionRequest = {
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
    occurredAt: eventTime(input.occurredAt, receivedAt),
    receivedAt,
    caller: { clock: ctx.clock, actor: ctx.actor },
  };
  if (input.eventId) return { request };
  // A lead recorded before keys were escaped kept the plain "customer:event": its retry is still a retry, if that
  // plain key is this customer's and event's (the ambiguity escaping removed could make it another's).
  const plain = `${input.customerExternalId}:${eventName}`;
  if (plain === idempotencyKey) return { request };
  const earlier = await loadConversionView(ctx.db, { programId: program.id, kind: "lead", key: plain });
  const same = earlier?.view.customerExternalId === input.customerExternalId && earlier.view.eventName === eventName;
  return { request, earlier: same ? earlier.view : undefined };
}
