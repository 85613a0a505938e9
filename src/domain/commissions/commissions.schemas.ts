import { type Static, Type } from "typebox";
import { commissionEntryKinds, commissionStatuses, planScopes } from "../../db/schema/index.js";
import { stringEnum } from "../../lib/string-enum.js";
import { AuditActorSchema } from "../governance/governance.schemas.js";
import { PlanDefinitionSchema } from "./plan-definition.js";

export const PlanScopeSchema = stringEnum(planScopes, {
  description:
    "program: everyone; tier: partners of a tier (scopeValue = tier name); partner: one partner (scopeValue = partner id)",
});

export const CreatePlanSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 120 }),
    scope: PlanScopeSchema,
    scopeValue: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
    definition: PlanDefinitionSchema,
  },
  { additionalProperties: false },
);
export type CreatePlanInput = Static<typeof CreatePlanSchema>;

export const UpdatePlanSchema = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })),
    definition: Type.Optional(PlanDefinitionSchema),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdatePlanInput = Static<typeof UpdatePlanSchema>;

export const PlanVersionSchema = Type.Object({
  id: Type.String(),
  version: Type.Integer(),
  definition: PlanDefinitionSchema,
  createdBy: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: "date-time" }),
});

export const PlanSchema = Type.Object({
  id: Type.String(),
  programId: Type.String(),
  name: Type.String(),
  scope: PlanScopeSchema,
  scopeValue: Type.Union([Type.String(), Type.Null()]),
  currentVersion: Type.Integer(),
  definition: PlanDefinitionSchema,
  archivedAt: Type.Union([Type.String({ format: "date-time" }), Type.Null()]),
  createdAt: Type.String({ format: "date-time" }),
  updatedAt: Type.String({ format: "date-time" }),
  versions: Type.Optional(Type.Array(PlanVersionSchema)),
});
export type PlanView = Static<typeof PlanSchema>;

export const CommissionStatusSchema = stringEnum(commissionStatuses);
export const CommissionKindSchema = stringEnum(commissionEntryKinds);

export const ExplanationSchema = Type.Object({
  summary: Type.String(),
  steps: Type.Array(Type.String()),
  inputs: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  skipped: Type.Optional(
    Type.Array(Type.Object({ ruleId: Type.String(), ruleName: Type.String(), reason: Type.String() })),
  ),
});

export const CommissionEntrySchema = Type.Object({
  id: Type.String(),
  programId: Type.String(),
  partnerId: Type.String(),
  partnerName: Type.Union([Type.String(), Type.Null()]),
  kind: CommissionKindSchema,
  amount: Type.Integer({ description: "signed, minor units of the program currency" }),
  currency: Type.String(),
  status: CommissionStatusSchema,
  statusReason: Type.Union([Type.String(), Type.Null()]),
  conversionId: Type.Union([Type.String(), Type.Null()]),
  sourceEntryId: Type.Union([Type.String(), Type.Null()]),
  planVersionId: Type.Union([Type.String(), Type.Null()]),
  ruleId: Type.Union([Type.String(), Type.Null()]),
  explanation: ExplanationSchema,
  occurredAt: Type.String({ format: "date-time" }),
  holdUntil: Type.Union([Type.String({ format: "date-time" }), Type.Null()]),
  payoutId: Type.Union([Type.String(), Type.Null()]),
  createdBy: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: "date-time" }),
  statusChangedAt: Type.String({ format: "date-time" }),
});
export type CommissionEntryView = Static<typeof CommissionEntrySchema>;

