import { type Static, Type } from "typebox";

export const LINK_SLUG_PATTERN = "^[A-Za-z0-9](?:[A-Za-z0-9_-]{0,62}[A-Za-z0-9])?$";

export const CreateLinkSchema = Type.Object(
  {
    slug: Type.Optional(
      Type.String({
        pattern: LINK_SLUG_PATTERN,
        description:
          "1–64 letters, digits, - or _, starting and ending with a letter or digit; generated when left out",
      }),
    ),
    destinationUrl: Type.String({
      minLength: 1,
      maxLength: 2000,
      description: "must be on one of the program's allowed domains",
    }),
  },
  { additionalProperties: false },
);
export type CreateLinkInput = Static<typeof CreateLinkSchema>;

export const ManagerCreateLinkSchema = Type.Object(
  { ...CreateLinkSchema.properties, enrollmentId: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false },
);

export const UpdateLinkSchema = Type.Object(
  {
    destinationUrl: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 2000 }), Type.Null()])),
    disabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateLinkInput = Static<typeof UpdateLinkSchema>;

export const LinkSchema = Type.Object({
  id: Type.String(),
  programId: Type.String(),
  partnerId: Type.String(),
  enrollmentId: Type.String(),
  slug: Type.String(),
  path: Type.String({ description: "/r/<slug>" }),
  url: Type.Union([Type.String(), Type.Null()], {
    description:
      "the link on the program's link domain (https://go.acme.com/r/<slug>); null: the program has none, and the " +
      "link is `path` on the host Tributary is reached at",
  }),
  destinationUrl: Type.Union([Type.String(), Type.Null()], { description: "null: the program's default landing URL" }),
  isDefault: Type.Boolean(),
  disabled: Type.Boolean(),
  createdAt: Type.String({ format: "date-time" }),
});
export type LinkView = Static<typeof LinkSchema>;

export const CreateCouponSchema = Type.Object(
  {
    enrollmentId: Type.String({ minLength: 1, maxLength: 64 }),
    code: Type.String({
      pattern: "^[A-Za-z0-9][A-Za-z0-9_-]{1,39}$",
      description:
        "2–40 letters, digits, - or _, starting with a letter or digit; unique per program, case-insensitive",
    }),
  },
  { additionalProperties: false },
);
export type CreateCouponInput = Static<typeof CreateCouponSchema>;

export const CouponSchema = Type.Object({
  id: Type.String(),
  programId: Type.String(),
  partnerId: Type.String(),
  enrollmentId: Type.String(),
  code: Type.String(),
  disabled: Type.Boolean(),
  createdAt: Type.String({ format: "date-time" }),
});
export type CouponView = Static<typeof CouponSchema>;
