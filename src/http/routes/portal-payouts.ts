import { type FastifyPluginAsyncTypebox, Type } from "@fastify/type-provider-typebox";
import type { FastifyReply, FastifyRequest } from "fastify";
import { finishStripeOnboarding } from "../../domain/payouts/finish-stripe-onboarding.js";
import { getPayout } from "../../domain/payouts/get-payout.js";
import { getPayoutMethod } from "../../domain/payouts/get-payout-method.js";
import { getPayoutSummary } from "../../domain/payouts/get-payout-summary.js";
import { getStatement, statementCsv } from "../../domain/payouts/get-statement.js";
import { getTaxForm } from "../../domain/payouts/get-tax-form.js";
import { listPayouts } from "../../domain/payouts/list-payouts.js";
import { actingPartnerId } from "../../domain/payouts/partner-of.js";
import {
  PayoutDetailSchema,
  PayoutMethodSchema,
  PayoutSchema,
  PayoutSummarySchema,
  SetPayoutMethodRequestSchema,
  StatementQuerySchema,
  StatementSchema,
  TaxFormStatusSchema,
} from "../../domain/payouts/payouts.schemas.js";
import { removePayoutMethod } from "../../domain/payouts/remove-payout-method.js";
import { resumeStripeOnboarding } from "../../domain/payouts/resume-stripe-onboarding.js";
import { setPayoutMethod } from "../../domain/payouts/set-payout-method.js";
import { type OnboardingUrls, startStripeOnboarding } from "../../domain/payouts/start-stripe-onboarding.js";
import { AppError } from "../../lib/errors.js";
import { partnerAccess } from "../access.js";
import { IdParams, Ok, page, responses } from "../schemas.js";

