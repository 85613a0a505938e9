import { readFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, gzipSync, constants as zlibConstants } from "node:zlib";
import { negotiate } from "@fastify/accept-negotiator";
import { eq } from "drizzle-orm";
import { transformSync } from "esbuild";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import secureJson from "secure-json-parse";
import { programs } from "../db/schema/index.js";
import { recordClickLanding } from "../domain/fraud/record-click-landing.js";
import { MAX_DESTINATION_LENGTH } from "../domain/links/link-rules.js";
import { hostAllowed } from "../domain/programs/program-rules.js";
import { adClickNamed } from "../domain/tracking/ad-click.js";
import { verifyClickId } from "../domain/tracking/click-id.js";
import { readSubIds } from "../domain/tracking/click-tracker.js";
import type { TrackingRuntime } from "../domain/tracking/tracking-runtime.js";
import { packageRoot } from "../lib/package-root.js";
import { publicAccess } from "./access.js";
import { problem, sendProblem } from "./problem.js";
import type { AppServices } from "./services.js";

/**
 * The snippet minified once, at startup: the source keeps its comments for whoever reads it, and every page of the
 * vendor's site downloads half as much (about 1.5 KB gzipped instead of 3). Its opening notice is kept.
 */
const SNIPPET = transformSync(readFileSync(join(packageRoot, "src", "snippet", "t.js"), "utf8"), {
  minify: true,
  legalComments: "inline",
  loader: "js",
}).code;
/**
 * The snippet compressed once, at startup: it is on every page of the vendor's site, and nothing in front of
 * Tributary need compress it. Brotli where the browser takes it (every current one over HTTPS), else gzip.
 */
const COMPRESSED: Record<string, Buffer> = {
  br: brotliCompressSync(SNIPPET, {
    params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: SNIPPET.length },
  }),
  gzip: gzipSync(SNIPPET, { level: 9 }),
};
const ENCODINGS = Object.keys(COMPRESSED);

interface ClickBody {
  clickId?: unknown;
  slug?: unknown;
  current?: unknown;
  referrer?: unknown;
  sub1?: unknown;
  sub2?: unknown;
  sub3?: unknown;
  sub4?: unknown;
  sub5?: unknown;
  /** The name of the ad click id the page was opened with (`gclid`…), never its value. */
  adClick?: unknown;
  /** The page the `?via=` visit landed on, without its query. */
  page?: unknown;
}

/**
 * The page a `?via=` click landed on, as kept with the click: an http(s) page of the calling site (the Origin the
 * request came from), its address without query or fragment; anything else is not kept.
 */
const landingPageOf = (page: unknown, origin: string): string | undefined => {
  if (typeof page !== "string" || page.length > MAX_DESTINATION_LENGTH) return undefined;
  try {
    const url = new URL(page);
    return url.origin === origin ? url.origin + url.pathname : undefined;
  } catch {
    return undefined;
  }
};

/**
 * The host of the page that called, from an Origin header a browser could have sent: exactly a serialized origin
 * (`https://www.acme.example`, `http://localhost:8080`). Anything else — a path, credentials, a default port
 * spelled out, upper case, javascript:// or file:// — names no page of the program's site and is refused, and
 * so is never echoed back in Access-Control-Allow-Origin.
 */
const originHost = (request: FastifyRequest): string | undefined => {
  const origin = request.headers.origin;
  if (!origin || origin === "null") return undefined;
  try {
    const url = new URL(origin);
    if (url.protocol !== "https:" && url.protocol !== "http:") return undefined;
    return url.origin === origin ? url.hostname : undefined;
  } catch {
    return undefined;
  }
};

const CLICK_BODY_LIMIT = 16 * 1024;

/** Cross-site answers carry CORS headers for the calling origin only, after it was checked. */
const allow = (reply: FastifyReply, request: FastifyRequest) =>
  reply.header("access-control-allow-origin", request.headers.origin).header("vary", "Origin");

/**
 * `/t.js` (the site snippet) and `POST /v1/track/click`, which it calls from the vendor's pages. The body is
 * JSON sent as text/plain so that browsers make a simple request; the Origin must be one of the program's
 * allowed domains.
 */
