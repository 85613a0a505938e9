import helmet, { type FastifyHelmetOptions } from "@fastify/helmet";
import Fastify, { type onRequestHookHandler } from "fastify";

const POLICY: FastifyHelmetOptions = {
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      imgSrc: ["'self'", "data:"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      scriptSrc: ["'self'"],
      connectSrc: ["'self'"],
      frameAncestors: ["'none'"],
      upgradeInsecureRequests: null,
    },
  },
  hsts: false,
};

/**
 * Helmet's security headers for our policy, as an onRequest hook that sets them. @fastify/helmet rebuilds
 * helmet's middleware (CSP parsing included) on every request, which cost about a tenth of an API request's CPU
 * and much of its garbage; our policy has no per-request part (no nonces), so helmet itself works the headers
 * out once, here, on a throwaway instance, and every response gets the same ones.
 */
export async function securityHeaders(): Promise<onRequestHookHandler> {
  const probe = Fastify({ logger: false });
  await probe.register(helmet, POLICY);
  let headers: [string, string][] = [];
  probe.get("/", (_request, reply) => {
    headers = Object.entries(reply.getHeaders()).map(([name, value]) => [name, String(value)]);
    return "";
  });
  await probe.inject({ method: "GET", url: "/" });
  await probe.close();
  if (!headers.some(([name]) => name.toLowerCase() === "content-security-policy"))
    throw new Error("helmet set no Content-Security-Policy");
  return (_request, reply, done) => {
    for (const [name, value] of headers) reply.raw.setHeader(name, value);
    done();
  };
}
