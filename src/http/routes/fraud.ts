import { type FastifyPluginAsyncTypebox, Type } from "@fastify/type-provider-typebox";
import { createFraudReport } from "../../domain/fraud/create-fraud-report.js";
import {
  CreateFraudReportSchema,
  FraudCaseSchema,
  FraudReportSchema,
  FraudRuleSchema,
  ListFraudReportsQuerySchema,
  PartnerActionInputSchema,
  PartnerActionSchema,
  PortalNoticeSchema,
  ResolveFraudReportSchema,
  ReviewFraudSchema,
  ReviewQueueQuerySchema,
  ReviewQueueSchema,
  ReviewResultSchema,
  RuleParams,
  SweepResultSchema,
  UpdateFraudRuleSchema,
} from "../../domain/fraud/fraud.schemas.js";
import { getFraudCase } from "../../domain/fraud/get-fraud-case.js";
import { getFraudReport, listFraudReports } from "../../domain/fraud/list-fraud-reports.js";
import { listFraudRules } from "../../domain/fraud/list-fraud-rules.js";
import { listMyNotices, listPartnerActions } from "../../domain/fraud/list-partner-actions.js";
import { listReviewQueue } from "../../domain/fraud/list-review-queue.js";
import { resolveFraudReport } from "../../domain/fraud/resolve-fraud-report.js";
import { reviewFraudCases } from "../../domain/fraud/review-fraud-cases.js";
import { runFraudSweep } from "../../domain/fraud/run-fraud-sweep.js";
import { takePartnerAction } from "../../domain/fraud/take-partner-action.js";
import { updateFraudRule } from "../../domain/fraud/update-fraud-rule.js";
import { requireProgramInView } from "../../domain/programs/program-in-view.js";
import { partnerAccess, teamAccess } from "../access.js";
import { partnerOf } from "../partner-of.js";
import { IdParams, responses } from "../schemas.js";

const tags = ["fraud"];
const read = teamAccess("fraud:read", { apiKey: true });
const write = teamAccess("fraud:write", { apiKey: true });

