import { type Static, Type } from "typebox";
import {
  attributionModels,
  couponPrecedences,
  payoutSchedules,
  programStatuses,
  programTypes,
  questionTypes,
  ruleSelections,
} from "../../db/schema/index.js";
import { stringEnum } from "../../lib/string-enum.js";

const UTM_NAME = {
  pattern: "^[a-z][a-z0-9_]{0,40}$",
  description: "a parameter name: 1–41 lower-case letters, digits or _, starting with a letter",
};

export const ProgramTypeSchema = stringEnum(programTypes);
export const ProgramStatusSchema = stringEnum(programStatuses, {
  description: "only active programs accept applications",
});
export const QuestionTypeSchema = stringEnum(questionTypes);

export const QuestionInputSchema = Type.Object(
  {
    id: Type.Optional(
      Type.String({ maxLength: 40, description: "keep an existing question's id to keep its answers" }),
    ),
    label: Type.String({ minLength: 1, maxLength: 200 }),
    type: QuestionTypeSchema,
    required: Type.Boolean({ default: false }),
    options: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 50 })),
    helpText: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);

export const QuestionSchema = Type.Object({
  id: Type.String(),
  label: Type.String(),
  type: QuestionTypeSchema,
  required: Type.Boolean(),
  options: Type.Optional(Type.Array(Type.String())),
  helpText: Type.Optional(Type.String()),
});

const programFields = {
  name: Type.String({ minLength: 1, maxLength: 120 }),
  slug: Type.String({
    pattern: "^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$",
    description: "lowercase letters, digits and dashes; used in /apply/<slug>",
  }),
  type: ProgramTypeSchema,
  status: ProgramStatusSchema,
  description: Type.String({ maxLength: 5000 }),
  currency: Type.String({ pattern: "^[A-Z]{3}$", description: "ISO 4217 code, for example USD" }),
  cookieWindowDays: Type.Integer({ minimum: 1, maximum: 3650, description: "attribution window after a click" }),
  allowedDomains: Type.Array(Type.String({ minLength: 1, maxLength: 253 }), {
    maxItems: 100,
    description: "destination hostnames for partner links; a domain also allows its subdomains",
  }),
  defaultLandingUrl: Type.Union([Type.String({ maxLength: 2000 }), Type.Null()]),
  termsText: Type.String({ maxLength: 100_000 }),
  applicationQuestions: Type.Array(QuestionInputSchema, { maxItems: 30 }),
  attributionModel: stringEnum(attributionModels, {
    description: "how credit is split when a customer clicked several partners",
  }),
  timeDecayHalfLifeDays: Type.Integer({
    minimum: 1,
    maximum: 365,
    description: "time_decay: a touch this many days older counts half",
  }),
  lifetimeBinding: Type.Boolean({
    description: "the first attributed lead or sale binds the customer to that partner for good",
  }),
  couponPrecedence: stringEnum(couponPrecedences, {
    description: "which wins when a coupon code and a click point at different partners",
  }),
  clickIdParam: Type.String({
    pattern: "^[a-z][a-z0-9_]{0,30}$",
    description:
      "the query parameter carrying the click id: 1–31 lower-case letters, digits or _, starting with a letter",
  }),
  utmParams: Type.Record(Type.String({ pattern: UTM_NAME.pattern }), Type.String({ minLength: 1, maxLength: 200 }), {
    maxProperties: 10,
    // A record's key pattern only says which values to check; this makes every other key an error.
    propertyNames: UTM_NAME,
    description: "appended to link destinations that do not already set them",
  }),
  linkDomain: Type.Union([Type.String({ maxLength: 253 }), Type.Null()], {
    description:
      "the program's own host for partner links (go.acme.com), pointed at Tributary (DNS and TLS are the vendor's): " +
      "links then read https://go.acme.com/r/<slug>; null or empty: on Tributary's own host",
  }),
  stripeBilling: Type.Object(
    {
      enabled: Type.Boolean({ description: "the program's sales come from Stripe's webhook events" }),
      productIds: Type.Array(Type.String({ minLength: 1, maxLength: 255 }), {
        maxItems: 100,
        description: "Stripe product ids (prod_…) whose invoices are this program's sales; empty: every product",
      }),
    },
    {
      additionalProperties: false,
      description:
        "Stripe billing: the invoices paid on the vendor's Stripe account (of these products) are recorded as this program's sales, " +
        "Checkout sessions with a click id as client_reference_id as leads, and their refunds as refunds",
    },
  ),
  payoutSchedule: stringEnum(payoutSchedules, {
    description:
      "monthly: commissions approved before the 1st of the month are paid; net_N: a month's commissions are paid N days after the month ends",
  }),
  payoutMinimum: Type.Integer({
    minimum: 0,
    maximum: Number.MAX_SAFE_INTEGER,
    description: "minor units of the program currency; a smaller balance is not paid and carries over",
  }),
  requireTaxForm: Type.Boolean({
    description: "pay only partners with a valid tax form (W-9, W-8BEN, W-8BEN-E) or none required",
  }),
  holdingDays: Type.Integer({
    minimum: 0,
    maximum: 365,
    description: "days a commission stays pending (the refund window) before it is approved",
  }),
  ruleSelection: stringEnum(ruleSelections, {
    description: "when several rules of a plan apply: the first in order, or the one that pays the partner most",
  }),
};

