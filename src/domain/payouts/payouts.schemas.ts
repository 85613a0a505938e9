import { type Static, Type } from "typebox";
import {
  payoutBatchStatuses,
  payoutMethodKinds,
  payoutSkipReasons,
  payoutStatuses,
  taxForms,
} from "../../db/schema/index.js";
import { stringEnum } from "../../lib/string-enum.js";

const Currency = Type.String({ pattern: "^[A-Z]{3}$", description: "ISO 4217 code" });
const Minor = Type.Integer({ description: "minor units (cents)" });
const Timestamp = Type.String({ format: "date-time" });
const NullableTimestamp = Type.Union([Timestamp, Type.Null()]);

export const PayoutMethodKindSchema = stringEnum(payoutMethodKinds);
export const PayoutStatusSchema = stringEnum(payoutStatuses);
export const TaxFormSchema = stringEnum(taxForms, {
  description: "w9, w8ben, w8ben_e collected, or not_required for the partner's country",
});

/**
 * One flat body for every method kind; which fields a kind needs is checked by the use case, so a problem
 * names exactly the missing or misplaced field (a union schema would report every branch).
 */
export const SetPayoutMethodSchema = Type.Object(
  {
    kind: PayoutMethodKindSchema,
    email: Type.Optional(
      Type.String({ format: "email", maxLength: 254, description: "PayPal: the PayPal account; Wise: optional" }),
    ),
    holderName: Type.Optional(Type.String({ minLength: 1, maxLength: 140, description: "Wise and bank" })),
    receiverType: Type.Optional(stringEnum(["person", "business"] as const, { description: "Wise" })),
    iban: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
    bic: Type.Optional(
      Type.String({ pattern: "^[A-Za-z0-9]{8}([A-Za-z0-9]{3})?$", description: "8 or 11 letters and digits" }),
    ),
    accountNumber: Type.Optional(
      Type.String({ pattern: "^[0-9A-Za-z -]{4,34}$", description: "4 to 34 letters, digits, spaces or dashes" }),
    ),
    routingNumber: Type.Optional(Type.String({ pattern: "^[0-9]{9}$", description: "ABA routing number: 9 digits" })),
    sortCode: Type.Optional(Type.String({ pattern: "^[0-9]{2}-?[0-9]{2}-?[0-9]{2}$", description: "six digits" })),
    accountType: Type.Optional(stringEnum(["checking", "savings"] as const)),
    bankName: Type.Optional(Type.String({ minLength: 1, maxLength: 140 })),
    country: Type.Optional(Type.String({ pattern: "^[A-Z]{2}$", description: "ISO 3166 alpha-2" })),
    currency: Type.Optional(Currency),
    accountId: Type.Optional(
      Type.String({ pattern: "^acct_[A-Za-z0-9]{6,64}$", description: "Stripe Connect account id (acct_…)" }),
    ),
  },
  { additionalProperties: false },
);
export type SetPayoutMethodInput = Static<typeof SetPayoutMethodSchema>;

/** What the portal sends: the method plus the user's password, so a stolen session alone cannot redirect payouts. */
export const SetPayoutMethodRequestSchema = Type.Object(
  {
    ...SetPayoutMethodSchema.properties,
    currentPassword: Type.String({ minLength: 1, maxLength: 256, description: "the signed-in user's password" }),
  },
  { additionalProperties: false },
);
export type SetPayoutMethodRequest = Static<typeof SetPayoutMethodRequestSchema>;

export const PayoutMethodSchema = Type.Object({
  partnerId: Type.String(),
  kind: PayoutMethodKindSchema,
  masked: Type.String({ description: "for display, e.g. j***@example.com or IBAN ••••1234" }),
  currency: Type.Union([Currency, Type.Null()]),
  updatedAt: Timestamp,
  attention: Type.Union(
    [
      Type.Object({
        reason: Type.String({ description: "Stripe's reason, in words: what the partner must fix in Stripe" }),
        since: Timestamp,
      }),
      Type.Null(),
    ],
    {
      description:
        "set when Stripe reports the connected account cannot receive payouts; its payouts are held out of Stripe batches until Stripe enables it again",
    },
  ),
});
export type PayoutMethodView = Static<typeof PayoutMethodSchema>;

