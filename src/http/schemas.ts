import { type TSchema, Type } from "typebox";

export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    instance: Type.Optional(Type.String()),
    code: Type.String(),
    errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
  },
  { additionalProperties: true, description: "RFC 9457 problem details" },
);

/** Response schemas for a route: the success shape plus the problem shape for every error status. */
export const responses = <T extends Record<number, TSchema>>(ok: T) => ({
  ...ok,
  "4xx": ProblemSchema,
  "5xx": ProblemSchema,
});

export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
export const SlugParams = Type.Object({ slug: Type.String({ minLength: 1, maxLength: 63 }) });

export const page = <T extends TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), nextCursor: Type.Union([Type.String(), Type.Null()]) });

export const Ok = Type.Object({ ok: Type.Boolean() });

export const LoginSchema = Type.Object(
  { email: Type.String({ format: "email", maxLength: 254 }), password: Type.String({ minLength: 1, maxLength: 256 }) },
  { additionalProperties: false },
);
export const ChangePasswordSchema = Type.Object(
  {
    currentPassword: Type.String({ minLength: 1, maxLength: 256 }),
    newPassword: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false },
);
