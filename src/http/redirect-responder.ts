import type { IncomingHttpHeaders } from "node:http";
import { stringifySetCookie } from "cookie";
import { LINK_SLUG_PATTERN } from "../domain/links/links.schemas.js";
import { adClickInQuery } from "../domain/tracking/ad-click.js";
import { readSubIds } from "../domain/tracking/click-tracker.js";
import { deepLinkDestination } from "../domain/tracking/deep-link.js";
import {
  DEVICE_COOKIE,
  DEVICE_COOKIE_MAX_AGE_SECONDS,
  newDeviceId,
  validDeviceId,
} from "../domain/tracking/device-cookie.js";
import { withForwardedQuery } from "../domain/tracking/forward-query.js";
import type { RedirectTarget } from "../domain/tracking/link-cache.js";
import { setQueryParam } from "../domain/tracking/query-param.js";
import type { TrackingRuntime } from "../domain/tracking/tracking-runtime.js";
import type { Clock } from "../lib/clock.js";

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

/** What the redirect reads of a request, whichever server parsed it (Fastify, or the fast path). */
export interface Visit {
  slug: string;
  ip: string;
  secure: boolean;
  headers: IncomingHttpHeaders;
  /** The parsed query string, if any (sub-ids, an ad network's click id). */
  query: Record<string, unknown> | undefined;
  /** The click id the visitor's cookie holds, if any. */
  clickCookie: string | undefined;
  /** Tributary's device cookie, if the browser has one. */
  deviceCookie: string | undefined;
  /** A HEAD request: link checkers and prefetchers ask where a link goes; nobody visits. */
  head?: boolean;
}

export interface RedirectAnswer {
  status: 302 | 404 | 503;
  headers: Record<string, string | string[]>;
  body: string | undefined;
}

export interface RedirectResponderDeps {
  tracking: TrackingRuntime;
  clock: Clock;
  durability: "buffered" | "sync";
  /** The request header that carries the visitor's country (set by a trusted proxy or CDN), if any. */
  countryHeader: string | undefined;
  /** Set and read Tributary's device cookie (DEVICE_COOKIE). */
  deviceCookie: boolean;
}

export type RedirectResponder = (visit: Visit) => RedirectAnswer | Promise<RedirectAnswer>;

/**
 * What a speculative load gets: a browser prefetching or prerendering a partner link (speculation rules on the
 * partner's page, a hover, the address bar guessing) is not a visit. An error status is never kept for the
 * navigation (the HTML standard's prefetch takes 2xx answers only), so if the visitor does follow the link the
 * browser asks again and that request is the click. Answering the prefetch with the 302 instead would count a
 * click for every hover, or, uncounted, hand the browser a redirect it could reuse without the click.
 */
export const PREFETCH_REFUSED: RedirectAnswer = {
  status: 503,
  headers: { "content-length": "0", "cache-control": "no-store", vary: "Sec-Purpose" },
  body: undefined,
};

/**
 * Whether the request is a browser's speculative load: `Sec-Purpose: prefetch` (and `prefetch;prerender`) from
 * Chromium, the older `Purpose: prefetch` and Firefox's `X-Moz: prefetch`, and Safari's `X-Purpose: preview`.
 */
const SPECULATIVE = /prefetch|prerender|preview/i;
export const isSpeculative = (headers: IncomingHttpHeaders) => {
  const purpose = headers["sec-purpose"] ?? headers.purpose ?? headers["x-moz"] ?? headers["x-purpose"];
  return purpose !== undefined && SPECULATIVE.test(String(purpose));
};

/** The page for a slug no enabled link has: also what a malformed /r/ address gets (see createApp). */
export const NOT_FOUND: RedirectAnswer = { status: 404, headers: NOT_FOUND_HEADERS, body: NOT_FOUND_PAGE };
const LINK_SLUG = new RegExp(LINK_SLUG_PATTERN);
/**
 * Whether a link could have this slug. The two entries check it once each before the responder: the fast path takes
 * only such slugs, and the Fastify route answers any other (a NUL, a dot, a percent sign…) with NOT_FOUND unlooked-up.
 */
export const isLinkSlug = (slug: string) => LINK_SLUG.test(slug);

/**
 * GET /r/:slug — the hot path, independent of the HTTP framework that parsed the request. A cached lookup, a
 * signed click id, a queued click row and a 302. It returns a promise only when it must wait: the slug is not
 * cached yet, the click queue is full, or CLICK_DURABILITY=sync; otherwise no promise is made per redirect.
 */