export async function snippetRoutes(app: FastifyInstance, services: AppServices & { tracking: TrackingRuntime }) {
  const { tracking, clock, database } = services;
  app.get("/t.js", { config: { access: publicAccess }, schema: { hide: true } }, async (request, reply) => {
    const accepted = request.headers["accept-encoding"];
    const encoding = accepted ? negotiate(accepted, ENCODINGS) : null;
    reply
      .type("application/javascript; charset=utf-8")
      .header("cache-control", "public, max-age=3600")
      .header("cross-origin-resource-policy", "cross-origin")
      .header("vary", "Accept-Encoding");
    return encoding ? reply.header("content-encoding", encoding).send(COMPRESSED[encoding]) : reply.send(SNIPPET);
  });

  app.addContentTypeParser("text/plain", { parseAs: "string" }, (_request, body, done) => {
    try {
      // As Fastify parses JSON bodies: a __proto__ or constructor.prototype key is refused, not merged anywhere.
      done(null, secureJson.parse(body as string, { protoAction: "error", constructorAction: "error" }));
    } catch {
      done(
        Object.assign(new Error("the request body is not valid JSON"), {
          statusCode: 400,
          code: "FST_ERR_CTP_INVALID_JSON_BODY",
        }),
        undefined,
      );
    }
  });

  app.post(
    "/v1/track/click",
    {
      config: { access: publicAccess, csrf: false },
      schema: { hide: true },
      logLevel: "warn",
      // Anyone may post here: a click id, a slug, sub-ids and a referrer (browsers send at most 4 KiB of it) fit
      // in a few KiB, so the API's body limit (BODY_LIMIT_BYTES, 256 KiB by default) is not offered to them.
      bodyLimit: CLICK_BODY_LIMIT,
    },
    async (request: FastifyRequest<{ Body: ClickBody }>, reply) => {
      const body = (request.body ?? {}) as ClickBody;
      const host = originHost(request);
      if (!host)
        return sendProblem(
          reply,
          problem(403, "forbidden", "clicks are accepted only from a browser on the program's site (Origin header)"),
        );

      if (typeof body.clickId === "string") {
        const verified = verifyClickId(tracking.keys, body.clickId);
        if (!verified.ok)
          return sendProblem(
            allow(reply, request),
            problem(422, "validation", `the click id is not valid (${verified.reason})`, {
              errors: [{ field: "/clickId", message: verified.reason }],
            }),
          );
        const [program] = await database.db
          .select({ allowedDomains: programs.allowedDomains, cookieWindowDays: programs.cookieWindowDays })
          .from(programs)
          .where(eq(programs.id, verified.claims.programId));
        if (!program || !hostAllowed(host, program.allowedDomains))
          return sendProblem(reply, problem(403, "forbidden", `${host} is not an allowed domain of this program`));
        // The landing page ran the snippet: page activity for the cookie-stuffing rule.
        await recordClickLanding(database.db, verified.claims, clock.now());
        return allow(reply, request).send({ clickId: body.clickId, windowDays: program.cookieWindowDays });
      }

      if (typeof body.slug !== "string" || !/^[A-Za-z0-9_-]{1,64}$/.test(body.slug)) {
        return sendProblem(
          allow(reply, request),
          problem(422, "validation", "send a clickId or a link slug", {
            errors: [{ field: "/slug", message: "is required" }],
          }),
        );
      }
      const target = await tracking.cache.get(body.slug);
      if (!target) return sendProblem(allow(reply, request), problem(404, "not_found", `no link ${body.slug}`));
      if (!hostAllowed(host, target.allowedDomains))
        return sendProblem(reply, problem(403, "forbidden", `${host} is not an allowed domain of this program`));
      const waitForRoom = tracking.writer.space();
      if (waitForRoom) await waitForRoom;
      const outcome = tracking.tracker.track({
        target,
        at: clock.now(),
        ip: request.ip,
        userAgent: request.headers["user-agent"],
        referrer: typeof body.referrer === "string" ? body.referrer : undefined,
        country: services.config.COUNTRY_HEADER
          ? (request.headers[services.config.COUNTRY_HEADER] as string | undefined)
          : undefined,
        subIds: readSubIds(body as Record<string, unknown>),
        adClick: adClickNamed(body.adClick),
        // The Origin was checked above: exactly the serialized origin of a page of the program's site.
        landingUrl: landingPageOf(body.page, request.headers.origin as string),
        existingToken: typeof body.current === "string" ? body.current : undefined,
        // Sent from the vendor's page: a cross-site call, which does not carry Tributary's device cookie.
        deviceId: undefined,
        source: "snippet",
      });
      if (outcome.kind === "bot" || outcome.kind === "untracked")
        return allow(reply, request).send({ clickId: null, windowDays: target.cookieWindowDays });
      if (outcome.kind === "counted" && services.config.CLICK_DURABILITY === "sync")
        await outcome.committed.catch(() => undefined);
      return allow(reply, request).send({ clickId: outcome.token, windowDays: target.cookieWindowDays });
    },
  );
}
