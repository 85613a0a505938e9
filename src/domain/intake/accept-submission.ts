import { newId } from "../../lib/ids.js";
import type { Ctx } from "../context.js";
import type { ConversionRequest } from "../conversions/record-conversion.js";
import { assertSameAsFirst } from "../conversions/same-as-first.js";
import type { AcceptedSubmission, IntakeWriter, NewSubmission } from "./intake-writer.js";

/** What a lead's or sale's body says that a retry must repeat (as the sync routes compare it). */
const factsOf = (kind: "lead" | "sale", first: unknown) => {
  const body = first as { amount?: number; currency?: string; customerExternalId?: string; eventName?: string };
  return {
    amount: kind === "sale" ? (body.amount ?? null) : null,
    currency: kind === "sale" ? (body.currency ?? null) : null,
    customerExternalId: body.customerExternalId ?? null,
    eventName: kind === "lead" ? (body.eventName ?? "signup") : null,
  };
};

/** A checked lead or sale as the intake stores it: by program id, since a slug may change before the worker reads it. */
export const newSubmission = (
  ctx: Pick<Ctx, "actor">,
  request: ConversionRequest,
  input: { programId: string },
  id: string = newId("conversion", request.receivedAt),
): NewSubmission => ({
  id,
  programId: request.program.id,
  kind: request.kind,
  idempotencyKey: request.idempotencyKey,
  input: { ...input, programId: request.program.id },
  actor: ctx.actor,
  receivedAt: request.receivedAt,
});

/** A key the intake held already is a retry only if it says what the first said: else a 409 naming what differs. */
export function assertRetryOfFirst(request: ConversionRequest, accepted: AcceptedSubmission): void {
  if (accepted.replayed)
    assertSameAsFirst(
      request.kind === "sale" ? "/orderId" : "/eventId",
      request.idempotencyKey,
      request,
      factsOf(request.kind, accepted.firstInput),
    );
}

/**
 * Stores a checked lead or sale in the intake (`Prefer: respond-async`); the intake worker records it moments
 * later, with the time it was accepted as its received time. A key the intake holds already answers with that
 * submission if the body says the same, and a 409 naming what differs if not, as the sync routes do.
 */
export async function acceptSubmission(
  ctx: Pick<Ctx, "actor">,
  request: ConversionRequest,
  input: { programId: string },
  intake: IntakeWriter,
): Promise<AcceptedSubmission> {
  const accepted = await intake.accept(newSubmission(ctx, request, input));
  assertRetryOfFirst(request, accepted);
  return accepted;
}