/** Fraud rules per program, the review queue, reports and partner actions; the portal's notices. */
export const fraudRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/programs/:id/fraud-rules",
    {
      config: { access: read },
      schema: {
        tags,
        summary: "A program's fraud rules: enabled, action, thresholds, and the defaults",
        params: IdParams,
        response: responses({ 200: Type.Object({ items: Type.Array(FraudRuleSchema) }) }),
      },
    },
    async (request) => ({ items: await listFraudRules(request.ctx, request.params.id) }),
  );
  app.patch(
    "/programs/:id/fraud-rules/:rule",
    {
      config: { access: write },
      schema: {
        tags,
        summary: "Turn a rule on or off, change its action or thresholds, or reset it to the defaults",
        params: RuleParams,
        body: UpdateFraudRuleSchema,
        response: responses({ 200: FraudRuleSchema }),
      },
    },
    async (request) => updateFraudRule(request.ctx, request.params.id, request.params.rule, request.body),
  );
  app.get(
    "/fraud/review-queue",
    {
      config: { access: read },
      schema: {
        tags,
        summary: "Flagged, held (and, with status, decided) conversions grouped by partner, with the evidence",
        querystring: ReviewQueueQuerySchema,
        response: responses({ 200: ReviewQueueSchema }),
      },
    },
    async (request) => listReviewQueue(request.ctx, request.query),
  );
  app.get(
    "/fraud/cases/:id",
    {
      config: { access: read },
      schema: {
        tags,
        summary: "A conversion's fraud case (the id is the conversion id)",
        params: IdParams,
        response: responses({ 200: FraudCaseSchema }),
      },
    },
    async (request) => getFraudCase(request.ctx, request.params.id),
  );
  app.post(
    "/fraud/review",
    {
      config: { access: write },
      schema: {
        tags,
        summary: "Approve (commissions released) or reject (commissions rejected, reason required) open cases",
        body: ReviewFraudSchema,
        response: responses({ 200: ReviewResultSchema }),
      },
    },
    async (request) => reviewFraudCases(request.ctx, request.body),
  );
  app.post(
    "/fraud/sweep",
    {
      config: { access: write },
      schema: {
        tags,
        summary: "Run the sweep rules now (the fraud-sweep job runs every 30 minutes)",
        body: Type.Optional(
          Type.Object(
            {
              programId: Type.Optional(
                Type.String({ minLength: 1, maxLength: 64, description: "this program only; without it, every one" }),
              ),
            },
            { additionalProperties: false },
          ),
        ),
        response: responses({ 200: SweepResultSchema }),
      },
    },
    async (request) => {
      // A program that is not there would be swept as one with no conversions: "1 program, nothing found".
      if (request.body?.programId) await requireProgramInView(request.ctx, request.body.programId, "/programId");
      return runFraudSweep(request.ctx, request.body ?? {});
    },
  );
  app.get(
    "/fraud/reports",
    {
      config: { access: read },
      schema: {
        tags,
        summary: "Manual reports (trademark bidding, brand misuse), newest first",
        querystring: ListFraudReportsQuerySchema,
        response: responses({ 200: Type.Object({ items: Type.Array(FraudReportSchema) }) }),
      },
    },
    async (request) => listFraudReports(request.ctx, request.query),
  );
  app.post(
    "/fraud/reports",
    {
      config: { access: write },
      schema: {
        tags,
        summary: "Report a partner (trademark bidding, brand misuse) with evidence",
        body: CreateFraudReportSchema,
        response: responses({ 201: FraudReportSchema }),
      },
    },
    async (request, reply) => reply.status(201).send(await createFraudReport(request.ctx, request.body)),
  );
  app.get(
    "/fraud/reports/:id",
    {
      config: { access: read },
      schema: { tags, summary: "One report", params: IdParams, response: responses({ 200: FraudReportSchema }) },
    },
    async (request) => getFraudReport(request.ctx, request.params.id),
  );
  app.post(
    "/fraud/reports/:id/resolve",
    {
      config: { access: write },
      schema: {
        tags,
        summary: "Confirm (optionally holding or rejecting a period's conversions) or dismiss a report",
        params: IdParams,
        body: ResolveFraudReportSchema,
        response: responses({
          200: Type.Intersect([FraudReportSchema, Type.Object({ conversionsDecided: Type.Integer() })]),
        }),
      },
    },
    async (request) => resolveFraudReport(request.ctx, request.params.id, request.body),
  );
  app.get(
    "/partners/:id/actions",
    {
      config: { access: read },
      schema: {
        tags,
        summary: "Warnings, suspensions, bans and reinstatements of a partner",
        params: IdParams,
        response: responses({ 200: Type.Object({ items: Type.Array(PartnerActionSchema) }) }),
      },
    },
    async (request) => listPartnerActions(request.ctx, request.params.id),
  );
  app.post(
    "/partners/:id/actions",
    {
      config: { access: write },
      schema: {
        tags,
        summary: "Warn, suspend, ban (across every program) or reinstate a partner",
        params: IdParams,
        body: PartnerActionInputSchema,
        response: responses({ 201: PartnerActionSchema }),
      },
    },
    async (request, reply) =>
      reply.status(201).send(await takePartnerAction(request.ctx, request.params.id, request.body)),
  );
  app.get(
    "/portal/notices",
    {
      config: { access: partnerAccess },
      schema: {
        tags: ["portal"],
        summary: "Messages from the program team about my account (warnings, suspension, reinstatement)",
        response: responses({ 200: Type.Object({ items: Type.Array(PortalNoticeSchema) }) }),
      },
    },
    async (request) => listMyNotices(request.ctx, partnerOf(request.ctx).partnerId),
  );
};
