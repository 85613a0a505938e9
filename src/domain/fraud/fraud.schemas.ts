import { type Static, Type } from "typebox";
import {
  fraudActions,
  fraudReportKinds,
  fraudReportStatuses,
  fraudReviewStatuses,
  fraudRules,
  partnerActionKinds,
} from "../../db/schema/index.js";
import { stringEnum } from "../../lib/string-enum.js";
import { AuditActorSchema } from "../governance/governance.schemas.js";

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const DateTime = Type.String({ format: "date-time" });

export const RuleParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 64 }),
  rule: stringEnum(fraudRules),
});

export const FraudRuleSchema = Type.Object({
  rule: Type.String(),
  when: Type.String({
    description: "ingestion: on each conversion; sweep: the periodic job; report: confirmed reports",
  }),
  description: Type.String(),
  enabled: Type.Boolean(),
  action: Type.String(),
  thresholds: Type.Record(Type.String(), Type.Unknown()),
  defaults: Type.Object({ action: Type.String(), thresholds: Type.Record(Type.String(), Type.Unknown()) }),
  fields: Type.Array(
    Type.Object({
      key: Type.String(),
      type: stringEnum(["integer", "number", "boolean", "choice"] as const),
      minimum: Type.Optional(Type.Number()),
      maximum: Type.Optional(Type.Number()),
      options: Type.Optional(Type.Array(Type.String(), { description: "choice: the values allowed" })),
      description: Type.String(),
    }),
    { description: "the rule's thresholds in order, with their type and bounds (what PATCH accepts)" },
  ),
  customized: Type.Boolean(),
  lastChanged: Type.Union([Type.Object({ at: DateTime, actor: AuditActorSchema }), Type.Null()], {
    description:
      "the latest change or reset of the rule for this program, from the audit log; null: never changed (the defaults)",
  }),
});

export const UpdateFraudRuleSchema = Type.Object(
  {
    enabled: Type.Optional(Type.Boolean()),
    action: Type.Optional(stringEnum(fraudActions, { description: "allow, flag, hold or reject" })),
    thresholds: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), {
        description: "only the thresholds to change; see GET …/fraud-rules for each rule's",
      }),
    ),
    resetToDefaults: Type.Optional(Type.Boolean({ description: "forget this program's settings for the rule" })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateFraudRuleInput = Static<typeof UpdateFraudRuleSchema>;

export const DecisionSchema = Type.Object({
  id: Type.String(),
  rule: Type.String(),
  action: Type.String(),
  partnerId: Nullable(Type.String()),
  evidence: Type.Record(Type.String(), Type.Unknown()),
  source: Type.String(),
  decidedAt: DateTime,
});

export const FraudCaseSchema = Type.Object({
  conversionId: Type.String(),
  programId: Type.String(),
  partnerId: Type.String(),
  action: Type.String({ description: "the strongest action of the rules that decided: flag, hold or reject" }),
  status: Type.String({ description: "open, approved or rejected" }),
  rules: Type.Array(Type.String()),
  reason: Nullable(Type.String()),
  reviewedBy: Nullable(Type.String()),
  reviewedAt: Nullable(DateTime),
  openedAt: DateTime,
  conversion: Type.Object({
    kind: Type.String(),
    amount: Nullable(Type.Integer()),
    currency: Nullable(Type.String()),
    occurredAt: DateTime,
  }),
  commission: Type.Object({
    amount: Type.Integer({ description: "the ledger entries of this conversion, in the program currency" }),
    currency: Nullable(Type.String()),
    statuses: Type.Array(Type.String()),
  }),
  decisions: Type.Array(DecisionSchema),
});
export type FraudCaseView = Static<typeof FraudCaseSchema>;

export const ReviewQueueQuerySchema = Type.Object(
  {
    programId: Type.Optional(Type.String({ maxLength: 64 })),
    partnerId: Type.Optional(Type.String({ maxLength: 64 })),
    status: Type.Optional(stringEnum(fraudReviewStatuses, { description: "default open" })),
    action: Type.Optional(stringEnum(["flag", "hold", "reject"] as const)),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 200, description: "cases at most" }),
  },
  { additionalProperties: false },
);
export type ReviewQueueQuery = Static<typeof ReviewQueueQuerySchema>;

export const ReviewQueueSchema = Type.Object({
  partners: Type.Array(
    Type.Object({
      partnerId: Type.String(),
      partnerName: Type.String(),
      standing: stringEnum(["active", "suspended", "banned", "inactive"] as const, {
        description:
          "banned (a ban is final), suspended (no active enrollment, one or more suspended), active, or inactive (nothing active or suspended)",
      }),
      warnedAt: Type.Union([Type.String({ format: "date-time" }), Type.Null()], { description: "the latest warning" }),
      cases: Type.Integer(),
      held: Type.Integer({ description: "cases whose commissions are held" }),
      rules: Type.Record(Type.String(), Type.Integer(), { description: "rule → cases" }),
      items: Type.Array(FraudCaseSchema),
    }),
  ),
  total: Type.Integer(),
});

