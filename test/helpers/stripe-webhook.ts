import { randomBytes } from "node:crypto";
import Stripe from "stripe";
import type { TestApp } from "./test-app.js";

/** A Stripe event as Stripe sends it at `now`: the snapshot of the object, the account for Connect events. */
export function stripeEventAt<T>(
  now: Date,
  type: string,
  object: T,
  extra: { account?: string; created?: number; livemode?: boolean; apiVersion?: string } = {},
) {
  return {
    id: `evt_${randomBytes(12).toString("hex")}`,
    object: "event",
    api_version: extra.apiVersion ?? "2025-01-27.acacia",
    created: extra.created ?? Math.floor(now.getTime() / 1000),
    type,
    data: { object },
    livemode: extra.livemode ?? false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    ...(extra.account ? { account: extra.account } : {}),
  };
}

export interface DeliveryOptions {
  /** The endpoint's signing secret the official library signs with. */
  secret: string;
  /** A header of the test's own instead (null: none). */
  header?: string | null;
  timestamp?: number;
}

/** Posts the event to the webhook endpoint as Stripe would, signed by the official library (or with the header given). */
export function deliverStripeEvent(t: TestApp, event: unknown, options: DeliveryOptions) {
  const payload = JSON.stringify(event);
  const header =
    options.header === undefined
      ? Stripe.webhooks.generateTestHeaderString({
          payload,
          secret: options.secret,
          timestamp: options.timestamp ?? Math.floor(t.clock.now().getTime() / 1000),
        })
      : options.header;
  return t.app.inject({
    method: "POST",
    url: "/v1/webhooks/stripe",
    headers: { "content-type": "application/json", ...(header === null ? {} : { "stripe-signature": header }) },
    payload,
  });
}
