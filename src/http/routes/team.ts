import { type FastifyPluginAsyncTypebox, Type } from "@fastify/type-provider-typebox";
import { createTeamUser } from "../../domain/accounts/create-team-user.js";
import { listTeamUsers } from "../../domain/accounts/list-team-users.js";
import {
  CreateTeamUserSchema,
  TeamUserSchema,
  UpdateTeamUserSchema,
} from "../../domain/accounts/team-users.schemas.js";
import { updateTeamUser } from "../../domain/accounts/update-team-user.js";
import { teamAccess } from "../access.js";
import { IdParams, responses } from "../schemas.js";

const tags = ["team"];

export const teamRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/team/users",
    {
      config: { access: teamAccess("team:read") },
      schema: {
        tags,
        summary: "Team members",
        response: responses({ 200: Type.Object({ items: Type.Array(TeamUserSchema) }) }),
      },
    },
    async (request) => ({ items: await listTeamUsers(request.ctx) }),
  );
  app.post(
    "/team/users",
    {
      config: { access: teamAccess("team:manage") },
      schema: {
        tags,
        summary: "Add a team member (owners only)",
        body: CreateTeamUserSchema,
        response: responses({ 201: TeamUserSchema }),
      },
    },
    async (request, reply) => reply.status(201).send(await createTeamUser(request.ctx, request.body)),
  );
  app.patch(
    "/team/users/:id",
    {
      config: { access: teamAccess("team:manage") },
      schema: {
        tags,
        summary: "Rename, change the role of, disable or re-enable a team member",
        params: IdParams,
        body: UpdateTeamUserSchema,
        response: responses({ 200: TeamUserSchema }),
      },
    },
    async (request) => updateTeamUser(request.ctx, request.params.id, request.body),
  );
};
