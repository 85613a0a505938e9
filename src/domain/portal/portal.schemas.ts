import { Type } from "typebox";
import { EnrollmentSchema } from "../enrollments/enrollments.schemas.js";
import { PartnerSchema } from "../partners/partners.schemas.js";

export const PortalMeSchema = Type.Object({
  user: Type.Object({ id: Type.String(), email: Type.String(), name: Type.String() }),
  partner: PartnerSchema,
});

export const PortalEnrollmentSchema = Type.Object({
  ...EnrollmentSchema.properties,
  programDetails: Type.Object({
    name: Type.String(),
    slug: Type.String(),
    type: Type.String(),
    currency: Type.String(),
    cookieWindowDays: Type.Integer(),
    termsText: Type.String(),
    termsVersion: Type.Integer(),
    allowedDomains: Type.Array(Type.String(), { description: "where the partner's links may land" }),
    defaultLandingUrl: Type.Union([Type.String(), Type.Null()]),
    utmParams: Type.Record(Type.String(), Type.String(), {
      description:
        "added to every landing address that does not set them: a link's own parameters of these names are not passed on",
    }),
    clickIdParam: Type.String({ description: "the landing address's parameter for the click id" }),
  }),
  needsTermsAcceptance: Type.Boolean({ description: "the current terms version has not been accepted yet" }),
});
