import { Type } from "typebox";

const stripeId = Type.String({ minLength: 1, maxLength: 255 });

/**
 * The parts of a Stripe event this service reads. A correctly signed body can still lack them (an endpoint
 * pinned to an API version that shapes events differently, a hand-made test event): checked before anything
 * is read, such a body is a 422 naming the field, never a 500 deep in a handler, and nothing is recorded.
 */
export const StripeEventShape = Type.Object({
  id: stripeId,
  type: stripeId,
  // Seconds since the epoch, up to the last second of year 9999 (the received-events table must hold it).
  created: Type.Integer({ minimum: 0, maximum: 253_402_300_799 }),
  livemode: Type.Boolean(),
  account: Type.Optional(stripeId),
  // Some objects have no id (a `balance`); the events that are acted on are checked further below.
  data: Type.Object({ object: Type.Object({ id: Type.Optional(stripeId) }) }),
});

/** A transfer event names its transfer: its id is read again from Stripe. */
export const StripeTransferEventShape = Type.Object({
  data: Type.Object({ object: Type.Object({ id: stripeId }) }),
});

export const stripeTransferEventTypes: ReadonlySet<string> = new Set(["transfer.reversed", "transfer.updated"]);
