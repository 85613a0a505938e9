import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { SUB_ID_KEYS } from "../domain/tracking/click-tracker.js";
import type { RedirectTarget } from "../domain/tracking/link-cache.js";
import type { TrackingRuntime } from "../domain/tracking/tracking-runtime.js";
import { publicAccess } from "./access.js";
import type { AppServices } from "./services.js";

export const CLICK_COOKIE = "tributary_click";

export const NOT_FOUND_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Link not found</title><style>body{font:16px/1.5 system-ui,sans-serif;color:#1f2937;display:grid;place-items:center;min-height:100vh;margin:0;background:#f8fafc}main{text-align:center;padding:2rem}h1{font-size:1.5rem;margin:0 0 .5rem}p{color:#6b7280;margin:0}</style></head><body><main><h1>This link doesn't exist (anymore)</h1><p>Check the address, or ask the person who shared it for a new one.</p></main></body></html>`;

// The redirect runs outside helmet's scope (see createApp); its one document, the 404 page, gets fixed headers.
const NOT_FOUND_HEADERS = {
  "content-type": "text/html; charset=utf-8",
  "cache-control": "no-store",
  "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
};

/** Stands in for the click id while a target's Location and cookie are prepared; base64url like a real id. */
const PLACEHOLDER = "TbClickIdPlaceholderQ9xZ";

type SubIds = Partial<Record<(typeof SUB_ID_KEYS)[number], string>>;

/**
 * GET /r/:slug — the hot path. A cached lookup, a signed click id, a queued click row and a 302. Nothing
 * here waits for the database unless the slug is not cached yet, the click queue is full, or
 * CLICK_DURABILITY=sync. The handler stays synchronous otherwise: no promise per redirect.
 */
export function registerRedirect(app: FastifyInstance, services: AppServices & { tracking: TrackingRuntime }) {
  const { tracking, clock, config } = services;
  const sync = config.CLICK_DURABILITY === "sync";
  const countryHeader = config.COUNTRY_HEADER;

  /**
   * Per cached target, the Location around the click id: `new URL` + `searchParams.set` gives the exact string
   * (an existing parameter of that name replaced, the fragment kept), once per target instead of per click.
   * null when the destination happens to contain the placeholder: then each click builds its URL.
   */
  const locations = new WeakMap<RedirectTarget, readonly [string, string] | null>();
  const location = (target: RedirectTarget, token: string) => {
    let parts = locations.get(target);
    if (parts === undefined) {
      parts = splitAround(withClickId(target, PLACEHOLDER));
      locations.set(target, parts);
    }
    return parts ? parts[0] + token + parts[1] : withClickId(target, token);
  };
  /** The click cookie's attributes for a window and scheme, serialized once by the cookie plugin itself. */
  const cookieSuffixes = new Map<string, string>();
  const clickCookie = (token: string, windowDays: number, secure: boolean) => {
    const key = `${windowDays}:${secure}`;
    let suffix = cookieSuffixes.get(key);
    if (suffix === undefined) {
      suffix = app
        .serializeCookie(CLICK_COOKIE, PLACEHOLDER, {
          httpOnly: true,
          sameSite: "lax",
          secure,
          path: "/r",
          maxAge: windowDays * 86_400,
        })
        .slice(`${CLICK_COOKIE}=${PLACEHOLDER}`.length);
      cookieSuffixes.set(key, suffix);
    }
    return `${CLICK_COOKIE}=${token}${suffix}`;
  };

  const subIdsOf = (query: Record<string, unknown>): SubIds => {
    const subIds: SubIds = {};
    for (const key of SUB_ID_KEYS) {
      const value = query[key];
      if (typeof value === "string") subIds[key] = value;
    }
    return subIds;
  };

  // Synchronous unless the click must wait (sync durability); what it returns is never a payload: Fastify would send it.
  const track = (request: FastifyRequest, reply: FastifyReply, target: RedirectTarget): undefined | Promise<void> => {
    const outcome = tracking.tracker.track({
      target,
      at: clock.now(),
      ip: request.ip,
      userAgent: request.headers["user-agent"],
      referrer: request.headers.referer,
      country: countryHeader ? (request.headers[countryHeader] as string | undefined) : undefined,
      subIds: subIdsOf(request.query as Record<string, unknown>),
      existingToken: request.cookies[CLICK_COOKIE],
      source: "redirect",
    });
    reply.header("cache-control", "no-store").header("referrer-policy", "no-referrer-when-downgrade");
    if (outcome.kind === "bot" || outcome.kind === "untracked") {
      reply.redirect(target.destination, 302);
      return undefined;
    }
    const send = () => {
      reply
        .header("set-cookie", clickCookie(outcome.token, target.cookieWindowDays, request.protocol === "https"))
        .redirect(location(target, outcome.token), 302);
    };
    if (outcome.kind === "counted" && sync) return outcome.committed.then(send, send);
    send();
    return undefined;
  };

  const respond = (request: FastifyRequest, reply: FastifyReply, target: RedirectTarget | null) => {
    if (!target) {
      reply.code(404).headers(NOT_FOUND_HEADERS).send(NOT_FOUND_PAGE);
      return undefined;
    }
    const waitForRoom = tracking.writer.space();
    return waitForRoom ? waitForRoom.then(() => track(request, reply, target)) : track(request, reply, target);
  };

  app.get<{ Params: { slug: string } }>(
    "/r/:slug",
    {
      // `bare`: no authentication hook (no session, no use-case context); see createApp for the other hooks.
      config: { access: publicAccess, bare: true },
      schema: { hide: true },
      logLevel: "warn",
    },
    (request, reply) => {
      const cached = tracking.cache.get(request.params.slug);
      return cached instanceof Promise
        ? cached.then((target) => respond(request, reply, target))
        : respond(request, reply, cached);
    },
  );
}

const withClickId = (target: RedirectTarget, token: string) => {
  const url = new URL(target.destination);
  url.searchParams.set(target.clickIdParam, token);
  return url.href;
};

const splitAround = (href: string): readonly [string, string] | null => {
  const at = href.indexOf(PLACEHOLDER);
  if (at < 0 || href.includes(PLACEHOLDER, at + 1)) return null;
  return [href.slice(0, at), href.slice(at + PLACEHOLDER.length)];
};
