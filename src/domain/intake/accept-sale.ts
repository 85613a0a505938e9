import { newId } from "../../lib/ids.js";
import type { Ctx } from "../context.js";
import type { TrackSaleInput } from "../conversions/conversions.schemas.js";
import type { ProgramCache } from "../conversions/find-program-ref.js";
import { saleRequest } from "../conversions/sale-request.js";
import { assertSameAsFirst } from "../conversions/same-as-first.js";
import type { AcceptedSubmission, IntakeWriter } from "./intake-writer.js";

/**
 * `POST /v1/track/sale` with `Prefer: respond-async`: the sale is checked as the sync route checks it (a bad one is
 * refused now, with the same problem), stored durably in the intake, and answered; the intake worker records and
 * attributes it moments later, with the time it was accepted as its received time. An order id the intake holds
 * already answers with that submission if the sale is the same, and a 409 if it is not.
 */
export async function acceptSale(
  ctx: Ctx,
  input: TrackSaleInput,
  intake: IntakeWriter,
  programCache?: ProgramCache,
): Promise<AcceptedSubmission> {
  const receivedAt = ctx.clock.now();
  const request = await saleRequest(ctx, input, receivedAt, programCache);
  const accepted = await intake.accept({
    id: newId("conversion", receivedAt),
    programId: request.program.id,
    kind: "sale",
    idempotencyKey: request.idempotencyKey,
    // By id: a slug may change before the worker reads it.
    input: { ...input, programId: request.program.id },
    actor: ctx.actor,
    receivedAt,
  });
  // A retry must say what the first said, as for the sync route: another sale under a reused order id is a 409.
  if (accepted.replayed) assertSameAsFirst("/orderId", input.orderId, request, factsOf(accepted.firstInput));
  return accepted;
}

const factsOf = (first: unknown) => {
  const sale = first as TrackSaleInput;
  return {
    amount: sale.amount,
    currency: sale.currency,
    customerExternalId: sale.customerExternalId ?? null,
    eventName: null,
  };
};
