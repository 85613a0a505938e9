import { type Static, Type } from "typebox";

const Program = Type.String({ minLength: 1, maxLength: 64, description: "program id (prg_…) or slug" });
const ClickId = Type.String({ maxLength: 200, description: "the click id from the redirect or Tributary.clickId()" });
const Touchpoints = Type.Array(ClickId, {
  maxItems: 50,
  description: "every click id the visitor collected (Tributary.touchpoints()), for multi-touch models",
});
const When = Type.String({ format: "date-time", description: "when it happened; defaults to now" });
const Money = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: "minor units (cents)" });
const Currency = Type.String({
  pattern: "^[A-Z]{3}$",
  description: "three capital letters, an ISO 4217 code like USD",
});
/** The converting visitor's session, for the fraud rules; the IP is stored only as a keyed hash. */
const Session = {
  ip: Type.Optional(
    Type.String({
      minLength: 2,
      maxLength: 45,
      description: "the converting visitor's IP address (stored only hashed)",
    }),
  ),
  userAgent: Type.Optional(
    Type.String({ maxLength: 1000, description: "the converting visitor's User-Agent header; empty if it sent none" }),
  ),
  deviceId: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 200,
      description: "your device fingerprint for the visitor (stored only hashed)",
    }),
  ),
};

export const TrackLeadSchema = Type.Object(
  {
    programId: Program,
    customerExternalId: Type.String({ minLength: 1, maxLength: 200, description: "your id for the customer" }),
    email: Type.Optional(
      Type.String({ format: "email", maxLength: 254, description: "stored only hashed, plus its domain" }),
    ),
    clickId: Type.Optional(ClickId),
    touchpoints: Type.Optional(Touchpoints),
    couponCode: Type.Optional(Type.String({ maxLength: 40 })),
    eventName: Type.Optional(Type.String({ minLength: 1, maxLength: 80, default: "signup" })),
    eventId: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description: "idempotency key; defaults to customer id + event name",
      }),
    ),
    occurredAt: Type.Optional(When),
    ...Session,
  },
  { additionalProperties: false },
);
export type TrackLeadInput = Static<typeof TrackLeadSchema>;

export const TrackSaleSchema = Type.Object(
  {
    programId: Program,
    orderId: Type.String({ minLength: 1, maxLength: 200, description: "order or invoice id: the idempotency key" }),
    amount: Money,
    currency: Currency,
    customerExternalId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    email: Type.Optional(Type.String({ format: "email", maxLength: 254 })),
    clickId: Type.Optional(ClickId),
    touchpoints: Type.Optional(Touchpoints),
    couponCode: Type.Optional(Type.String({ maxLength: 40 })),
    products: Type.Optional(
      Type.Array(
        Type.Object(
          {
            id: Type.String({ minLength: 1, maxLength: 100 }),
            quantity: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000_000 })),
            amount: Type.Optional(Money),
          },
          { additionalProperties: false },
        ),
        { maxItems: 100 },
      ),
    ),
    recurring: Type.Optional(Type.Boolean({ description: "a renewal of a subscription rather than a first purchase" })),
    country: Type.Optional(
      Type.String({
        pattern: "^[A-Z]{2}$",
        description: "two capital letters: the customer's ISO 3166-1 country, like DE, for commission conditions",
      }),
    ),
    occurredAt: Type.Optional(When),
    ...Session,
  },
  { additionalProperties: false },
);
export type TrackSaleInput = Static<typeof TrackSaleSchema>;

export const TrackRefundSchema = Type.Object(
  {
    programId: Program,
    orderId: Type.String({ minLength: 1, maxLength: 200, description: "the refunded sale's order id" }),
    refundId: Type.String({ minLength: 1, maxLength: 200, description: "your refund id: the idempotency key" }),
    amount: Type.Integer({
      minimum: 1,
      maximum: Number.MAX_SAFE_INTEGER,
      description: "minor units; partial refunds allowed",
    }),
    occurredAt: Type.Optional(When),
  },
  { additionalProperties: false },
);
export type TrackRefundInput = Static<typeof TrackRefundSchema>;

/** A partner's display name beside its id: as of the request, its id when no partner has that id (any more). */
export const PartnerName = Type.String({
  description: "the partner's display name as of this request (its id if the partner no longer exists)",
});

export const CreditSchema = Type.Object({
  partnerId: Type.String(),
  partnerName: PartnerName,
  enrollmentId: Type.Union([Type.String(), Type.Null()]),
  weightBps: Type.Integer(),
  amount: Type.Union([Type.Integer(), Type.Null()], { description: "this partner's share of the amount, minor units" }),
});

export const ConversionSchema = Type.Object({
  id: Type.String(),
  programId: Type.String(),
  kind: Type.String(),
  idempotencyKey: Type.String(),
  customerExternalId: Type.Union([Type.String(), Type.Null()]),
  eventName: Type.Union([Type.String(), Type.Null()]),
  amount: Type.Union([Type.Integer(), Type.Null()]),
  currency: Type.Union([Type.String(), Type.Null()]),
  refundedAmount: Type.Integer(),
  saleId: Type.Union([Type.String(), Type.Null()]),
  attributed: Type.Boolean(),
  source: Type.Union([Type.Literal("partner_sourced"), Type.Literal("partner_influenced"), Type.Null()]),
  credits: Type.Array(CreditSchema),
  summary: Type.String({
    description: "why it was credited as it was, in a sentence naming partners by their current display names",
  }),
  occurredAt: Type.String({ format: "date-time" }),
  receivedAt: Type.String({ format: "date-time" }),
});
export type ConversionView = Static<typeof ConversionSchema>;
