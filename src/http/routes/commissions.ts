import { type FastifyPluginAsyncTypebox, Type } from "@fastify/type-provider-typebox";
import { archivePlan } from "../../domain/commissions/archive-plan.js";
import { COMMISSION_COLUMNS } from "../../domain/commissions/commission-export.js";
import type { CommissionWorker } from "../../domain/commissions/commission-worker.js";
import {
  CommissionEntrySchema,
  CommissionHistorySchema,
  CreateAdjustmentSchema,
  CreatePlanSchema,
  ExportCommissionsQuerySchema,
  FxRateInputSchema,
  FxRateSchema,
  ListCommissionsQuerySchema,
  ListFxRatesQuerySchema,
  PlanSchema,
  PreviewCommissionSchema,
  PreviewResultSchema,
  ReviewCommissionsSchema,
  UpdatePlanSchema,
} from "../../domain/commissions/commissions.schemas.js";
import { createAdjustment } from "../../domain/commissions/create-adjustment.js";
import { createPlan } from "../../domain/commissions/create-plan.js";
import { importFxRatesCsv } from "../../domain/commissions/import-fx-rates-csv.js";
import { ledgerTotals } from "../../domain/commissions/ledger-totals.js";
import { listCommissionHistory } from "../../domain/commissions/list-commission-history.js";
import { countWaitingFx, getCommission, listCommissions } from "../../domain/commissions/list-commissions.js";
import { listFxRates } from "../../domain/commissions/list-fx-rates.js";
import { getPlan, listPlans } from "../../domain/commissions/list-plans.js";
import { listReferralRewards } from "../../domain/commissions/list-referral-rewards.js";
import { previewCommission } from "../../domain/commissions/preview-commission.js";
import { releaseHoldings } from "../../domain/commissions/release-holdings.js";
import { reviewCommissions } from "../../domain/commissions/review-commissions.js";
import { saveFxRates } from "../../domain/commissions/save-fx-rates.js";
import { updatePlan } from "../../domain/commissions/update-plan.js";
import { teamAccess } from "../access.js";
import { csvResponses, sendCsvPages } from "../csv-download.js";
import { IdParams, page, responses } from "../schemas.js";

const tags = ["commissions"];
const readPrograms = teamAccess("programs:read", { apiKey: true });
const writePrograms = teamAccess("programs:write", { apiKey: true });
const read = teamAccess("commissions:read", { apiKey: true });
const write = teamAccess("commissions:write", { apiKey: true });

export const TotalsSchema = Type.Object({
  currency: Type.String(),
  pending: Type.Integer(),
  approved: Type.Integer(),
  held: Type.Integer(),
  rejected: Type.Integer(),
  paid: Type.Integer(),
  payable: Type.Integer({ description: "approved and not in a payout yet (due + notDue)" }),
  due: Type.Integer({ description: "approved, not in a payout, and payable now by the program's payout schedule" }),
  notDue: Type.Integer({ description: "approved, not in a payout, and payable later by the schedule (from dueFrom)" }),
  inPayouts: Type.Integer({ description: "approved and in a payout on its way (pending or processing)" }),
  dueFrom: Type.Union([Type.String({ format: "date-time" }), Type.Null()], {
    description: "when the earliest not-due amount becomes payable",
  }),
  pendingUntil: Type.Union([Type.String({ format: "date-time" }), Type.Null()], {
    description: "when the earliest pending entry's holding period ends",
  }),
});

const ReferralRewardSchema = Type.Object({
  id: Type.String(),
  programId: Type.String(),
  customerId: Type.String(),
  partnerId: Type.String(),
  conversionId: Type.String(),
  kind: Type.String(),
  value: Type.Integer({ description: "basis points for discount_percent, minor units otherwise" }),
  currency: Type.Union([Type.String(), Type.Null()]),
  code: Type.String(),
  issuedAt: Type.String({ format: "date-time" }),
  redeemedAt: Type.Union([Type.String({ format: "date-time" }), Type.Null()]),
});

