import { type FastifyPluginAsyncTypebox, Type } from "@fastify/type-provider-typebox";
import { COMMISSION_COLUMNS } from "../../domain/commissions/commission-export.js";
import { CommissionEntrySchema, ListCommissionsQuerySchema } from "../../domain/commissions/commissions.schemas.js";
import { getCommission, listCommissions } from "../../domain/commissions/list-commissions.js";
import { asSeenByPartner, listMyEarnings } from "../../domain/commissions/list-my-earnings.js";
import { partnerAccess } from "../access.js";
import { csvResponses, sendCsvPages } from "../csv-download.js";
import { partnerOf } from "../partner-of.js";
import { IdParams, responses } from "../schemas.js";
import { TotalsSchema } from "./commissions.js";

const tags = ["portal"];
const { partnerId: _scopedBySession, ...partnerFilters } = ListCommissionsQuerySchema.properties;
const { cursor: _paged, limit: _pageSize, ...exportFilters } = partnerFilters;

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
    "/earnings/export",
    {
      config: { access: partnerAccess },
      schema: {
        tags,
        summary: "My ledger entries as a CSV download, newest first, with the same filters as my earnings",
        querystring: Type.Object(exportFilters, { additionalProperties: false }),
        response: csvResponses(COMMISSION_COLUMNS),
      },
    },
    async (request, reply) => {
      const partnerId = partnerOf(request.ctx).partnerId;
      return sendCsvPages(reply, {
        name: "earnings",
        now: request.ctx.clock.now(),
        columns: COMMISSION_COLUMNS,
        readPage: (cursor) => listCommissions(request.ctx, { ...request.query, partnerId, limit: 1000, cursor }),
        toRows: async (items) => items.map(asSeenByPartner),
      });
    },
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
      return asSeenByPartner(entry);
    },
  );
};
