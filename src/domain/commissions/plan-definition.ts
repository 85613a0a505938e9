import { type Static, Type } from "typebox";
import { stringEnum } from "../../lib/string-enum.js";

const Minor = (description: string) => Type.Integer({ minimum: 0, maximum: 1_000_000_000_000, description });
const Bps = (description: string) => Type.Integer({ minimum: 0, maximum: 100_000, description });

export const RewardSchema = Type.Union([
  Type.Object(
    { type: Type.Literal("flat"), amount: Minor("CPA in the program currency's minor units") },
    { additionalProperties: false },
  ),
  Type.Object(
    { type: Type.Literal("percent"), bps: Bps("revenue share in basis points: 1,000 = 10%") },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      type: Type.Literal("hybrid"),
      amount: Minor("flat part, minor units"),
      bps: Bps("percentage part, basis points"),
    },
    { additionalProperties: false },
  ),
]);
export type Reward = Static<typeof RewardSchema>;

export const periodKinds = ["calendar_month", "rolling_30_days"] as const;
export type PeriodKind = (typeof periodKinds)[number];
const PeriodSchema = stringEnum(periodKinds);

export const TiersSchema = Type.Object(
  {
    period: PeriodSchema,
    basis: stringEnum(["count", "revenue"] as const, {
      description:
        "count: the sale's position in the period (the 5th sale is 5); revenue: the partner's credited revenue in the period before this sale",
    }),
    levels: Type.Array(
      Type.Object(
        {
          upTo: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], {
            description:
              "count basis: the last sale position of this level (5 = sales 1 to 5); revenue basis: revenue below this (minor units); null = no limit",
          }),
          reward: RewardSchema,
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 20 },
    ),
  },
  { additionalProperties: false },
);
export type Tiers = Static<typeof TiersSchema>;

export const DurationSchema = Type.Union([
  Type.Object({ type: Type.Literal("first_sale") }, { additionalProperties: false }),
  Type.Object(
    { type: Type.Literal("months"), months: Type.Integer({ minimum: 1, maximum: 600 }) },
    { additionalProperties: false },
  ),
  Type.Object({ type: Type.Literal("lifetime") }, { additionalProperties: false }),
]);
export type Duration = Static<typeof DurationSchema>;

export const ConditionSchema = Type.Union([
  Type.Object(
    {
      field: Type.Literal("product"),
      op: stringEnum(["in", "not_in"] as const),
      values: Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { minItems: 1, maxItems: 500 }),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      field: Type.Literal("amount"),
      op: stringEnum(["gte", "lte"] as const),
      value: Minor("compared with the sale amount in the program currency"),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      field: Type.Literal("country"),
      op: stringEnum(["in", "not_in"] as const),
      values: Type.Array(Type.String({ pattern: "^[A-Z]{2}$" }), { minItems: 1, maxItems: 300 }),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      field: Type.Literal("customer"),
      op: Type.Literal("is"),
      value: stringEnum(["new", "returning"] as const),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      field: Type.Literal("partner_tier"),
      op: stringEnum(["in", "not_in"] as const),
      values: Type.Array(Type.String({ minLength: 1, maxLength: 60 }), { minItems: 1, maxItems: 50 }),
    },
    { additionalProperties: false },
  ),
]);
export type Condition = Static<typeof ConditionSchema>;

export const ruleEvents = ["lead", "sale", "first_sale", "recurring_sale"] as const;
export type RuleEvent = (typeof ruleEvents)[number];

export const RuleSchema = Type.Object(
  {
    id: Type.String({ pattern: "^[a-z0-9_-]{1,40}$", description: "stable id, referenced by commissions" }),
    name: Type.String({ minLength: 1, maxLength: 120 }),
    event: stringEnum(ruleEvents, {
      description:
        "sale = any sale; first_sale = the customer's first; recurring_sale = later sales or ones sent as recurring",
    }),
    reward: Type.Optional(RewardSchema),
    tiers: Type.Optional(TiersSchema),
    duration: Type.Optional(DurationSchema),
    conditions: Type.Optional(Type.Array(ConditionSchema, { maxItems: 20 })),
  },
  { additionalProperties: false },
);
export type Rule = Static<typeof RuleSchema>;

export const BonusSchema = Type.Object(
  {
    id: Type.String({ pattern: "^[a-z0-9_-]{1,40}$" }),
    name: Type.String({ minLength: 1, maxLength: 120 }),
    metric: stringEnum(["sales_count", "revenue"] as const),
    threshold: Type.Integer({ minimum: 1, description: "sales, or revenue in minor units" }),
    amount: Minor("bonus paid once per calendar month when reached"),
  },
  { additionalProperties: false },
);
export type Bonus = Static<typeof BonusSchema>;

export const BadgeSchema = Type.Object(
  {
    id: Type.String({ pattern: "^[a-z0-9_-]{1,40}$" }),
    name: Type.String({ minLength: 1, maxLength: 120 }),
    metric: stringEnum(["sales_count", "revenue"] as const, { description: "lifetime in this program" }),
    threshold: Type.Integer({ minimum: 1 }),
    benefits: Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 20 }),
  },
  { additionalProperties: false },
);
export type Badge = Static<typeof BadgeSchema>;

export const ReferralRewardSchema = Type.Union([
  Type.Object(
    { kind: Type.Literal("discount_percent"), bps: Type.Integer({ minimum: 1, maximum: 10_000 }) },
    { additionalProperties: false },
  ),
  Type.Object(
    { kind: Type.Literal("discount_amount"), amount: Type.Integer({ minimum: 1 }) },
    { additionalProperties: false },
  ),
  Type.Object({ kind: Type.Literal("credit"), amount: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
]);
export type ReferralRewardDefinition = Static<typeof ReferralRewardSchema>;

export const PlanDefinitionSchema = Type.Object(
  {
    rules: Type.Array(RuleSchema, { minItems: 1, maxItems: 50 }),
    cap: Type.Optional(
      Type.Object(
        { amount: Minor("most a partner earns from this plan's rules per period"), period: PeriodSchema },
        { additionalProperties: false },
      ),
    ),
    bonuses: Type.Optional(Type.Array(BonusSchema, { maxItems: 20 })),
    overrides: Type.Optional(
      Type.Object(
        {
          levels: Type.Array(Bps("share of the recruited partner's commission"), {
            minItems: 1,
            maxItems: 3,
            description: "level 1 is the direct recruiter, up to 3 levels",
          }),
        },
        { additionalProperties: false },
      ),
    ),
    referralReward: Type.Optional(ReferralRewardSchema),
    badges: Type.Optional(Type.Array(BadgeSchema, { maxItems: 20 })),
  },
  { additionalProperties: false },
);
export type PlanDefinition = Static<typeof PlanDefinitionSchema>;
