import { type Static, Type } from "typebox";
import {
  CountrySchema,
  EnrollmentSchema,
  EnrollmentStatusSchema,
  PartnerTypeSchema,
} from "../enrollments/enrollments.schemas.js";

export const ContactSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 120 }),
    email: Type.String({ format: "email", maxLength: 254 }),
    role: Type.Optional(Type.String({ maxLength: 80 })),
    phone: Type.Optional(Type.String({ maxLength: 40 })),
  },
  { additionalProperties: false },
);

const partnerFields = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  type: PartnerTypeSchema,
  country: Type.Union([CountrySchema, Type.Null()]),
  website: Type.Union([Type.String({ maxLength: 2000 }), Type.Null()]),
  contacts: Type.Array(ContactSchema, { maxItems: 20 }),
};

export const CreatePartnerSchema = Type.Object(
  {
    name: partnerFields.name,
    type: partnerFields.type,
    country: Type.Optional(partnerFields.country),
    website: Type.Optional(partnerFields.website),
    contacts: Type.Optional(partnerFields.contacts),
    enrollInProgramId: Type.Optional(
      Type.String({ minLength: 1, maxLength: 64, description: "also enroll the partner, approved, in this program" }),
    ),
  },
  { additionalProperties: false },
);
export type CreatePartnerInput = Static<typeof CreatePartnerSchema>;

export const UpdatePartnerSchema = Type.Partial(Type.Object(partnerFields), {
  additionalProperties: false,
  minProperties: 1,
});
/** Managers may also say who recruited the partner (second-tier overrides); a partner cannot set that itself. */
export const ManagerUpdatePartnerSchema = Type.Object(
  {
    ...Type.Partial(Type.Object(partnerFields)).properties,
    recruitedByPartnerId: Type.Optional(
      Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Null()], {
        description: "the partner who recruited this one; earns overrides on its commissions when the plan has them",
      }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdatePartnerInput = Static<typeof ManagerUpdatePartnerSchema>;

export const PartnerSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  type: PartnerTypeSchema,
  country: Type.Union([Type.String(), Type.Null()]),
  website: Type.Union([Type.String(), Type.Null()]),
  contacts: Type.Array(ContactSchema),
  recruitedByPartnerId: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: "date-time" }),
  updatedAt: Type.String({ format: "date-time" }),
  enrollments: Type.Optional(
    Type.Array(
      Type.Object({
        id: Type.String(),
        programId: Type.String(),
        programName: Type.String(),
        status: EnrollmentStatusSchema,
      }),
    ),
  ),
});
export type PartnerView = Static<typeof PartnerSchema>;

export const PartnerDetailSchema = Type.Object({
  ...PartnerSchema.properties,
  users: Type.Array(
    Type.Object({ id: Type.String(), email: Type.String(), name: Type.String(), createdAt: Type.String() }),
  ),
  enrollmentDetails: Type.Array(EnrollmentSchema),
});

export const ListPartnersQuerySchema = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200, description: "search in name, website and contact emails" })),
    type: Type.Optional(PartnerTypeSchema),
    country: Type.Optional(CountrySchema),
    programId: Type.Optional(Type.String()),
    status: Type.Optional(EnrollmentStatusSchema),
    limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
    cursor: Type.Optional(Type.String({ description: "nextCursor from the previous page" })),
  },
  { additionalProperties: false },
);
export type ListPartnersQuery = Static<typeof ListPartnersQuerySchema>;
