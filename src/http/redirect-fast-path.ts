import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from "node:http";
import proxyAddr from "@fastify/proxy-addr";
import { parseCookie } from "cookie";
import { parse as parseQuery } from "fast-querystring";
import type { FastifyServerOptions } from "fastify";
import { DEVICE_COOKIE } from "../domain/tracking/device-cookie.js";
import { CLICK_COOKIE, isLinkSlug, type RedirectAnswer, type RedirectResponder } from "./redirect-responder.js";

const trustEveryProxy = () => true;

/** The last of a repeated header's comma-separated values, as Fastify reads X-Forwarded-Proto. */
const lastValue = (value: string) => {
  const comma = value.lastIndexOf(",");
  return (comma < 0 ? value : value.slice(comma + 1)).trim();
};

/**
 * GET /r/<slug> answered straight from Node's request event, in front of Fastify. On this path Fastify's
 * per-request work (request and reply objects, a child logger, hooks, routing) cost as much as the redirect
 * itself. It reads the request as Fastify would (same cookie and query parsers, TRUST_PROXY the same way),
 * answers with the route's own responder, and hands everything else to Fastify: other methods and paths,
 * unusual slugs, and a responder that throws or rejects (Fastify then answers, or reports the error, as usual).
 */
export function redirectFastPath(
  respond: RedirectResponder,
  options: { trustProxy: boolean },
): (request: IncomingMessage, response: ServerResponse, fallback: RequestListener) => boolean {
  const ipOf = (request: IncomingMessage) => {
    if (!options.trustProxy) return request.socket.remoteAddress ?? "";
    const addresses = proxyAddr.all(request, trustEveryProxy);
    return addresses[addresses.length - 1] ?? "";
  };
  const secure = (request: IncomingMessage) => {
    const forwarded = request.headers["x-forwarded-proto"];
    if (options.trustProxy && typeof forwarded === "string") return lastValue(forwarded) === "https";
    return "encrypted" in request.socket && request.socket.encrypted === true;
  };
  const write = (response: ServerResponse, answer: RedirectAnswer) => {
    response.writeHead(answer.status, answer.headers);
    response.end(answer.body);
  };

  return (request, response, fallback) => {
    const url = request.url;
    if (request.method !== "GET" || !url || !url.startsWith("/r/")) return false;
    const q = url.indexOf("?", 3);
    const slug = q < 0 ? url.slice(3) : url.slice(3, q);
    // Anything a link could not have (percent-encoding, a second segment) goes to Fastify, which answers it.
    if (!isLinkSlug(slug)) return false;
    let answer: RedirectAnswer | Promise<RedirectAnswer>;
    try {
      const cookies = request.headers.cookie ? parseCookie(request.headers.cookie) : undefined;
      answer = respond({
        slug,
        ip: ipOf(request),
        secure: secure(request),
        headers: request.headers,
        query: q < 0 ? undefined : (parseQuery(url.slice(q + 1)) as Record<string, unknown>),
        clickCookie: cookies?.[CLICK_COOKIE],
        deviceCookie: cookies?.[DEVICE_COOKIE],
      });
    } catch {
      return false;
    }
    if (answer instanceof Promise)
      answer.then(
        (a) => write(response, a),
        () => fallback(request, response),
      );
    else write(response, answer);
    return true;
  };
}

/**
 * Fastify's `serverFactory`: the HTTP/1 server Fastify would make (same options), whose requests try the fast
 * path first. The fast path is set once the app has built its tracking runtime, after Fastify made the server;
 * until then Fastify answers everything.
 */
export function serverWithFastPath() {
  let fastPath: ReturnType<typeof redirectFastPath> | undefined;
  const factory = (handler: RequestListener, options: FastifyServerOptions): Server => {
    const server = createServer((request, response) => {
      if (!fastPath?.(request, response, handler)) handler(request, response);
    });
    // As Fastify's own getServerInstance does for HTTP/1.
    server.keepAliveTimeout = options.keepAliveTimeout ?? 72_000;
    server.requestTimeout = options.requestTimeout ?? 0;
    server.setTimeout(options.connectionTimeout ?? 0);
    if (options.maxRequestsPerSocket) server.maxRequestsPerSocket = options.maxRequestsPerSocket;
    return server;
  };
  return {
    factory,
    use: (path: ReturnType<typeof redirectFastPath>) => {
      fastPath = path;
    },
  };
}
