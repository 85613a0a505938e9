import { type FastifyPluginAsyncTypebox, Type } from "@fastify/type-provider-typebox";
import { createInvitation } from "../../domain/invitations/create-invitation.js";
import { CreateInvitationSchema, InvitationSchema } from "../../domain/invitations/invitations.schemas.js";
import { listInvitations } from "../../domain/invitations/list-invitations.js";
import { revokeInvitation } from "../../domain/invitations/revoke-invitation.js";
import { teamAccess } from "../access.js";
import { IdParams, responses } from "../schemas.js";

const tags = ["invitations"];

export const invitationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/programs/:id/invitations",
    {
      config: { access: teamAccess("partners:read", { apiKey: true }) },
      schema: {
        tags,
        summary: "Invitations to a program",
        params: IdParams,
        response: responses({ 200: Type.Object({ items: Type.Array(InvitationSchema) }) }),
      },
    },
    async (request) => ({ items: await listInvitations(request.ctx, request.params.id) }),
  );
  app.post(
    "/programs/:id/invitations",
    {
      config: { access: teamAccess("partners:write", { apiKey: true }) },
      schema: {
        tags,
        summary: "Invite a partner by email; the link (with its one-time token) is in this response only",
        params: IdParams,
        body: CreateInvitationSchema,
        response: responses({
          201: Type.Object({ invitation: InvitationSchema, token: Type.String(), url: Type.String() }),
        }),
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createInvitation(request.ctx, request.params.id, request.body)),
  );
  app.post(
    "/invitations/:id/revoke",
    {
      config: { access: teamAccess("partners:write", { apiKey: true }) },
      schema: {
        tags,
        summary: "Revoke a pending invitation: its link stops working",
        params: IdParams,
        response: responses({ 200: InvitationSchema }),
      },
    },
    async (request) => revokeInvitation(request.ctx, request.params.id),
  );
};
