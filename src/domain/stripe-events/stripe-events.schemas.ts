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

const nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Optional(Type.Union([schema, Type.Null()]));
const seconds = Type.Integer({ minimum: 0, maximum: 253_402_300_799 });

/**
 * Billing events: the fields Stripe billing tracking reads, each as Stripe's API shapes it (lines of endpoints on
 * API versions before 2025-03-31 name their price as `price`, later ones as `pricing.price_details`).
 */
const Amount = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
const Currency = Type.String({ pattern: "^[A-Za-z]{3}$" });
/** An id, or the object it names when the endpoint expands it. */
const stripeRef = nullable(Type.Union([stripeId, Type.Object({ id: stripeId })]));

/**
 * A Checkout session: the lead's fields, and a one-time payment's (mode `payment`), which is a sale of its own when
 * Checkout made no invoice.
 */
export const StripeCheckoutEventShape = Type.Object({
  data: Type.Object({
    object: Type.Object({
      id: stripeId,
      client_reference_id: nullable(Type.String({ maxLength: 200 })),
      customer: nullable(stripeId),
      customer_details: nullable(
        Type.Object({
          email: nullable(Type.String({ maxLength: 512 })),
          address: nullable(Type.Object({ country: nullable(Type.String({ maxLength: 100 })) })),
        }),
      ),
      mode: Type.Optional(Type.String({ maxLength: 50 })),
      payment_status: nullable(Type.String({ maxLength: 50 })),
      payment_intent: stripeRef,
      invoice: stripeRef,
      invoice_creation: nullable(Type.Object({ enabled: Type.Boolean() })),
      amount_total: nullable(Amount),
      currency: nullable(Currency),
    }),
  }),
});

/** A line's discounts and taxes: what the program's part of an invoice is computed from. */
const LineMoneyShape = {
  discount_amounts: nullable(Type.Array(Type.Object({ amount: Type.Integer() }))),
  // Endpoints of API versions since 2025-03-31 list a line's taxes as `taxes`, earlier ones as `tax_amounts`.
  taxes: nullable(
    Type.Array(Type.Object({ amount: Type.Integer(), tax_behavior: nullable(Type.String({ maxLength: 50 })) })),
  ),
  tax_amounts: nullable(Type.Array(Type.Object({ amount: Type.Integer(), inclusive: nullable(Type.Boolean()) }))),
};

const InvoiceLineShape = Type.Object({
  amount: Type.Optional(Type.Integer()),
  quantity: nullable(Type.Integer()),
  ...LineMoneyShape,
  price: nullable(Type.Object({ product: nullable(Type.Union([stripeId, Type.Object({ id: stripeId })])) })),
  pricing: nullable(Type.Object({ price_details: nullable(Type.Object({ product: nullable(stripeId) })) })),
});

export const StripeInvoiceEventShape = Type.Object({
  data: Type.Object({
    object: Type.Object({
      id: stripeId,
      customer: Type.Union([stripeId, Type.Null()]),
      amount_paid: Amount,
      currency: Currency,
      billing_reason: nullable(Type.String({ maxLength: 100 })),
      customer_email: nullable(Type.String({ maxLength: 512 })),
      customer_address: nullable(Type.Object({ country: nullable(Type.String({ maxLength: 100 })) })),
      status_transitions: Type.Optional(Type.Object({ paid_at: nullable(seconds) })),
      lines: Type.Optional(
        Type.Object({ data: Type.Array(InvoiceLineShape), has_more: Type.Optional(Type.Boolean()) }),
      ),
    }),
  }),
});

/** `charge.refunded` carries the charge; its `invoice` only on endpoints of API versions before 2025-03-31. */
export const StripeChargeEventShape = Type.Object({
  data: Type.Object({
    object: Type.Object({ id: stripeId, invoice: nullable(stripeId), payment_intent: nullable(stripeId) }),
  }),
});

/** `refund.updated` and `charge.refund.updated` carry the refund. */
export const StripeRefundEventShape = Type.Object({
  data: Type.Object({
    object: Type.Object({ id: stripeId, charge: nullable(stripeId), payment_intent: nullable(stripeId) }),
  }),
});

/** The billing events Stripe billing tracking acts on, and the shape each must have. */
export const stripeBillingEventShapes = {
  "checkout.session.completed": StripeCheckoutEventShape,
  // A one-time payment by a delayed method (a bank debit): the session completed unpaid, and is paid now.
  "checkout.session.async_payment_succeeded": StripeCheckoutEventShape,
  "invoice.paid": StripeInvoiceEventShape,
  "charge.refunded": StripeChargeEventShape,
  "refund.updated": StripeRefundEventShape,
  "charge.refund.updated": StripeRefundEventShape,
} as const;
export type StripeBillingEventType = keyof typeof stripeBillingEventShapes;
export const isStripeBillingEvent = (type: string): type is StripeBillingEventType =>
  Object.hasOwn(stripeBillingEventShapes, type);
