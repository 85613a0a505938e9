import cookie from "@fastify/cookie";
import cors from "@fastify/cors";
import csrf from "@fastify/csrf-protection";
import rateLimit from "@fastify/rate-limit";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import Fastify, { type FastifyInstance, type FastifyReply, type onRequestHookHandler } from "fastify";
import { advisoryLease } from "../db/advisory-lease.js";
import { batchSizeFor } from "../domain/commissions/calculate-commissions.js";
import { CommissionWorker } from "../domain/commissions/commission-worker.js";
import { createIntakeRuntime, type IntakeRuntime } from "../domain/intake/intake-runtime.js";
import { INTAKE_LOCK } from "../domain/intake/intake-worker.js";
import { createPayoutRuntime, type PayoutRuntime } from "../domain/payouts/payout-runtime.js";
import {
  clickWriterOptions,
  createTrackingRuntime,
  type TrackingRuntime,
} from "../domain/tracking/tracking-runtime.js";
import { type Access, publicAccess } from "./access.js";
import { authenticate } from "./authenticate.js";
import { problem, sendProblem, toProblem } from "./problem.js";
import { checkProgramFilter, takesProgramFilter } from "./program-filter-guard.js";
import { registerRedirect } from "./redirect.js";
import { redirectFastPath, serverWithFastPath } from "./redirect-fast-path.js";
import { createRedirectResponder, NOT_FOUND } from "./redirect-responder.js";
import { apiKeyRoutes } from "./routes/api-keys.js";
import { auditRoutes } from "./routes/audit.js";
import { authRoutes } from "./routes/auth.js";
import { commissionRoutes } from "./routes/commissions.js";
import { enrollmentRoutes } from "./routes/enrollments.js";
import { fraudRoutes } from "./routes/fraud.js";
import { invitationRoutes } from "./routes/invitations.js";
import { linkRoutes } from "./routes/links.js";
import { partnerRoutes } from "./routes/partners.js";
import { payoutRoutes } from "./routes/payouts.js";
import { portalRoutes } from "./routes/portal.js";
import { portalEarningsRoutes } from "./routes/portal-earnings.js";
import { portalPayoutRoutes } from "./routes/portal-payouts.js";
import { programRoutes } from "./routes/programs.js";
import { publicRoutes } from "./routes/public.js";
import { statsRoutes } from "./routes/stats.js";
import { stripeWebhookRoutes } from "./routes/stripe-webhooks.js";
import { systemRoutes } from "./routes/system.js";
import { teamRoutes } from "./routes/team.js";
import { trackRoutes } from "./routes/track.js";
import { webRoutes } from "./routes/web.js";
import { securityHeaders } from "./security-headers.js";
import type { AppServices } from "./services.js";
import { snippetRoutes } from "./snippet.js";
import { rejectUnstorableText } from "./storable-text-guard.js";
import { validatorCompiler } from "./validators.js";

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);
/** A route's hooks of one kind as a list: Fastify takes none, one or several. */
const hooksOf = <H>(hooks: H | H[] | undefined): H[] =>
  hooks === undefined ? [] : Array.isArray(hooks) ? hooks : [hooks];
const PLUGIN_PUBLIC_PREFIXES = ["/docs", "/assets/"];

export interface RouteEntry {
  method: string;
  url: string;
  access: Access;
}