const payoutSettings = {
  holdingDays: Type.Optional(programFields.holdingDays),
  ruleSelection: Type.Optional(programFields.ruleSelection),
  payoutSchedule: Type.Optional(programFields.payoutSchedule),
  payoutMinimum: Type.Optional(programFields.payoutMinimum),
  requireTaxForm: Type.Optional(programFields.requireTaxForm),
};

const trackingSettings = {
  attributionModel: Type.Optional(programFields.attributionModel),
  timeDecayHalfLifeDays: Type.Optional(programFields.timeDecayHalfLifeDays),
  lifetimeBinding: Type.Optional(programFields.lifetimeBinding),
  couponPrecedence: Type.Optional(programFields.couponPrecedence),
  clickIdParam: Type.Optional(programFields.clickIdParam),
  utmParams: Type.Optional(programFields.utmParams),
  linkDomain: Type.Optional(programFields.linkDomain),
  stripeBilling: Type.Optional(programFields.stripeBilling),
};

export const CreateProgramSchema = Type.Object(
  {
    name: programFields.name,
    slug: programFields.slug,
    type: programFields.type,
    status: Type.Optional(programFields.status),
    description: Type.Optional(programFields.description),
    currency: programFields.currency,
    cookieWindowDays: Type.Optional(programFields.cookieWindowDays),
    allowedDomains: Type.Optional(programFields.allowedDomains),
    defaultLandingUrl: Type.Optional(programFields.defaultLandingUrl),
    termsText: Type.Optional(programFields.termsText),
    applicationQuestions: Type.Optional(programFields.applicationQuestions),
    ...trackingSettings,
    ...payoutSettings,
  },
  { additionalProperties: false },
);
export type CreateProgramInput = Static<typeof CreateProgramSchema>;
export type QuestionInput = Static<typeof QuestionInputSchema>;

export const UpdateProgramSchema = Type.Partial(Type.Object(programFields), {
  additionalProperties: false,
  minProperties: 1,
});
export type UpdateProgramInput = Static<typeof UpdateProgramSchema>;

export const ProgramSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  slug: Type.String(),
  type: ProgramTypeSchema,
  status: ProgramStatusSchema,
  description: Type.String(),
  currency: Type.String(),
  cookieWindowDays: Type.Integer(),
  allowedDomains: Type.Array(Type.String()),
  defaultLandingUrl: Type.Union([Type.String(), Type.Null()]),
  termsText: Type.String(),
  termsVersion: Type.Integer(),
  applicationQuestions: Type.Array(QuestionSchema),
  attributionModel: programFields.attributionModel,
  timeDecayHalfLifeDays: Type.Integer(),
  lifetimeBinding: Type.Boolean(),
  couponPrecedence: programFields.couponPrecedence,
  clickIdParam: Type.String(),
  utmParams: Type.Record(Type.String(), Type.String()),
  linkDomain: Type.Union([Type.String(), Type.Null()]),
  stripeBilling: Type.Object({ enabled: Type.Boolean(), productIds: Type.Array(Type.String()) }),
  holdingDays: Type.Integer(),
  ruleSelection: programFields.ruleSelection,
  payoutSchedule: programFields.payoutSchedule,
  payoutMinimum: Type.Integer({ description: "minor units of the program currency" }),
  requireTaxForm: Type.Boolean(),
  applyUrl: Type.String({ description: "path of the public application page" }),
  createdAt: Type.String({ format: "date-time" }),
  updatedAt: Type.String({ format: "date-time" }),
  enrollmentCounts: Type.Optional(Type.Record(Type.String(), Type.Integer())),
});
export type ProgramView = Static<typeof ProgramSchema>;

/** What an applicant sees on the public page: no internal settings. */
export const PublicProgramSchema = Type.Object({
  name: Type.String(),
  slug: Type.String(),
  type: ProgramTypeSchema,
  description: Type.String(),
  currency: Type.String(),
  cookieWindowDays: Type.Integer(),
  termsText: Type.String(),
  termsVersion: Type.Integer(),
  applicationQuestions: Type.Array(QuestionSchema),
});
export type PublicProgramView = Static<typeof PublicProgramSchema>;
