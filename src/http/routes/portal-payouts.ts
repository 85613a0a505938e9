import { type FastifyPluginAsyncTypebox, Type } from "@fastify/type-provider-typebox";
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
import { setPayoutMethod } from "../../domain/payouts/set-payout-method.js";
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

/** The signed-in partner's payouts, payout method, tax form status and statements; never another partner's. */
export const portalPayoutRoutes: FastifyPluginAsyncTypebox = async (app) => {
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