export function createRedirectResponder(deps: RedirectResponderDeps): RedirectResponder {
  const { tracking, clock, countryHeader } = deps;
  const sync = deps.durability === "sync";

  /**
   * Per cached target, the Location around the click id: `new URL` + `setQueryParam` gives the exact string
   * (an existing parameter of that name replaced, the rest of the query as written, the fragment kept), once per
   * target instead of per click.
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
  /** The click cookie's attributes for a window and scheme, serialized once. */
  const cookieSuffixes = new Map<string, string>();
  const clickCookie = (token: string, windowDays: number, secure: boolean) => {
    const key = `${windowDays}:${secure}`;
    let suffix = cookieSuffixes.get(key);
    if (suffix === undefined) {
      suffix = stringifySetCookie({
        name: CLICK_COOKIE,
        value: PLACEHOLDER,
        httpOnly: true,
        sameSite: "lax",
        secure,
        path: "/r",
        maxAge: windowDays * 86_400,
      }).slice(`${CLICK_COOKIE}=${PLACEHOLDER}`.length);
      cookieSuffixes.set(key, suffix);
    }
    return `${CLICK_COOKIE}=${token}${suffix}`;
  };
  /** The device cookie's attributes, per scheme, serialized once. */
  const deviceSuffixes = [false, true].map((secure) =>
    stringifySetCookie({
      name: DEVICE_COOKIE,
      value: "",
      httpOnly: true,
      sameSite: "lax",
      secure,
      path: "/",
      maxAge: DEVICE_COOKIE_MAX_AGE_SECONDS,
    }).slice(`${DEVICE_COOKIE}=`.length),
  );
  const deviceCookie = (deviceId: string, secure: boolean) => `${DEVICE_COOKIE}=${deviceId}${deviceSuffixes[+secure]}`;

  const plainRedirect = (target: RedirectTarget, landing: string | undefined): RedirectAnswer => ({
    status: 302,
    headers: {
      location: landing ?? target.destination,
      "content-length": "0",
      "cache-control": "no-store",
      "referrer-policy": "no-referrer-when-downgrade",
    },
    body: undefined,
  });

  /**
   * `deepLink`: the page a `?url=` named (kept with the click); `landing`: where the visitor goes, that page or the
   * link's destination with the link's own query parameters passed on, when either differs from the destination.
   */
  const track = (
    visit: Visit,
    target: RedirectTarget,
    deepLink: string | undefined,
    landing: string | undefined,
  ): RedirectAnswer | Promise<RedirectAnswer> => {
    const { headers } = visit;
    const knownDevice = deps.deviceCookie ? validDeviceId(visit.deviceCookie) : undefined;
    const deviceId = deps.deviceCookie ? (knownDevice ?? newDeviceId()) : undefined;
    const outcome = tracking.tracker.track({
      target,
      at: clock.now(),
      ip: visit.ip,
      userAgent: headers["user-agent"],
      referrer: headers.referer,
      country: countryHeader ? (headers[countryHeader] as string | undefined) : undefined,
      subIds: readSubIds(visit.query),
      adClick: adClickInQuery(visit.query),
      landingUrl: deepLink,
      existingToken: visit.clickCookie,
      deviceId,
      source: "redirect",
    });
    if (outcome.kind === "bot" || outcome.kind === "untracked") return plainRedirect(target, landing);
    const cookie = clickCookie(outcome.token, target.cookieWindowDays, visit.secure);
    const answer: RedirectAnswer = {
      status: 302,
      headers: {
        location: landing ? withClickIdOn(landing, target, outcome.token) : location(target, outcome.token),
        // An empty body said up front: no chunked encoding and no terminating chunk to write and parse.
        "content-length": "0",
        "set-cookie": knownDevice || !deviceId ? cookie : [cookie, deviceCookie(deviceId, visit.secure)],
        "cache-control": "no-store",
        "referrer-policy": "no-referrer-when-downgrade",
      },
      body: undefined,
    };
    // A failed write is logged and counted by the writer; the visitor still gets the destination.
    if (outcome.kind === "counted" && sync)
      return outcome.committed.then(
        () => answer,
        () => answer,
      );
    return answer;
  };

  const respond = (visit: Visit, target: RedirectTarget | null) => {
    if (!target) return NOT_FOUND;
    const { query } = visit;
    const deepLink = query ? deepLinkDestination(target, query) : undefined;
    const landing = query
      ? (withForwardedQuery(deepLink ?? target.destination, query, target.clickIdParam) ?? deepLink)
      : undefined;
    // Where it goes, and nothing else: no click counted, no click id made, no cookie set.
    if (visit.head) return plainRedirect(target, landing);
    const waitForRoom = tracking.writer.space();
    return waitForRoom
      ? waitForRoom.then(() => track(visit, target, deepLink, landing))
      : track(visit, target, deepLink, landing);
  };

  return (visit) => {
    if (isSpeculative(visit.headers)) return PREFETCH_REFUSED;
    const cached = tracking.cache.get(visit.slug);
    return cached instanceof Promise ? cached.then((target) => respond(visit, target)) : respond(visit, cached);
  };
}

const withClickIdOn = (destination: string, target: RedirectTarget, token: string) =>
  setQueryParam(new URL(destination), target.clickIdParam, token).href;
const withClickId = (target: RedirectTarget, token: string) => withClickIdOn(target.destination, target, token);

const splitAround = (href: string): readonly [string, string] | null => {
  const at = href.indexOf(PLACEHOLDER);
  if (at < 0 || href.includes(PLACEHOLDER, at + 1)) return null;
  return [href.slice(0, at), href.slice(at + PLACEHOLDER.length)];
};
