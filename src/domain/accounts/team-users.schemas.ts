import { type Static, Type } from "typebox";
import { teamRoles } from "../../db/schema/index.js";
import { stringEnum } from "../../lib/string-enum.js";

export const TeamRoleSchema = stringEnum(teamRoles, {
  description: "owner: everything; manager: programs, partners, API keys; finance: read and money; viewer: read only",
});

export const TeamUserSchema = Type.Object({
  id: Type.String(),
  email: Type.String(),
  name: Type.String(),
  role: TeamRoleSchema,
  disabled: Type.Boolean(),
  createdAt: Type.String({ format: "date-time" }),
});
export type TeamUserView = Static<typeof TeamUserSchema>;

export const CreateTeamUserSchema = Type.Object(
  {
    email: Type.String({ format: "email", maxLength: 254 }),
    name: Type.String({ minLength: 1, maxLength: 120 }),
    role: TeamRoleSchema,
    password: Type.String({
      minLength: 1,
      maxLength: 256,
      description: "initial password; the member changes it after logging in",
    }),
  },
  { additionalProperties: false },
);
export type CreateTeamUserInput = Static<typeof CreateTeamUserSchema>;

export const UpdateTeamUserSchema = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })),
    role: Type.Optional(TeamRoleSchema),
    disabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateTeamUserInput = Static<typeof UpdateTeamUserSchema>;

export const toTeamUserView = (u: {
  id: string;
  email: string;
  name: string;
  role: TeamUserView["role"];
  disabledAt: Date | null;
  createdAt: Date;
}): TeamUserView => ({
  id: u.id,
  email: u.email,
  name: u.name,
  role: u.role,
  disabled: u.disabledAt !== null,
  createdAt: u.createdAt.toISOString(),
});
