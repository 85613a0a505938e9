import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { SUB_ID_KEYS } from "../domain/tracking/click-tracker.js";
import type { RedirectTarget } from "../domain/tracking/link-cache.js";
import type { TrackingRuntime } from "../domain/tracking/tracking-runtime.js";
import { publicAccess } from "./access.js";
import type { AppServices } from "./services.js";

export const CLICK_COOKIE = "tributary_click";

export const NOT_FOUND_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Link not found</title><style>body{font:16px/1.5 system-ui,sans-serif;color:#1f2937;display:grid;place-items:center;min-height:100vh;margin:0;background:#f8fafc}main{text-align:center;padding:2rem}h1{font-size:1.5rem;margin:0 0 .5rem}p{color:#6b7280;margin:0}</style></head><body><main><h1>This link doesn't exist (anymore)</h1><p>Check the address, or ask the person who shared it for a new one.</p></main></body></html>`;

/**
 * GET /r/:slug — the hot path. A cached lookup, a signed click id, a queued click row and a 302. Nothing
 * here waits for the database unless the slug is not cached yet or CLICK_DURABILITY=sync.
 */
export function registerRedirect(app: FastifyInstance, services: AppServices & { tracking: TrackingRuntime }) {
  const { tracking, clock, config } = services;
  const sync = config.CLICK_DURABILITY === "sync";
  const countryHeader = config.COUNTRY_HEADER;

  const respond = async (
    request: FastifyRequest<{ Params: { slug: string } }>,
    reply: FastifyReply,
    target: RedirectTarget | null,
  ) => {
    if (!target)
      return reply.code(404).type("text/html; charset=utf-8").header("cache-control", "no-store").send(NOT_FOUND_PAGE);
    const query = request.query as Record<string, string | undefined>;
    const subIds: Partial<Record<(typeof SUB_ID_KEYS)[number], string>> = {};
    for (const key of SUB_ID_KEYS) if (typeof query[key] === "string") subIds[key] = query[key];
    const waitForRoom = tracking.writer.space();
    if (waitForRoom) await waitForRoom;
    const now = clock.now();
    const outcome = tracking.tracker.track({
      target,
      at: now,
      ip: request.ip,
      userAgent: request.headers["user-agent"],
      referrer: request.headers.referer,
      country: countryHeader ? (request.headers[countryHeader] as string | undefined) : undefined,
      subIds,
      existingToken: request.cookies[CLICK_COOKIE],
      source: "redirect",
    });
    reply.header("cache-control", "no-store").header("referrer-policy", "no-referrer-when-downgrade");
    if (outcome.kind === "bot" || outcome.kind === "untracked") return reply.redirect(target.destination, 302);
    if (outcome.kind === "counted" && sync) await outcome.committed.catch(() => undefined);
    const location = new URL(target.destination);
    location.searchParams.set(target.clickIdParam, outcome.token);
    reply.setCookie(CLICK_COOKIE, outcome.token, {
      httpOnly: true,
      sameSite: "lax",
      secure: request.protocol === "https",
      path: "/r",
      maxAge: target.cookieWindowDays * 86_400,
    });
    return reply.redirect(location.href, 302);
  };

  app.get<{ Params: { slug: string } }>(
    "/r/:slug",
    // No helmet: a 302 carries no document to protect, and its per-request header work costs the hot path.
    { config: { access: publicAccess }, schema: { hide: true }, logLevel: "warn", helmet: false },
    (request, reply) => {
      const cached = tracking.cache.get(request.params.slug);
      return cached instanceof Promise
        ? cached.then((target) => respond(request, reply, target))
        : respond(request, reply, cached);
    },
  );
}
