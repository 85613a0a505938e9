import { type Static, Type } from "typebox";
import { stringEnum } from "../../lib/string-enum.js";
import { PublicProgramSchema } from "../programs/programs.schemas.js";

export const CreateInvitationSchema = Type.Object(
  {
    email: Type.String({ format: "email", maxLength: 254 }),
    expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 90, default: 14 })),
  },
  { additionalProperties: false },
);
export type CreateInvitationInput = Static<typeof CreateInvitationSchema>;

export const InvitationSchema = Type.Object({
  id: Type.String(),
  programId: Type.String(),
  email: Type.String(),
  status: stringEnum(["pending", "accepted", "expired", "revoked"] as const),
  createdAt: Type.String({ format: "date-time" }),
  expiresAt: Type.String({ format: "date-time" }),
  acceptedAt: Type.Union([Type.String({ format: "date-time" }), Type.Null()]),
});
export type InvitationView = Static<typeof InvitationSchema>;

export const PublicInvitationSchema = Type.Object({
  email: Type.String(),
  expiresAt: Type.String({ format: "date-time" }),
  program: PublicProgramSchema,
});