export const SetTaxFormSchema = Type.Object(
  {
    form: TaxFormSchema,
    validUntil: Type.Optional(
      Type.Union([Timestamp, Type.Null()], {
        description:
          "when the form lapses; W-8 forms default to the end of the third calendar year after this one, W-9 and not_required never lapse",
      }),
    ),
    note: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type SetTaxFormInput = Static<typeof SetTaxFormSchema>;

export const TaxFormStatusSchema = Type.Object({
  partnerId: Type.String(),
  form: Type.Union([TaxFormSchema, Type.Null()], { description: "null: no form on file" }),
  valid: Type.Boolean({ description: "on file and not lapsed" }),
  validUntil: NullableTimestamp,
  note: Type.Union([Type.String(), Type.Null()]),
  setBy: Type.Union([Type.String(), Type.Null()]),
  setAt: NullableTimestamp,
});
export type TaxFormStatusView = Static<typeof TaxFormStatusSchema>;

export const PayoutSchema = Type.Object({
  id: Type.String(),
  programId: Type.String(),
  partnerId: Type.String(),
  partnerName: Type.Optional(Type.String({ description: "in lists, the partner organisation's name" })),
  amount: Minor,
  currency: Type.String(),
  status: PayoutStatusSchema,
  entryCount: Type.Integer(),
  runId: Type.Union([Type.String(), Type.Null()]),
  batchId: Type.Union([Type.String(), Type.Null()]),
  methodKind: Type.Union([PayoutMethodKindSchema, Type.Null()]),
  methodMasked: Type.Union([Type.String(), Type.Null()]),
  externalRef: Type.Union([Type.String(), Type.Null()], {
    description: "Stripe transfer id or the reference given when marked paid",
  }),
  bankReference: Type.Union([Type.String(), Type.Null()], {
    description:
      "for Wise and bank-file payouts, the reference the partner's bank statement shows (TRB and the payout id's last 15 characters)",
  }),
  failureReason: Type.Union([Type.String(), Type.Null()]),
  lastError: Type.Union([Type.String(), Type.Null()], {
    description: "the last transient error while sending (the payout stays processing)",
  }),
  heldReason: Type.Union([Type.String(), Type.Null()], {
    description:
      "why an open Stripe Connect payout is held out of Stripe batches: the partner's connected account needs attention",
  }),
  reversedAmount: Type.Integer({
    description:
      "how much of the paid transfer Stripe reversed; credited back to the partner as a held entry for a manager to approve or reject",
  }),
  reversedAt: NullableTimestamp,
  createdAt: Timestamp,
  processingAt: NullableTimestamp,
  paidAt: NullableTimestamp,
  failedAt: NullableTimestamp,
});
export type PayoutView = Static<typeof PayoutSchema>;

export const PayoutItemSchema = Type.Object({
  entryId: Type.String(),
  kind: Type.String(),
  amount: Minor,
  occurredAt: Timestamp,
  conversionId: Type.Union([Type.String(), Type.Null()]),
  summary: Type.String(),
});

export const PayoutHistoryEventSchema = Type.Object({
  at: Timestamp,
  action: stringEnum(["created", "batched", "paid", "failed", "reversed"] as const),
  actor: Type.String({ description: "who did it: a team member, an API key, the payout job or Stripe's webhook" }),
  methodKind: Type.Union([PayoutMethodKindSchema, Type.Null()], { description: "paid: how it was paid" }),
  methodMasked: Type.Union([Type.String(), Type.Null()]),
  reference: Type.Union([Type.String(), Type.Null()], { description: "paid: the bank or provider reference" }),
  reason: Type.Union([Type.String(), Type.Null()], { description: "failed: why" }),
  batchId: Type.Union([Type.String(), Type.Null()]),
  manual: Type.Boolean({ description: "paid: recorded by hand for this payout alone, outside a batch" }),
});
export type PayoutHistoryEvent = Static<typeof PayoutHistoryEventSchema>;

export const PayoutDetailSchema = Type.Object({
  ...PayoutSchema.properties,
  items: Type.Array(PayoutItemSchema),
  history: Type.Optional(
    Type.Array(PayoutHistoryEventSchema, { description: "what happened to the payout, oldest first (team only)" }),
  ),
});
export type PayoutDetailView = Static<typeof PayoutDetailSchema>;

export const PayoutFilterSchema = Type.Object(
  {
    programId: Type.Optional(Type.String({ maxLength: 64 })),
    partnerId: Type.Optional(Type.String({ maxLength: 64 })),
    batchId: Type.Optional(Type.String({ maxLength: 64 })),
    status: Type.Optional(PayoutStatusSchema),
    cursor: Type.Optional(Type.String({ maxLength: 64, description: "nextCursor of the previous page" })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  },
  { additionalProperties: false },
);
export type PayoutFilter = Static<typeof PayoutFilterSchema>;

export const RunPayoutsSchema = Type.Object(
  {
    programId: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: "all programs when left out" })),
    asOf: Type.Optional(
      Type.String({ format: "date-time", description: "the moment the schedule is evaluated at; now by default" }),
    ),
  },
  { additionalProperties: false },
);
export type RunPayoutsInput = Static<typeof RunPayoutsSchema>;