const commissionFilters = {
  programId: Type.Optional(Type.String()),
  partnerId: Type.Optional(Type.String()),
  status: Type.Optional(CommissionStatusSchema),
  kind: Type.Optional(CommissionKindSchema),
  conversionId: Type.Optional(Type.String()),
  from: Type.Optional(Type.String({ format: "date-time", description: "occurred at or after" })),
  to: Type.Optional(Type.String({ format: "date-time", description: "occurred before" })),
};
export const ListCommissionsQuerySchema = Type.Object(
  {
    ...commissionFilters,
    cursor: Type.Optional(Type.String({ description: "nextCursor of the previous page (opaque)" })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);
export const ExportCommissionsQuerySchema = Type.Object(commissionFilters, { additionalProperties: false });
export type ListCommissionsQuery = Static<typeof ListCommissionsQuerySchema>;

export const reviewActions = ["approve", "hold", "reject"] as const;
export const ReviewCommissionsSchema = Type.Object(
  {
    action: stringEnum(reviewActions, {
      description:
        "approve: pending or held → approved; hold: pending or approved → held; reject: any unpaid → rejected",
    }),
    ids: Type.Array(Type.String(), { minItems: 1, maxItems: 1000, uniqueItems: true }),
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type ReviewCommissionsInput = Static<typeof ReviewCommissionsSchema>;

export const CreateAdjustmentSchema = Type.Object(
  {
    programId: Type.String(),
    partnerId: Type.String(),
    amount: Type.Integer({
      minimum: -1_000_000_000_000,
      maximum: 1_000_000_000_000,
      description: "signed minor units of the program currency; not zero",
    }),
    reason: Type.String({ minLength: 3, maxLength: 500 }),
  },
  { additionalProperties: false },
);
export type CreateAdjustmentInput = Static<typeof CreateAdjustmentSchema>;

export const PreviewCommissionSchema = Type.Object(
  {
    partnerId: Type.String(),
    event: stringEnum(["lead", "sale"] as const),
    amount: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000_000_000 })),
    currency: Type.Optional(Type.String({ pattern: "^[A-Z]{3}$" })),
    recurring: Type.Optional(Type.Boolean()),
    customerExternalId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    products: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 100 })),
    country: Type.Optional(Type.String({ pattern: "^[A-Z]{2}$" })),
    occurredAt: Type.Optional(Type.String({ format: "date-time" })),
  },
  { additionalProperties: false },
);
export type PreviewCommissionInput = Static<typeof PreviewCommissionSchema>;

export const PreviewResultSchema = Type.Object({
  earns: Type.Boolean(),
  amount: Type.Integer(),
  currency: Type.String(),
  planId: Type.Union([Type.String(), Type.Null()]),
  planVersion: Type.Union([Type.Integer(), Type.Null()]),
  ruleId: Type.Union([Type.String(), Type.Null()]),
  ruleName: Type.Union([Type.String(), Type.Null()]),
  explanation: ExplanationSchema,
});

export const FxRateInputSchema = Type.Object(
  {
    date: Type.String({ format: "date", description: "the UTC day the rate is for" }),
    from: Type.String({ pattern: "^[A-Z]{3}$" }),
    to: Type.String({ pattern: "^[A-Z]{3}$" }),
    rate: Type.String({
      pattern: "^\\d{1,12}(\\.\\d{1,12})?$",
      description: "exact decimal: 1 `from` = rate `to` (a string, so no float ever rounds it)",
    }),
  },
  { additionalProperties: false },
);
export type FxRateInput = Static<typeof FxRateInputSchema>;

export const FxRateSchema = Type.Object({
  date: Type.String(),
  from: Type.String(),
  to: Type.String(),
  rate: Type.String(),
  source: Type.String(),
  updatedAt: Type.String({ format: "date-time" }),
});

export const ListFxRatesQuerySchema = Type.Object(
  {
    from: Type.Optional(Type.String({ pattern: "^[A-Z]{3}$" })),
    to: Type.Optional(Type.String({ pattern: "^[A-Z]{3}$" })),
    since: Type.Optional(Type.String({ format: "date" })),
    until: Type.Optional(Type.String({ format: "date" })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 200 })),
  },
  { additionalProperties: false },
);
export type ListFxRatesQuery = Static<typeof ListFxRatesQuerySchema>;

export const CommissionHistorySchema = Type.Object({
  items: Type.Array(
    Type.Object({
      at: Type.String({ format: "date-time" }),
      action: Type.String({ description: "approve, hold, reject (also by the fraud engine), adjust (a manual entry)" }),
      status: Type.Union([Type.String(), Type.Null()], { description: "the status it left the entry in" }),
      reason: Type.Union([Type.String(), Type.Null()]),
      actor: AuditActorSchema,
    }),
  ),
});
