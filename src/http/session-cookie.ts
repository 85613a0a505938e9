import type { FastifyReply, FastifyRequest } from "fastify";
import type { SessionSubject } from "../db/schema/index.js";
import { sessionCookie } from "./authenticate.js";

/** Secure when the request arrived over https (directly or, with TRUST_PROXY, through a proxy) or PUBLIC_URL is https. */
export const isSecure = (request: FastifyRequest, publicUrl?: string): boolean =>
  request.protocol === "https" || Boolean(publicUrl?.startsWith("https:"));

export function setSessionCookie(
  reply: FastifyReply,
  request: FastifyRequest,
  subject: SessionSubject,
  session: { token: string; expiresAt: Date },
) {
  reply.setCookie(sessionCookie[subject], session.token, {
    httpOnly: true,
    sameSite: "lax",
    secure: isSecure(request, request.ctx.config.publicUrl),
    path: "/",
    expires: session.expiresAt,
  });
}

export function clearSessionCookie(reply: FastifyReply, subject: SessionSubject) {
  reply.clearCookie(sessionCookie[subject], { path: "/" });
}