export async function createApp(services: AppServices, options: { logger?: boolean } = {}) {
  const server = serverWithFastPath();
  const app = Fastify({
    serverFactory: server.factory,
    logger:
      options.logger === false
        ? false
        : {
            level: services.config.LOG_LEVEL,
            redact: ["req.headers.authorization", "req.headers.cookie", "res.headers['set-cookie']"],
          },
    trustProxy: services.config.TRUST_PROXY,
    bodyLimit: services.config.BODY_LIMIT_BYTES,
    // An address Fastify cannot route (bad percent-encoding): a problem like any other 4xx, and under /r/ the
    // page of a link that does not exist.
    frameworkErrors: (error, request, reply) => {
      const answer = reply as FastifyReply;
      if (request.url.startsWith("/r/")) return answer.code(404).headers(NOT_FOUND.headers).send(NOT_FOUND.body);
      return sendProblem(answer, toProblem(error, request));
    },
    // Validation errors go to the error handler with every field, not just the first.
    schemaErrorFormatter: (errors, dataVar) =>
      Object.assign(new Error(`${dataVar} is invalid`), { validation: errors }),
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  // Declared up front so every request object has the same shape (V8 keeps them monomorphic).
  app.decorateRequest("ctx", null as unknown as never);
  app.decorateRequest("sessionToken", undefined);
  const tracking =
    services.tracking ??
    (await createTrackingRuntime(services.database, app.log, clickWriterOptions(services.config.CLICK_DURABILITY)));
  app.addHook("onClose", () => tracking.close());
  const commissions =
    services.commissions ??
    new CommissionWorker(
      { ...services.database, clock: services.clock, log: app.log },
      { batchSize: batchSizeFor(services.database.kind) },
    );
  app.addHook("onClose", () => commissions.close());
  const intake = createIntakeRuntime({
    db: services.database.db,
    clock: services.clock,
    log: app.log,
    keys: tracking.keys,
    programs: tracking.programs,
    commissions,
    lease: advisoryLease(services.database, INTAKE_LOCK),
  });
  app.addHook("onClose", () => intake.close());
  const payouts = services.payouts ?? (await createPayoutRuntime(services.config, services.database.db));
  const routes: RouteEntry[] = [];
  const csrfGuard: onRequestHookHandler = (request, reply, done) => {
    if (request.routeOptions.config.csrf === false || request.headers.authorization) return done();
    return app.csrfProtection(request, reply, done);
  };
  const auth = authenticate({ ...services, tracking, payouts });
  app.addHook("onRoute", (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (methods.every((m) => m === "OPTIONS")) return;
    // Fastify answers HEAD for every GET route with a route of its own, built from the GET route's options
    // before this hook added authentication to them: it gets the same checks (a HEAD of a list is still a read).
    if (methods.every((m) => m === "HEAD") && !route.config?.access) return;
    // swagger-ui and @fastify/static register their own routes: public documentation and web assets.
    if (PLUGIN_PUBLIC_PREFIXES.some((p) => route.url.startsWith(p)))
      route.config = { ...route.config, access: publicAccess };
    if (!route.config?.access) throw new Error(`route ${methods.join(",")} ${route.url} declares no access`);
    const access = route.config.access;
    for (const method of methods) if (method !== "HEAD") routes.push({ method, url: route.url, access });
    if (route.config.bare) {
      if (access.kind !== "public") throw new Error(`route ${route.url}: only public routes may skip authentication`);
      return;
    }
    const mutating = methods.some((m) => MUTATING.has(m));
    route.onRequest = [...hooksOf(route.onRequest), auth, ...(mutating ? [csrfGuard] : [])];
    route.preValidation = [rejectUnstorableText, ...hooksOf(route.preValidation)];
    if (takesProgramFilter(route.schema)) route.preHandler = [checkProgramFilter, ...hooksOf(route.preHandler)];
  });

  app.setErrorHandler((error, request, reply) => {
    const p = toProblem(error, request);
    if (p.status >= 500) request.log.error({ err: error }, "request failed");
    if (p.status === 429 && typeof p.retryAfterSeconds === "number")
      reply.header("retry-after", String(p.retryAfterSeconds));
    return sendProblem(reply, p);
  });
  await app.register(cookie, { secret: services.cookieSecret });
  await app.register(csrf, {
    sessionPlugin: "@fastify/cookie",
    cookieKey: "tributary_csrf",
    cookieOpts: { signed: true, httpOnly: true, sameSite: "lax", path: "/" },
  });
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) =>
      Object.assign(new Error(`too many requests; try again in ${Math.ceil(context.ttl / 1000)} s`), {
        statusCode: 429,
      }),
  });
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Tributary API",
        version: "0.1.0",
        description:
          "Partner program platform. Server-to-server calls authenticate with `Authorization: Bearer <API key>`; the console and portal use session cookies plus an `x-csrf-token` header on changes. Errors are RFC 9457 problem+json.",
      },
      components: {
        securitySchemes: {
          apiKey: {
            type: "http",
            scheme: "bearer",
            description: "API key created in the console (Settings → API keys)",
          },
          teamSession: { type: "apiKey", in: "cookie", name: "tributary_team" },
          partnerSession: { type: "apiKey", in: "cookie", name: "tributary_partner" },
        },
      },
    },
  });

  // The redirect has a scope of its own, without the per-request hooks of the scope below: a 302 carries no
  // document for helmet's headers, answers no CORS request and changes nothing cached, and on the hot path those
  // hooks cost more than the redirect's own work. (Fastify runs a hook in every scope under the one it is added
  // to, whatever the order, hence two sibling scopes rather than hooks at the root.)
  const redirect = createRedirectResponder({
    tracking,
    clock: services.clock,
    durability: services.config.CLICK_DURABILITY,
    countryHeader: services.config.COUNTRY_HEADER,
    deviceCookie: services.config.DEVICE_COOKIE === "on",
  });
  await app.register(async (scope) => registerRedirect(scope, redirect));
  server.use(redirectFastPath(redirect, { trustProxy: services.config.TRUST_PROXY }));

  await app.register(async (api) => {
    // Fastify reads text/plain bodies as strings by default; the API takes JSON (and CSV where it says so), and only
    // the site snippet's click route reads JSON sent as text/plain (see snippet.ts). Anything else is a 415.
    api.removeContentTypeParser("text/plain");
    // The handler has finished (its transaction committed or rolled back): drop what it changed from this instance's cache.
    api.addHook("onSend", (request, _reply, payload, done) => {
      const changes = request.ctx?.cacheChanges;
      if (changes) for (const key of changes) tracking.invalidate(key);
      done(null, payload);
    });
    api.addHook("onRequest", await securityHeaders());
    await api.register(cors, {
      origin: services.config.CORS_ORIGINS.length ? services.config.CORS_ORIGINS : false,
      credentials: true,
    });
    api.setNotFoundHandler((request, reply) =>
      sendProblem(
        reply,
        problem(404, "not_found", `no route ${request.method} ${request.url.split("?")[0]}`, {
          instance: request.url.split("?")[0],
        }),
      ),
    );
    await api.register(swaggerUi, { routePrefix: "/docs", uiConfig: { docExpansion: "list", deepLinking: true } });

    await api.register(systemRoutes(services));
    await api.register(authRoutes(services.config.LOGIN_RATE_LIMIT_PER_MINUTE), { prefix: "/v1" });
    await api.register(teamRoutes, { prefix: "/v1" });
    await api.register(apiKeyRoutes, { prefix: "/v1" });
    await api.register(programRoutes, { prefix: "/v1" });
    await api.register(partnerRoutes, { prefix: "/v1" });
    await api.register(enrollmentRoutes, { prefix: "/v1" });
    await api.register(invitationRoutes, { prefix: "/v1" });
    await api.register(auditRoutes, { prefix: "/v1" });
    await api.register(linkRoutes, { prefix: "/v1" });
    await api.register(trackRoutes(tracking, commissions, intake), { prefix: "/v1" });
    await api.register(commissionRoutes(commissions), { prefix: "/v1" });
    await api.register(portalEarningsRoutes, { prefix: "/v1/portal" });
    await api.register(payoutRoutes, { prefix: "/v1" });
    await api.register(fraudRoutes, { prefix: "/v1" });
    await api.register(portalPayoutRoutes, { prefix: "/v1/portal" });
    await api.register(stripeWebhookRoutes(tracking, commissions), { prefix: "/v1" });
    await api.register(statsRoutes);
    await api.register(publicRoutes(services.config.PUBLIC_FORM_RATE_LIMIT_PER_MINUTE), { prefix: "/v1/public" });
    await api.register(portalRoutes(services.config.LOGIN_RATE_LIMIT_PER_MINUTE), { prefix: "/v1/portal" });
    await api.register(webRoutes);
    await api.register(async (scope) => snippetRoutes(scope, { ...services, tracking }));
  });
  await app.ready();
  // What an earlier run accepted and did not record before it stopped.
  intake.worker.kick();
  return Object.assign(app, {
    routeTable: routes as readonly RouteEntry[],
    tracking,
    payouts,
    commissions,
    intake,
  }) as unknown as App;
}

export type App = FastifyInstance & {
  routeTable: readonly RouteEntry[];
  tracking: TrackingRuntime;
  payouts: PayoutRuntime;
  commissions: CommissionWorker;
  intake: IntakeRuntime;
};
