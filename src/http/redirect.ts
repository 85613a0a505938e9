import type { FastifyInstance, FastifyReply } from "fastify";
import { DEVICE_COOKIE } from "../domain/tracking/device-cookie.js";
import { publicAccess } from "./access.js";
import {
  CLICK_COOKIE,
  isLinkSlug,
  NOT_FOUND,
  type RedirectAnswer,
  type RedirectResponder,
} from "./redirect-responder.js";

const send = (reply: FastifyReply, answer: RedirectAnswer) => {
  reply.code(answer.status).headers(answer.headers).send(answer.body);
};

/**
 * GET /r/:slug through Fastify: requests the fast path in front of Fastify does not take (see
 * redirect-fast-path.ts), and every `app.inject()`. Both answer with the same responder.
 */
export function registerRedirect(app: FastifyInstance, respond: RedirectResponder) {
  app.get<{ Params: { slug: string } }>(
    "/r/:slug",
    {
      // `bare`: no authentication hook (no session, no use-case context); see createApp for the other hooks.
      config: { access: publicAccess, bare: true },
      schema: { hide: true },
      logLevel: "warn",
    },
    (request, reply) => {
      if (!isLinkSlug(request.params.slug)) return send(reply, NOT_FOUND);
      const answer = respond({
        slug: request.params.slug,
        ip: request.ip,
        secure: request.protocol === "https",
        headers: request.headers,
        query: request.query as Record<string, unknown>,
        clickCookie: request.cookies[CLICK_COOKIE],
        deviceCookie: request.cookies[DEVICE_COOKIE],
        // Fastify answers HEAD with this GET route (the fast path takes GET only).
        head: request.method === "HEAD",
      });
      // What the handler returns is never a payload (Fastify would send it): undefined, or a promise of it.
      if (answer instanceof Promise) return answer.then((a) => send(reply, a));
      send(reply, answer);
      return undefined;
    },
  );
}