export const PayoutSkipSchema = Type.Object({
  programId: Type.String(),
  partnerId: Type.String(),
  reason: stringEnum(payoutSkipReasons),
  message: Type.String(),
  amount: Minor,
  currency: Type.String(),
});

export const PayoutRunSchema = Type.Object({
  runId: Type.String(),
  asOf: Timestamp,
  payoutsCreated: Type.Integer(),
  partnersSkipped: Type.Integer(),
  payouts: Type.Array(
    Type.Object({
      id: Type.String(),
      programId: Type.String(),
      partnerId: Type.String(),
      amount: Minor,
      currency: Type.String(),
      entryCount: Type.Integer(),
    }),
  ),
  skipped: Type.Array(PayoutSkipSchema),
});
export type PayoutRunView = Static<typeof PayoutRunSchema>;

export const PayoutRunRecordSchema = Type.Object({
  id: Type.String(),
  programId: Type.Union([Type.String(), Type.Null()]),
  asOf: Timestamp,
  startedBy: Type.String(),
  payoutsCreated: Type.Integer(),
  partnersSkipped: Type.Integer(),
  startedAt: Timestamp,
  finishedAt: Timestamp,
});

export const PayoutRunDetailSchema = Type.Object({
  ...PayoutRunRecordSchema.properties,
  payouts: Type.Array(PayoutSchema, {
    description: "the payouts the run created, as they stand now (at most 1000; payoutsCreated counts them all)",
  }),
  skipped: Type.Array(Type.Object({ ...PayoutSkipSchema.properties, partnerName: Type.String() }), {
    description: "the partners it did not pay, with the reason (at most 1000; partnersSkipped counts them all)",
  }),
});
export type PayoutRunDetailView = Static<typeof PayoutRunDetailSchema>;

export const CreatePayoutBatchSchema = Type.Object(
  {
    programId: Type.String({ minLength: 1, maxLength: 64 }),
    methodKind: PayoutMethodKindSchema,
    payoutIds: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
        minItems: 1,
        maxItems: 5000,
        uniqueItems: true,
        description: "only these pending payouts; every pending payout of the program and method when left out",
      }),
    ),
  },
  { additionalProperties: false },
);
export type CreatePayoutBatchInput = Static<typeof CreatePayoutBatchSchema>;

const PendingTotalsSchema = Type.Object({
  payoutCount: Type.Integer(),
  totals: Type.Array(Type.Object({ currency: Type.String(), amount: Minor }), { description: "per currency" }),
});

export const BatchCandidatesSchema = Type.Object({
  programId: Type.String(),
  methods: Type.Array(
    Type.Object({
      methodKind: PayoutMethodKindSchema,
      ...PendingTotalsSchema.properties,
      held: Type.Object(PendingTotalsSchema.properties, {
        description: "Stripe payouts a batch leaves out: the partner's connected account needs attention",
      }),
    }),
    { description: "every method, in order; a batch of that method takes payoutCount payouts" },
  ),
  withoutMethod: Type.Object(PendingTotalsSchema.properties, {
    description: "pending payouts whose partner has no payout method now: no batch takes them",
  }),
});
export type BatchCandidatesView = Static<typeof BatchCandidatesSchema>;

export const PayoutBatchSchema = Type.Object({
  id: Type.String(),
  programId: Type.String(),
  methodKind: PayoutMethodKindSchema,
  status: stringEnum(payoutBatchStatuses, { description: "completed: every payout is paid or failed" }),
  payoutCount: Type.Integer(),
  total: Minor,
  currency: Type.String(),
  createdBy: Type.String(),
  createdAt: Timestamp,
  fileDownloadedAt: NullableTimestamp,
  completedAt: NullableTimestamp,
  statusCounts: Type.Record(Type.String(), Type.Integer(), { description: "payouts of the batch by status" }),
});
export type PayoutBatchView = Static<typeof PayoutBatchSchema>;

