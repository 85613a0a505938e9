import { type Static, Type } from "typebox";
import { enrollmentStatuses, partnerTypes } from "../../db/schema/index.js";
import { stringEnum } from "../../lib/string-enum.js";

export const EnrollmentStatusSchema = stringEnum(enrollmentStatuses);
export const PartnerTypeSchema = stringEnum(partnerTypes);
export const CountrySchema = Type.String({ pattern: "^[A-Z]{2}$", description: "ISO 3166-1 alpha-2, for example DE" });

export const AnswersSchema = Type.Record(
  Type.String({ maxLength: 40 }),
  Type.Union([Type.String({ maxLength: 5000 }), Type.Number()]),
  {
    description: "answers keyed by question id",
  },
);

const applicantFields = {
  email: Type.String({ format: "email", maxLength: 254 }),
  password: Type.String({
    minLength: 1,
    maxLength: 256,
    description: "for a new account, or the existing account's password",
  }),
  name: Type.String({ minLength: 1, maxLength: 120, description: "the applicant's own name" }),
  company: Type.String({ minLength: 1, maxLength: 200, description: "the partner organisation's name" }),
  partnerType: Type.Optional(PartnerTypeSchema),
  country: Type.Optional(CountrySchema),
  website: Type.Optional(Type.String({ maxLength: 2000 })),
};

export const ApplySchema = Type.Object(
  {
    ...applicantFields,
    answers: Type.Optional(AnswersSchema),
    acceptTerms: Type.Boolean({ description: "must be true when the program has terms" }),
  },
  { additionalProperties: false },
);
export type ApplyInput = Static<typeof ApplySchema>;

export const PortalApplySchema = Type.Object(
  { answers: Type.Optional(AnswersSchema), acceptTerms: Type.Boolean() },
  { additionalProperties: false },
);
export type PortalApplyInput = Static<typeof PortalApplySchema>;

export const AcceptInvitationSchema = Type.Object(
  {
    password: applicantFields.password,
    name: applicantFields.name,
    company: applicantFields.company,
    partnerType: applicantFields.partnerType,
    country: applicantFields.country,
    website: applicantFields.website,
    acceptTerms: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type AcceptInvitationInput = Static<typeof AcceptInvitationSchema>;

export const TransitionSchema = Type.Object(
  { reason: Type.Optional(Type.String({ maxLength: 2000 })) },
  { additionalProperties: false },
);

export const AcceptTermsSchema = Type.Object(
  { termsVersion: Type.Integer({ minimum: 1, description: "the version the partner read" }) },
  { additionalProperties: false },
);

export const EnrollmentSchema = Type.Object({
  id: Type.String(),
  programId: Type.String(),
  partnerId: Type.String(),
  status: EnrollmentStatusSchema,
  statusReason: Type.Union([Type.String(), Type.Null()]),
  tier: Type.Union([Type.String(), Type.Null()], { description: "partner group/tier in this program" }),
  applicantEmail: Type.Union([Type.String(), Type.Null()]),
  applicationAnswers: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()])),
  source: stringEnum(["application", "invitation", "manual"] as const),
  termsVersionAccepted: Type.Union([Type.Integer(), Type.Null()]),
  termsAcceptedAt: Type.Union([Type.String({ format: "date-time" }), Type.Null()]),
  appliedAt: Type.String({ format: "date-time" }),
  decidedAt: Type.Union([Type.String({ format: "date-time" }), Type.Null()]),
  statusChangedAt: Type.String({ format: "date-time" }),
  program: Type.Optional(
    Type.Object({ id: Type.String(), name: Type.String(), slug: Type.String(), type: Type.String() }),
  ),
  partner: Type.Optional(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      type: Type.String(),
      country: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
});
export type EnrollmentView = Static<typeof EnrollmentSchema>;

export const UpdateEnrollmentSchema = Type.Object(
  {
    tier: Type.Union([Type.String({ pattern: "^[a-z0-9][a-z0-9_-]{0,59}$" }), Type.Null()], {
      description: "partner group/tier (lowercase, e.g. gold): selects a tier commission plan; null clears it",
    }),
  },
  { additionalProperties: false },
);
export type UpdateEnrollmentInput = Static<typeof UpdateEnrollmentSchema>;
