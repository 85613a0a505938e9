import { type FastifyPluginAsyncTypebox, Type } from "@fastify/type-provider-typebox";
import { CommissionEntrySchema, ListCommissionsQuerySchema } from "../../domain/commissions/commissions.schemas.js";
import { getCommission } from "../../domain/commissions/list-commissions.js";
import { listMyEarnings } from "../../domain/commissions/list-my-earnings.js";
import { partnerAccess } from "../access.js";
import { partnerOf } from "../partner-of.js";
import { IdParams, responses } from "../schemas.js";
import { TotalsSchema } from "./commissions.js";

const tags = ["portal"];
const { partnerId: _scopedBySession, ...partnerFilters } = ListCommissionsQuerySchema.properties;

const BadgeSchema = Type.Object({
  programId: Type.String(),
  programName: Type.String(),
  badgeId: Type.String(),
  name: Type.String(),
  benefits: Type.Array(Type.String()),
  awardedAt: Type.String({ format: "date-time" }),
});

export const portalEarningsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/earnings",
    {
      config: { access: partnerAccess },
      schema: {
        tags,
        summary: "My earnings: totals by status, entries with their explanation, badges",
        querystring: Type.Object(partnerFilters, { additionalProperties: false }),
        response: responses({
          200: Type.Object({
            totals: Type.Array(TotalsSchema),
            waitingFx: Type.Integer({ description: "conversions whose commission waits for an exchange rate" }),
            items: Type.Array(CommissionEntrySchema),
            nextCursor: Type.Union([Type.String(), Type.Null()]),
            badges: Type.Array(BadgeSchema),
          }),
        }),
      },
    },
    async (request) => listMyEarnings(request.ctx, partnerOf(request.ctx).partnerId, request.query),
  );
  app.get(
    "/earnings/:id",
    {
      config: { access: partnerAccess },
      schema: {
        tags,
        summary: "One of my ledger entries",
        params: IdParams,
        response: responses({ 200: CommissionEntrySchema }),
      },
    },
    async (request) => {
      const entry = await getCommission(request.ctx, request.params.id, {
        partnerId: partnerOf(request.ctx).partnerId,
      });
      return {
        ...entry,
        statusReason: entry.status === "held" ? "on hold — under review" : entry.statusReason,
        createdBy: null,
      };
    },
  );
};
