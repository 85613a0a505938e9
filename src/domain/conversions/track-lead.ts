import type { Ctx } from "../context.js";
import { checkSessionFields } from "../fraud/screen-conversion.js";
import type { ClickIdKeys } from "../tracking/click-id.js";
import type { ConversionBatcher } from "./conversion-batcher.js";
import type { TrackLeadInput } from "./conversions.schemas.js";
import { findProgramRef, type ProgramCache } from "./find-program-ref.js";
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
  return recordConversion(
    ctx,
    keys,
    {
      program,
      kind: "lead",
      idempotencyKey: input.eventId ?? `${input.customerExternalId}:${eventName}`,
      customerExternalId: input.customerExternalId,
      email: input.email,
      clickId: input.clickId,
      touchpoints: input.touchpoints,
      couponCode: input.couponCode,
      eventName,
      ip: input.ip,
      userAgent: input.userAgent,
      deviceId: input.deviceId,
      occurredAt: input.occurredAt ? new Date(input.occurredAt) : now,
      receivedAt: now,
      caller: { clock: ctx.clock, actor: ctx.actor },
    },
    batcher,
  );
}
