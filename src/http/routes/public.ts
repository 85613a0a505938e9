import { type FastifyPluginAsyncTypebox, Type } from "@fastify/type-provider-typebox";
import { applyToProgram } from "../../domain/enrollments/apply-to-program.js";
import { AcceptInvitationSchema, ApplySchema, EnrollmentSchema } from "../../domain/enrollments/enrollments.schemas.js";
import { acceptInvitation, getInvitation } from "../../domain/invitations/accept-invitation.js";
import { PublicInvitationSchema } from "../../domain/invitations/invitations.schemas.js";
import { getPublicProgram } from "../../domain/programs/get-program.js";
import { PublicProgramSchema } from "../../domain/programs/programs.schemas.js";
import { publicAccess } from "../access.js";
import { partnerClient } from "../device-cookie.js";
import { responses, SlugParams } from "../schemas.js";
import { setSessionCookie } from "../session-cookie.js";

const tags = ["public"];
const TokenParams = Type.Object({ token: Type.String({ minLength: 10, maxLength: 100 }) });

/** `formsPerMinute` limits applications and invitation acceptances per IP: each creates accounts. */
export const publicRoutes =
  (formsPerMinute: number): FastifyPluginAsyncTypebox =>
  async (app) => {
    const limited = { access: publicAccess, rateLimit: { max: formsPerMinute, timeWindow: "1 minute" } };
    app.get(
      "/programs/:slug",
      {
        config: { access: publicAccess },
        schema: {
          tags,
          summary: "An open program's public application page data",
          params: SlugParams,
          response: responses({ 200: PublicProgramSchema }),
        },
      },
      async (request) => getPublicProgram(request.ctx, request.params.slug),
    );
    app.post(
      "/programs/:slug/applications",
      {
        config: limited,
        schema: {
          tags,
          summary: "Apply to a program; creates the partner account and signs it in to the portal",
          params: SlugParams,
          body: ApplySchema,
          response: responses({ 201: EnrollmentSchema }),
        },
      },
      async (request, reply) => {
        const { enrollment, session } = await applyToProgram(
          request.ctx,
          request.params.slug,
          request.body,
          partnerClient(request, reply),
        );
        setSessionCookie(reply, request, "partner", session);
        return reply.status(201).send(enrollment);
      },
    );
    app.get(
      "/invitations/:token",
      {
        config: { access: publicAccess },
        schema: {
          tags,
          summary: "What an invitation link is for",
          params: TokenParams,
          response: responses({ 200: PublicInvitationSchema }),
        },
      },
      async (request) => getInvitation(request.ctx, request.params.token),
    );
    app.post(
      "/invitations/:token/accept",
      {
        config: limited,
        schema: {
          tags,
          summary: "Accept an invitation: creates (or links) the partner account, enrolls it approved, signs it in",
          params: TokenParams,
          body: AcceptInvitationSchema,
          response: responses({ 201: EnrollmentSchema }),
        },
      },
      async (request, reply) => {
        const { enrollment, session } = await acceptInvitation(
          request.ctx,
          request.params.token,
          request.body,
          partnerClient(request, reply),
        );
        setSessionCookie(reply, request, "partner", session);
        return reply.status(201).send(enrollment);
      },
    );
  };
