import { eq } from "drizzle-orm";
import type { FastifyReply, FastifyRequest } from "fastify";
import { partnerUsers, type SessionSubject, teamUsers } from "../db/schema/index.js";
import { roleHas, scopesHave } from "../domain/accounts/permissions.js";
import { findSession } from "../domain/accounts/sessions.js";
import { authenticateApiKey } from "../domain/api-keys/authenticate-api-key.js";
import type { Actor, Ctx } from "../domain/context.js";
import { AppError } from "../lib/errors.js";
import type { Access } from "./access.js";
import type { AppServices } from "./services.js";

export const sessionCookie: Record<SessionSubject, string> = { team: "tributary_team", partner: "tributary_partner" };

declare module "fastify" {
  interface FastifyRequest {
    ctx: Ctx;
    /** The session token the request authenticated with, when it used a cookie. */
    sessionToken?: string;
  }
}

const bearer = (request: FastifyRequest): string | undefined => {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const [scheme, token] = header.split(" ");
  if (scheme?.toLowerCase() !== "bearer" || !token)
    throw new AppError("unauthorized", "use Authorization: Bearer <api key>");
  return token;
};

async function teamActor(
  services: AppServices,
  request: FastifyRequest,
  access: Extract<Access, { kind: "team" }>,
): Promise<Actor> {
  const now = services.clock.now();
  const key = bearer(request);
  if (key !== undefined) {
    if (!access.apiKey)
      throw new AppError("forbidden", "this route is for team members signed in to the console, not API keys");
    const apiKey = await authenticateApiKey(services.database.db, now, key, services.tracking?.apiKeys);
    if (!apiKey) throw new AppError("unauthorized", "the API key is not valid or has been revoked");
    if (access.permission && !scopesHave(apiKey.scopes, access.permission)) {
      throw new AppError("forbidden", `the API key lacks the ${access.permission} scope`);
    }
    return { type: "api_key", id: apiKey.id, label: `API key ${apiKey.name}`, scopes: apiKey.scopes, ip: request.ip };
  }
  const token = request.cookies[sessionCookie.team];
  const session = token ? await findSession(services.database.db, now, "team", token) : undefined;
  if (!token || !session) throw new AppError("unauthorized", "sign in to the console first");
  const [user] = await services.database.db.select().from(teamUsers).where(eq(teamUsers.id, session.subjectId));
  if (!user || user.disabledAt) throw new AppError("unauthorized", "this account is disabled");
  if (access.permission && !roleHas(user.role, access.permission)) {
    throw new AppError("forbidden", `the ${user.role} role cannot do this (needs ${access.permission})`);
  }
  request.sessionToken = token;
  return { type: "team", id: user.id, label: user.email, role: user.role, ip: request.ip };
}

async function partnerActor(services: AppServices, request: FastifyRequest): Promise<Actor> {
  if (request.headers.authorization)
    throw new AppError("forbidden", "partner routes take a portal session, not an API key");
  const token = request.cookies[sessionCookie.partner];
  const session = token ? await findSession(services.database.db, services.clock.now(), "partner", token) : undefined;
  if (!token || !session) throw new AppError("unauthorized", "sign in to the partner portal first");
  const [user] = await services.database.db.select().from(partnerUsers).where(eq(partnerUsers.id, session.subjectId));
  if (!user || user.disabledAt) throw new AppError("unauthorized", "this account is disabled");
  request.sessionToken = token;
  return { type: "partner", id: user.id, partnerId: user.partnerId, label: user.email, ip: request.ip };
}

/** Resolves the caller for the route's declared access and builds the use-case context. */
export function authenticate(services: AppServices) {
  return async (request: FastifyRequest, _reply: FastifyReply) => {
    const access = request.routeOptions.config.access;
    if (!access) throw new Error(`route ${request.routeOptions.url} declares no access`);
    const actor: Actor =
      access.kind === "public"
        ? { type: "public", label: "anonymous", ip: request.ip }
        : access.kind === "team"
          ? await teamActor(services, request, access)
          : await partnerActor(services, request);
    request.ctx = {
      db: services.database.db,
      clock: services.clock,
      log: request.log,
      actor,
      config: {
        sessionTtlHours: services.config.SESSION_TTL_HOURS,
        publicUrl: services.config.PUBLIC_URL,
        deviceCookie: services.config.DEVICE_COOKIE === "on",
      },
      cacheChanges: [],
      ...(services.payouts ? { payouts: services.payouts } : {}),
    };
  };
}