export const commissionRoutes =
  (commissions: CommissionWorker): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      "/programs/:id/plans",
      {
        config: { access: readPrograms },
        schema: {
          tags,
          summary: "A program's commission plans (program-wide, per tier, per partner)",
          params: IdParams,
          querystring: Type.Object({ includeArchived: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
          response: responses({ 200: Type.Object({ items: Type.Array(PlanSchema) }) }),
        },
      },
      async (request) => ({ items: await listPlans(request.ctx, request.params.id, request.query) }),
    );
    app.post(
      "/programs/:id/plans",
      {
        config: { access: writePrograms },
        schema: {
          tags,
          summary: "Create a commission plan (version 1)",
          params: IdParams,
          body: CreatePlanSchema,
          response: responses({ 201: PlanSchema }),
        },
      },
      async (request, reply) => reply.status(201).send(await createPlan(request.ctx, request.params.id, request.body)),
    );
    app.get(
      "/plans/:id",
      {
        config: { access: readPrograms },
        schema: {
          tags,
          summary: "A plan with every version",
          params: IdParams,
          response: responses({ 200: PlanSchema }),
        },
      },
      async (request) => getPlan(request.ctx, request.params.id),
    );
    app.patch(
      "/plans/:id",
      {
        config: { access: writePrograms },
        schema: {
          tags,
          summary: "Rename a plan or change its rules (a new version; earned commissions keep theirs)",
          params: IdParams,
          body: UpdatePlanSchema,
          response: responses({ 200: PlanSchema }),
        },
      },
      async (request) => updatePlan(request.ctx, request.params.id, request.body),
    );
    app.post(
      "/plans/:id/archive",
      {
        config: { access: writePrograms },
        schema: { tags, summary: "Stop applying a plan", params: IdParams, response: responses({ 200: PlanSchema }) },
      },
      async (request) => archivePlan(request.ctx, request.params.id),
    );
    app.post(
      "/programs/:id/commissions/preview",
      {
        config: { access: readPrograms },
        schema: {
          tags,
          summary: "What a conversion would earn a partner now, and by which rule (nothing is stored)",
          params: IdParams,
          body: PreviewCommissionSchema,
          response: responses({ 200: PreviewResultSchema }),
        },
      },
      async (request) => previewCommission(request.ctx, request.params.id, request.body),
    );

    app.get(
      "/commissions",
      {
        config: { access: read },
        schema: {
          tags,
          summary: "Ledger entries, newest first: as written, or by when they happened when filtered by date",
          querystring: ListCommissionsQuerySchema,
          response: responses({ 200: page(CommissionEntrySchema) }),
        },
      },
      async (request) => listCommissions(request.ctx, request.query),
    );
    app.get(
      "/commissions/export",
      {
        config: { access: read },
        schema: {
          tags,
          summary: "Ledger entries as a CSV download, newest first, with the same filters as the list",
          querystring: ExportCommissionsQuerySchema,
          response: csvResponses(COMMISSION_COLUMNS),
        },
      },
      async (request, reply) =>
        sendCsvPages(reply, {
          name: "commissions",
          now: request.ctx.clock.now(),
          columns: COMMISSION_COLUMNS,
          readPage: (cursor) => listCommissions(request.ctx, { ...request.query, limit: 1000, cursor }),
          toRows: async (items) => items,
        }),
    );
    app.get(
      "/commissions/summary",
      {
        config: { access: read },
        schema: {
          tags,
          summary: "Ledger totals by status and currency; conversions waiting for an FX rate",
          querystring: Type.Object(
            { programId: Type.Optional(Type.String()), partnerId: Type.Optional(Type.String()) },
            { additionalProperties: false },
          ),
          response: responses({
            200: Type.Object({ totals: Type.Array(TotalsSchema), waitingFx: Type.Integer() }),
          }),
        },
      },
      async (request) => ({
        totals: await ledgerTotals(request.ctx, request.query),
        waitingFx: await countWaitingFx(request.ctx, request.query),
      }),
    );
    app.get(
      "/commissions/:id",
      {
        config: { access: read },
        schema: {
          tags,
          summary: "One ledger entry",
          params: IdParams,
          response: responses({ 200: CommissionEntrySchema }),
        },
      },
      async (request) => getCommission(request.ctx, request.params.id),
    );
    app.get(
      "/commissions/:id/history",
      {
        config: { access: read },
        schema: {
          tags,
          summary: "Who created, approved, held or rejected one ledger entry, oldest first",
          params: IdParams,
          response: responses({ 200: CommissionHistorySchema }),
        },
      },
      async (request) => listCommissionHistory(request.ctx, request.params.id),
    );
    app.post(
      "/commissions/review",
      {
        config: { access: write },
        schema: {
          tags,
          summary: "Approve, hold or reject entries in bulk (a reason is required to hold or reject)",
          body: ReviewCommissionsSchema,
          response: responses({
            200: Type.Object({
              updated: Type.Array(CommissionEntrySchema),
              skipped: Type.Array(Type.Object({ id: Type.String(), reason: Type.String() })),
            }),
          }),
        },
      },
      async (request) => reviewCommissions(request.ctx, request.body),
    );
    app.post(
      "/commissions/adjustments",
      {
        config: { access: write },
        schema: {
          tags,
          summary: "A manual credit or debit with a reason (approved, audited)",
          body: CreateAdjustmentSchema,
          response: responses({ 201: CommissionEntrySchema }),
        },
      },
      async (request, reply) => reply.status(201).send(await createAdjustment(request.ctx, request.body)),
    );
    app.post(
      "/commissions/release-holdings",
      {
        config: { access: write },
        schema: {
          tags,
          summary:
            "Approve now every pending entry whose holding period has ended (the scheduled job does this hourly)",
          response: responses({ 200: Type.Object({ approved: Type.Integer() }) }),
        },
      },
      async (request) => ({ approved: await releaseHoldings(request.ctx) }),
    );

    app.get(
      "/fx-rates",
      {
        config: { access: read },
        schema: {
          tags,
          summary: "Exchange rates, newest day first",
          querystring: ListFxRatesQuerySchema,
          response: responses({ 200: Type.Object({ items: Type.Array(FxRateSchema) }) }),
        },
      },
      async (request) => ({ items: await listFxRates(request.ctx, request.query) }),
    );
    app.put(
      "/fx-rates",
      {
        config: { access: write },
        schema: {
          tags,
          summary: "Set the rate for a day and currency pair (conversions waiting for it are computed)",
          body: FxRateInputSchema,
          response: responses({ 200: Type.Object({ saved: Type.Integer() }) }),
        },
      },
      async (request) => {
        const result = await saveFxRates(request.ctx, [request.body], "api");
        commissions.kick();
        return result;
      },
    );
    // Only the upload takes text/csv (its use case parses it with csv-parse); the parser is registered in this
    // scope alone, so a CSV sent to any JSON route of the plugin is a 415, not a string failing the JSON schema.
    const csvUpload: FastifyPluginAsyncTypebox = async (csv) => {
      csv.addContentTypeParser("text/csv", { parseAs: "string" }, (_request, body, done) => done(null, body));
      csv.post(
        "/fx-rates/import",
        {
          config: { access: write },
          schema: {
            tags,
            summary: "Upload rates as CSV (text/csv, header date,from,to,rate); all lines or none",
            body: Type.String({ minLength: 1 }),
            response: responses({ 200: Type.Object({ saved: Type.Integer() }) }),
          },
        },
        async (request) => {
          const result = await importFxRatesCsv(request.ctx, request.body);
          commissions.kick();
          return result;
        },
      );
    };
    await app.register(csvUpload);

    app.get(
      "/referral-rewards",
      {
        config: { access: read },
        schema: {
          tags,
          summary: "Rewards issued to referred customers (two-sided programs)",
          querystring: Type.Object(
            {
              programId: Type.Optional(Type.String()),
              partnerId: Type.Optional(Type.String()),
              limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
            },
            { additionalProperties: false },
          ),
          response: responses({ 200: Type.Object({ items: Type.Array(ReferralRewardSchema) }) }),
        },
      },
      async (request) => ({ items: await listReferralRewards(request.ctx, request.query) }),
    );
  };
