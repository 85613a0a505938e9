import { type FastifyPluginAsyncTypebox, Type } from "@fastify/type-provider-typebox";
import { changePassword } from "../../domain/accounts/change-password.js";
import { loadTeamMember } from "../../domain/accounts/load-team-member.js";
import { logIn } from "../../domain/accounts/log-in.js";
import { logOut } from "../../domain/accounts/log-out.js";
import { createSession } from "../../domain/accounts/sessions.js";
import { countTeamUsers, setUpOwner } from "../../domain/accounts/set-up-owner.js";
import { TeamUserSchema } from "../../domain/accounts/team-users.schemas.js";
import { AppError } from "../../lib/errors.js";
import { publicAccess, teamAccess } from "../access.js";
import { sessionCookie } from "../authenticate.js";
import { ChangePasswordSchema, LoginSchema, Ok, responses } from "../schemas.js";
import { clearSessionCookie, setSessionCookie } from "../session-cookie.js";

const tags = ["auth"];
const loginLimit = (max: number) => ({ rateLimit: { max, timeWindow: "1 minute" } });

const MeSchema = Type.Object({ user: TeamUserSchema, permissions: Type.Array(Type.String()) });

/** `loginsPerMinute` limits sign-in attempts per IP; the per-account lock-out lives in the use case. */
export const authRoutes =
  (loginsPerMinute: number): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      "/auth/csrf",
      {
        config: { access: publicAccess },
        schema: {
          tags,
          summary: "A CSRF token to send as x-csrf-token on cookie-authenticated changes",
          response: responses({ 200: Type.Object({ token: Type.String() }) }),
        },
      },
      async (_request, reply) => ({ token: reply.generateCsrf() }),
    );

    app.get(
      "/setup",
      {
        config: { access: publicAccess },
        schema: {
          tags,
          summary: "Whether the first-run owner account still has to be created",
          response: responses({ 200: Type.Object({ needsOwner: Type.Boolean() }) }),
        },
      },
      async (request) => ({ needsOwner: (await countTeamUsers(request.ctx)) === 0 }),
    );

    app.post(
      "/setup/owner",
      {
        config: { access: publicAccess, ...loginLimit(loginsPerMinute) },
        schema: {
          tags,
          summary: "First run: create the owner account (only while no team user exists) and sign in",
          body: Type.Object(
            {
              email: Type.String({ format: "email", maxLength: 254 }),
              name: Type.String({ minLength: 1, maxLength: 120 }),
              password: Type.String({ minLength: 1, maxLength: 256 }),
            },
            { additionalProperties: false },
          ),
          response: responses({ 201: MeSchema }),
        },
      },
      async (request, reply) => {
        const user = await setUpOwner(request.ctx, request.body);
        const session = await createSession(request.ctx.db, request.ctx, {
          type: "team",
          id: user.id,
          ip: request.ip,
          userAgent: request.headers["user-agent"],
        });
        setSessionCookie(reply, request, "team", session);
        return reply.status(201).send(await loadTeamMember(request.ctx.db, user.id));
      },
    );

    app.post(
      "/auth/login",
      {
        config: { access: publicAccess, ...loginLimit(loginsPerMinute) },
        schema: {
          tags,
          summary: "Console sign-in; sets the team session cookie",
          body: LoginSchema,
          response: responses({ 200: MeSchema }),
        },
      },
      async (request, reply) => {
        const { session, accountId } = await logIn(request.ctx, {
          subject: "team",
          ...request.body,
          userAgent: request.headers["user-agent"],
        });
        setSessionCookie(reply, request, "team", session);
        return loadTeamMember(request.ctx.db, accountId);
      },
    );

    app.post(
      "/auth/logout",
      {
        config: { access: publicAccess },
        schema: { tags, summary: "Console sign-out", response: responses({ 200: Ok }) },
      },
      async (request, reply) => {
        const token = request.cookies[sessionCookie.team];
        if (token) await logOut(request.ctx, token);
        clearSessionCookie(reply, "team");
        return { ok: true };
      },
    );

    app.get(
      "/auth/me",
      {
        config: { access: teamAccess() },
        schema: {
          tags,
          summary: "The signed-in team member and what the role permits",
          response: responses({ 200: MeSchema }),
        },
      },
      async (request) => {
        if (request.ctx.actor.type !== "team") throw new AppError("forbidden", "team members only");
        return loadTeamMember(request.ctx.db, request.ctx.actor.id);
      },
    );

    app.post(
      "/auth/password",
      {
        config: { access: teamAccess(), ...loginLimit(loginsPerMinute) },
        schema: {
          tags,
          summary: "Change your own password; your other sessions end",
          body: ChangePasswordSchema,
          response: responses({ 200: Ok }),
        },
      },
      async (request) => {
        const actor = request.ctx.actor;
        if (actor.type !== "team") throw new AppError("forbidden", "team members only");
        await changePassword(request.ctx, {
          subject: "team",
          accountId: actor.id,
          ...request.body,
          currentSessionToken: request.sessionToken,
        });
        return { ok: true };
      },
    );
  };