/** One payout recorded paid by hand: how it was paid is recorded with it, as the payout's method. */
export const MarkPayoutPaidSchema = Type.Object(
  {
    methodKind: Type.Optional(
      stringEnum(payoutMethodKinds, {
        description:
          "how it was paid; left out: the payout's batch method, else the partner's payout method (a 422 when it has none)",
      }),
    ),
    reference: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: "bank or provider reference" })),
  },
  { additionalProperties: false },
);
export type MarkPayoutPaidInput = Static<typeof MarkPayoutPaidSchema>;

export const MarkPaidSchema = Type.Object(
  {
    reference: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: "bank or provider reference" })),
  },
  { additionalProperties: false },
);
export const FailPayoutSchema = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 500 }) },
  { additionalProperties: false },
);

export const SendBatchResultSchema = Type.Object({
  batch: PayoutBatchSchema,
  paid: Type.Integer(),
  failed: Type.Integer(),
  retryable: Type.Integer({ description: "still processing after a transient error; send again" }),
  held: Type.Integer({
    description: "not sent: the partner's Stripe account needs attention; they stay processing until it is enabled",
  }),
});

// Years 1970 to 9998: a ledger holds nothing earlier, and December 9999 would end in a year PostgreSQL's
// timestamps cannot hold (Date.UTC also reads years 0 to 99 as 1900 to 1999).
export const PERIOD_PATTERN = "^(19[7-9][0-9]|[2-8][0-9]{3}|9[0-8][0-9]{2}|99[0-8][0-9]|999[0-8])-(0[1-9]|1[0-2])$";

export const StatementQuerySchema = Type.Object(
  {
    programId: Type.String({ minLength: 1, maxLength: 64 }),
    period: Type.String({ pattern: PERIOD_PATTERN, description: "a calendar month (UTC), YYYY-MM" }),
    format: Type.Optional(stringEnum(["json", "csv"] as const)),
  },
  { additionalProperties: false },
);
export type StatementQuery = Static<typeof StatementQuerySchema>;

export const StatementLineSchema = Type.Object({
  date: Timestamp,
  type: stringEnum(["commission", "reversal", "clawback", "bonus", "adjustment", "payout"] as const, {
    description:
      "what the line counts towards: commission (commissions and overrides), reversal (a refund before payout), clawback (a refund after payout), bonus, adjustment, payout",
  }),
  kind: Type.String({
    description: "ledger entry kind (commission, override, reversal, clawback, bonus, adjustment), or payout",
  }),
  reference: Type.String({ description: "entry id or payout id" }),
  description: Type.String(),
  status: Type.String(),
  amount: Minor,
});

export const StatementSchema = Type.Object({
  programId: Type.String(),
  programName: Type.String(),
  programSlug: Type.String(),
  partnerId: Type.String(),
  partnerName: Type.String(),
  period: Type.String(),
  periodStart: Timestamp,
  periodEnd: Timestamp,
  currency: Type.String(),
  openingBalance: Minor,
  commissions: Minor,
  reversals: Type.Integer({ description: "refunds taken back before payout (reversal entries), minor units" }),
  clawbacks: Type.Integer({ description: "refunds taken back after payout (clawback entries), minor units" }),
  bonuses: Minor,
  adjustments: Minor,
  payouts: Minor,
  closingBalance: Minor,
  lines: Type.Array(StatementLineSchema),
});
export type StatementView = Static<typeof StatementSchema>;

export const PayoutSummarySchema = Type.Object({
  programId: Type.String(),
  programName: Type.String(),
  currency: Type.String(),
  schedule: Type.String(),
  minimum: Minor,
  approvedUnpaid: Minor,
  payableNow: Minor,
  notDueFrom: Type.Union([Timestamp, Type.Null()], {
    description: "when the earliest approved money the schedule has not made payable yet becomes payable",
  }),
  inPayouts: Minor,
  blockers: Type.Array(Type.Object({ reason: stringEnum(payoutSkipReasons), message: Type.String() })),
  lastSkip: Type.Union([
    Type.Object({ reason: stringEnum(payoutSkipReasons), message: Type.String(), amount: Minor, at: Timestamp }),
    Type.Null(),
  ]),
});
export type PayoutSummaryView = Static<typeof PayoutSummarySchema>;