export const ReviewFraudSchema = Type.Object(
  {
    action: stringEnum(["approve", "reject"] as const),
    conversionIds: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
      minItems: 1,
      maxItems: 500,
      uniqueItems: true,
    }),
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })),
  },
  { additionalProperties: false },
);
export type ReviewFraudInput = Static<typeof ReviewFraudSchema>;

export const ReviewResultSchema = Type.Object({
  updated: Type.Array(
    Type.Object({ conversionId: Type.String(), status: Type.String(), entriesMoved: Type.Integer() }),
  ),
  skipped: Type.Array(Type.Object({ conversionId: Type.String(), reason: Type.String() })),
});

const Evidence = Type.Object(
  {
    urls: Type.Optional(
      Type.Array(Type.String({ format: "uri", maxLength: 2000 }), {
        maxItems: 20,
        description: "ads, search result pages, screenshots",
      }),
    ),
    keywords: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 200 }), {
        maxItems: 50,
        description: "terms bid on, ad texts",
      }),
    ),
    observedAt: Type.Optional(DateTime),
    notes: Type.Optional(Type.String({ maxLength: 5000 })),
  },
  { additionalProperties: false },
);

export const CreateFraudReportSchema = Type.Object(
  {
    partnerId: Type.String({ minLength: 1, maxLength: 64 }),
    programId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    kind: stringEnum(fraudReportKinds),
    description: Type.String({ minLength: 1, maxLength: 5000 }),
    evidence: Evidence,
  },
  { additionalProperties: false },
);
export type CreateFraudReportInput = Static<typeof CreateFraudReportSchema>;

export const FraudReportSchema = Type.Object({
  id: Type.String(),
  programId: Nullable(Type.String()),
  partnerId: Type.String(),
  kind: Type.String(),
  description: Type.String(),
  evidence: Type.Object({
    urls: Type.Array(Type.String()),
    keywords: Type.Array(Type.String()),
    observedAt: Nullable(Type.String()),
    notes: Nullable(Type.String()),
  }),
  status: Type.String(),
  resolution: Nullable(Type.String()),
  reportedBy: Type.String(),
  createdAt: DateTime,
  resolvedAt: Nullable(DateTime),
  resolvedBy: Nullable(Type.String()),
});

export const ListFraudReportsQuerySchema = Type.Object(
  {
    status: Type.Optional(stringEnum(fraudReportStatuses)),
    partnerId: Type.Optional(Type.String({ maxLength: 64 })),
    programId: Type.Optional(Type.String({ maxLength: 64 })),
    limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
  },
  { additionalProperties: false },
);

export const ResolveFraudReportSchema = Type.Object(
  {
    outcome: stringEnum(["confirmed", "dismissed"] as const),
    resolution: Type.String({ minLength: 1, maxLength: 2000, description: "what was found (console only)" }),
    apply: Type.Optional(
      Type.Object(
        {
          from: DateTime,
          to: DateTime,
          action: Type.Optional(
            stringEnum(["flag", "hold", "reject"] as const, {
              description: "default: the program's manual_report action",
            }),
          ),
        },
        { additionalProperties: false, description: "confirmed only: decide the partner's conversions of this period" },
      ),
    ),
  },
  { additionalProperties: false },
);
export type ResolveFraudReportInput = Static<typeof ResolveFraudReportSchema>;

export const PartnerActionInputSchema = Type.Object(
  {
    kind: stringEnum(partnerActionKinds, {
      description:
        "warn; suspend (every active enrollment); ban (every enrollment terminated); reinstate (suspended → active)",
    }),
    reason: Type.String({ minLength: 1, maxLength: 2000, description: "why (console and audit log only)" }),
    message: Type.Optional(
      Type.String({ minLength: 1, maxLength: 2000, description: "what the partner reads in the portal" }),
    ),
    commissions: Type.Optional(
      stringEnum(["keep", "hold", "reject"] as const, {
        description: "unpaid commissions of the partner: default keep, and hold for a ban",
      }),
    ),
    reportId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  },
  { additionalProperties: false },
);
export type PartnerActionInput = Static<typeof PartnerActionInputSchema>;

export const PartnerActionSchema = Type.Object({
  id: Type.String(),
  partnerId: Type.String(),
  kind: Type.String(),
  reason: Type.String(),
  message: Nullable(Type.String()),
  enrollmentIds: Type.Array(Type.String()),
  reportId: Nullable(Type.String()),
  commissionsMoved: Type.Optional(Type.Integer()),
  createdBy: Type.String(),
  createdAt: DateTime,
});

export const PortalNoticeSchema = Type.Object({
  id: Type.String(),
  kind: Type.String({ description: "warn, suspend, ban or reinstate" }),
  message: Type.String(),
  at: DateTime,
});

export const SweepResultSchema = Type.Object({
  programs: Type.Integer(),
  decisions: Type.Record(Type.String(), Type.Integer()),
  held: Type.Integer(),
  rejected: Type.Integer(),
});
