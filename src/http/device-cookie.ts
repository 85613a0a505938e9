import type { FastifyReply, FastifyRequest } from "fastify";
import type { ClientInfo } from "../domain/accounts/sessions.js";
import {
  DEVICE_COOKIE,
  DEVICE_COOKIE_MAX_AGE_SECONDS,
  newDeviceId,
  validDeviceId,
} from "../domain/tracking/device-cookie.js";
import { isSecure } from "./session-cookie.js";

/**
 * The browser a partner user signs in with: its user agent and Tributary's device cookie (the same cookie the
 * redirect sets), so later clicks from it on the partner's own links are recognised. The cookie is set here when
 * the browser has none, and set again otherwise: each sign-in keeps it for another year.
 */
export function partnerClient(request: FastifyRequest, reply: FastifyReply): ClientInfo {
  if (request.ctx.config.deviceCookie === false) return { userAgent: request.headers["user-agent"] };
  const deviceId = validDeviceId(request.cookies[DEVICE_COOKIE]) ?? newDeviceId();
  reply.setCookie(DEVICE_COOKIE, deviceId, {
    httpOnly: true,
    sameSite: "lax",
    secure: isSecure(request, request.ctx.config.publicUrl),
    path: "/",
    maxAge: DEVICE_COOKIE_MAX_AGE_SECONDS,
  });
  return { userAgent: request.headers["user-agent"], deviceId };
}