const tags = ["portal"];
const PortalPayoutFilter = Type.Object(
  {
    programId: Type.Optional(Type.String({ maxLength: 64 })),
    status: Type.Optional(PayoutSchema.properties.status),
    cursor: Type.Optional(Type.String({ maxLength: 64 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);

const StateQuery = Type.Object(
  {
    state: Type.String({ minLength: 1, maxLength: 2000, description: "the sealed onboarding state Stripe sends back" }),
  },
  { additionalProperties: false },
);

/** Stripe sends the partner back to this server: PUBLIC_URL when set, else the address the request came to. */
function onboardingUrls(request: FastifyRequest): OnboardingUrls {
  const base = request.ctx.config.publicUrl ?? `${request.protocol}://${request.host}`;
  const at = (path: string) => (state: string) =>
    new URL(`/v1/portal/payout-method/stripe/${path}?state=${encodeURIComponent(state)}`, base).href;
  return { returnUrl: at("return"), refreshUrl: at("refresh") };
}

/** Back from Stripe in the browser: the portal's payouts page says how it went (a problem page would strand them). */
const backToPortal = (reply: FastifyReply, params: Record<string, string>) =>
  reply.redirect(`/portal/payouts?${new URLSearchParams(params).toString()}`, 303);

const onboardingError = (reply: FastifyReply, error: unknown) => {
  if (!(error instanceof AppError)) throw error;
  return backToPortal(reply, { stripe: "error", reason: error.message });
};

/** The signed-in partner's payouts, payout method, tax form status and statements; never another partner's. */
export const portalPayoutRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/payout-method/stripe",
    {
      config: { access: partnerAccess },
      schema: {
        tags,
        summary: "Whether Stripe Connect onboarding is offered (the server has a Stripe key)",
        response: responses({ 200: Type.Object({ available: Type.Boolean() }) }),
      },
    },
    async (request) => ({ available: Boolean(request.ctx.payouts?.stripe) }),
  );
  app.post(
    "/payout-method/stripe",
    {
      config: { access: partnerAccess },
      schema: {
        tags,
        summary:
          "Connect with Stripe: creates a Stripe Express account (or reuses the connected one) and answers the link to Stripe's onboarding",
        body: Type.Object(
          {
            currentPassword: Type.String({
              minLength: 1,
              maxLength: 256,
              description: "the signed-in user's password",
            }),
          },
          { additionalProperties: false },
        ),
        response: responses({
          200: Type.Object({
            url: Type.String({ description: "Stripe's hosted onboarding: send the partner there" }),
            expiresAt: Type.String({ format: "date-time" }),
          }),
        }),
      },
    },
    async (request) => startStripeOnboarding(request.ctx, request.body, onboardingUrls(request)),
  );
  app.get(
    "/payout-method/stripe/return",
    {
      // Saving the method is this GET's effect (Stripe sends the browser here): a HEAD must not do it.
      exposeHeadRoute: false,
      config: { access: partnerAccess },
      schema: {
        tags,
        summary:
          "Where Stripe sends the partner back: reads the account and, once its details are submitted, saves it as the payout method; redirects to the portal",
        querystring: StateQuery,
        response: { 303: Type.Null({ description: "to /portal/payouts?stripe=connected|incomplete|error" }) },
      },
    },
    async (request, reply) => {
      try {
        const done = await finishStripeOnboarding(request.ctx, request.query.state);
        return done.outcome === "connected"
          ? backToPortal(reply, { stripe: "connected" })
          : backToPortal(reply, { stripe: "incomplete", state: request.query.state });
      } catch (error) {
        return onboardingError(reply, error);
      }
    },
  );
  app.get(
    "/payout-method/stripe/refresh",
    {
      exposeHeadRoute: false,
      config: { access: partnerAccess },
      schema: {
        tags,
        summary: "A fresh onboarding link for the same account (Stripe's expire): redirects to Stripe",
        querystring: StateQuery,
        response: { 303: Type.Null({ description: "to Stripe's onboarding, or to the portal if it cannot" }) },
      },
    },
    async (request, reply) => {
      try {
        const link = await resumeStripeOnboarding(request.ctx, request.query.state, onboardingUrls(request));
        return reply.redirect(link.url, 303);
      } catch (error) {
        return onboardingError(reply, error);
      }
    },
  );
  app.get(
    "/payout-method",
    {
      config: { access: partnerAccess },
      schema: { tags, summary: "My payout method, masked", response: responses({ 200: PayoutMethodSchema }) },
    },
    async (request) => getPayoutMethod(request.ctx, actingPartnerId(request.ctx.actor)),
  );
  app.put(
    "/payout-method",
    {
      config: { access: partnerAccess },
      schema: {
        tags,
        summary: "Set my payout method: PayPal email, Wise or bank details, or a Stripe Connect account (encrypted)",
        body: SetPayoutMethodRequestSchema,
        response: responses({ 200: PayoutMethodSchema }),
      },
    },
    async (request) => setPayoutMethod(request.ctx, request.body),
  );
  app.delete(
    "/payout-method",
    {
      config: { access: partnerAccess },
      schema: { tags, summary: "Remove my payout method", response: responses({ 200: Ok }) },
    },
    async (request) => removePayoutMethod(request.ctx),
  );
  app.get(
    "/tax-form",
    {
      config: { access: partnerAccess },
      schema: { tags, summary: "My tax form status", response: responses({ 200: TaxFormStatusSchema }) },
    },
    async (request) => getTaxForm(request.ctx, actingPartnerId(request.ctx.actor)),
  );
  app.get(
    "/payout-summary",
    {
      config: { access: partnerAccess },
      schema: {
        tags,
        summary: "Per program: balance payable now, payouts on their way, and what blocks the next payout",
        response: responses({ 200: Type.Object({ items: Type.Array(PayoutSummarySchema) }) }),
      },
    },
    async (request) => ({ items: await getPayoutSummary(request.ctx) }),
  );
  app.get(
    "/payouts",
    {
      config: { access: partnerAccess },
      schema: {
        tags,
        summary: "My payouts, newest first",
        querystring: PortalPayoutFilter,
        response: responses({ 200: page(PayoutSchema) }),
      },
    },
    async (request) => listPayouts(request.ctx, request.query),
  );
  app.get(
    "/payouts/:id",
    {
      config: { access: partnerAccess },
      schema: {
        tags,
        summary: "One of my payouts with its entries",
        params: IdParams,
        response: responses({ 200: PayoutDetailSchema }),
      },
    },
    async (request) => getPayout(request.ctx, request.params.id),
  );
  app.get(
    "/statement",
    {
      config: { access: partnerAccess },
      schema: {
        tags,
        summary: "My statement for a program and month (JSON, or CSV with format=csv)",
        querystring: StatementQuerySchema,
        response: responses({
          200: Type.Union([StatementSchema, Type.String({ description: "text/csv when format=csv" })]),
        }),
      },
    },
    async (request, reply) => {
      const statement = await getStatement(request.ctx, actingPartnerId(request.ctx.actor), request.query);
      if (request.query.format !== "csv") return statement;
      const csv = statementCsv(statement);
      return reply
        .type("text/csv; charset=utf-8")
        .header("content-disposition", `attachment; filename="${csv.filename}"`)
        .send(csv.body);
    },
  );
};
