import { type FastifyPluginAsyncTypebox, Type } from "@fastify/type-provider-typebox";
import { createPayoutBatch } from "../../domain/payouts/create-payout-batch.js";
import { downloadBatchFile } from "../../domain/payouts/download-batch-file.js";
import { failPayout } from "../../domain/payouts/fail-payout.js";
import { getPayout } from "../../domain/payouts/get-payout.js";
import { getPayoutBatch, listPayoutBatches } from "../../domain/payouts/get-payout-batch.js";
import { getPayoutMethod } from "../../domain/payouts/get-payout-method.js";
import { getPayoutRun } from "../../domain/payouts/get-payout-run.js";
import { getStatement, statementCsv } from "../../domain/payouts/get-statement.js";
import { getTaxForm } from "../../domain/payouts/get-tax-form.js";
import { listBatchCandidates } from "../../domain/payouts/list-batch-candidates.js";
import { listPayoutRuns } from "../../domain/payouts/list-payout-runs.js";
import { listPayouts } from "../../domain/payouts/list-payouts.js";
import { markBatchPaid } from "../../domain/payouts/mark-batch-paid.js";
import { markPayoutPaid } from "../../domain/payouts/mark-payout-paid.js";
import {
  BatchCandidatesSchema,
  CreatePayoutBatchSchema,
  FailPayoutSchema,
  MarkPaidSchema,
  MarkPayoutPaidSchema,
  PayoutBatchSchema,
  PayoutDetailSchema,
  PayoutFilterSchema,
  PayoutMethodSchema,
  PayoutRunDetailSchema,
  PayoutRunRecordSchema,
  PayoutRunSchema,
  PayoutSchema,
  RunPayoutsSchema,
  SendBatchResultSchema,
  SetTaxFormSchema,
  StatementQuerySchema,
  StatementSchema,
  TaxFormStatusSchema,
} from "../../domain/payouts/payouts.schemas.js";
import { runPayouts } from "../../domain/payouts/run-payouts.js";
import { sendStripeBatch } from "../../domain/payouts/send-stripe-batch.js";
import { setTaxForm } from "../../domain/payouts/set-tax-form.js";
import { teamAccess } from "../access.js";
import { IdParams, page, responses } from "../schemas.js";

const tags = ["payouts"];
const read = teamAccess("payouts:read", { apiKey: true });
const write = teamAccess("payouts:write", { apiKey: true });
const ListQuery = Type.Object(
  {
    programId: Type.Optional(Type.String({ maxLength: 64 })),
    cursor: Type.Optional(Type.String({ maxLength: 64 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);
const CsvFile = Type.String({ description: "text/csv" });

export const payoutRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    "/payout-runs",
    {
      config: { access: write },
      schema: {
        tags,
        summary: "Run payouts now: one payout per partner from what the program's schedule makes payable",
        body: RunPayoutsSchema,
        response: responses({ 200: PayoutRunSchema }),
      },
    },
    async (request) => runPayouts(request.ctx, request.body),
  );
  app.get(
    "/payout-runs",
    {
      config: { access: read },
      schema: {
        tags,
        summary: "Past payout runs",
        querystring: ListQuery,
        response: responses({ 200: page(PayoutRunRecordSchema) }),
      },
    },
    async (request) => listPayoutRuns(request.ctx, request.query),
  );
  app.get(
    "/payout-runs/:id",
    {
      config: { access: read },
      schema: {
        tags,
        summary: "A payout run: the payouts it created as they stand now, and who it did not pay and why",
        params: IdParams,
        response: responses({ 200: PayoutRunDetailSchema }),
      },
    },
    async (request) => getPayoutRun(request.ctx, request.params.id),
  );
  app.get(
    "/payouts",
    {
      config: { access: read },
      schema: {
        tags,
        summary: "Payouts, newest first",
        querystring: PayoutFilterSchema,
        response: responses({ 200: page(PayoutSchema) }),
      },
    },
    async (request) => listPayouts(request.ctx, request.query),
  );
  app.get(
    "/payouts/:id",
    {
      config: { access: read },
      schema: {
        tags,
        summary: "A payout with its ledger entries",
        params: IdParams,
        response: responses({ 200: PayoutDetailSchema }),
      },
    },
    async (request) => getPayout(request.ctx, request.params.id),
  );
  app.post(
    "/payouts/:id/mark-paid",
    {
      config: { access: write },
      schema: {
        tags,
        summary:
          "Record that a pending or processing payout was paid, how (methodKind) and with which reference; its entries become paid",
        params: IdParams,
        body: MarkPayoutPaidSchema,
        response: responses({ 200: PayoutSchema }),
      },
    },
    async (request) => markPayoutPaid(request.ctx, request.params.id, request.body),
  );
  app.post(
    "/payouts/:id/fail",
    {
      config: { access: write },
      schema: {
        tags,
        summary: "Fail a pending or processing payout; its amount returns to the partner's balance",
        params: IdParams,
        body: FailPayoutSchema,
        response: responses({ 200: PayoutSchema }),
      },
    },
    async (request) => failPayout(request.ctx, request.params.id, request.body),
  );
  app.get(
    "/payout-batches",
    {
      config: { access: read },
      schema: {
        tags,
        summary: "Payout batches, newest first",
        querystring: ListQuery,
        response: responses({ 200: page(PayoutBatchSchema) }),
      },
    },
    async (request) => listPayoutBatches(request.ctx, request.query),
  );
  app.post(
    "/payout-batches",
    {
      config: { access: write },
      schema: {
        tags,
        summary: "Batch a program's pending payouts for one method (their status becomes processing)",
        body: CreatePayoutBatchSchema,
        response: responses({ 201: PayoutBatchSchema }),
      },
    },
    async (request, reply) => reply.status(201).send(await createPayoutBatch(request.ctx, request.body)),
  );
  app.get(
    "/payout-batches/candidates",
    {
      config: { access: read },
      schema: {
        tags,
        summary:
          "What a new batch of the program would take, per payout method: pending payouts counted and summed per currency",
        querystring: Type.Object(
          { programId: Type.String({ minLength: 1, maxLength: 64 }) },
          { additionalProperties: false },
        ),
        response: responses({ 200: BatchCandidatesSchema }),
      },
    },
    async (request) => listBatchCandidates(request.ctx, request.query.programId),
  );
  app.get(
    "/payout-batches/:id",
    {
      config: { access: read },
      schema: { tags, summary: "A payout batch", params: IdParams, response: responses({ 200: PayoutBatchSchema }) },
    },
    async (request) => getPayoutBatch(request.ctx, request.params.id),
  );
  app.get(
    "/payout-batches/:id/file",
    {
      // Handing the file out is recorded (audit, "downloaded at"): a HEAD, which sends no file, must not be.
      exposeHeadRoute: false,
      config: { access: write },
      schema: {
        tags,
        summary: "Download the batch's payment file: PayPal Payouts CSV, Wise batch CSV or bank CSV",
        params: IdParams,
        produces: ["text/csv"],
        response: responses({ 200: CsvFile }),
      },
    },
    async (request, reply) => {
      const file = await downloadBatchFile(request.ctx, request.params.id);
      return reply
        .type(file.contentType)
        .header("content-disposition", `attachment; filename="${file.filename}"`)
        .header("cache-control", "no-store")
        .send(file.body);
    },
  );
  app.post(
    "/payout-batches/:id/send",
    {
      config: { access: write },
      schema: {
        tags,
        summary: "Send a Stripe Connect batch: one transfer per payout, idempotent (send again after an error)",
        params: IdParams,
        response: responses({ 200: SendBatchResultSchema }),
      },
    },
    async (request) => sendStripeBatch(request.ctx, request.params.id),
  );
  app.post(
    "/payout-batches/:id/mark-paid",
    {
      config: { access: write },
      schema: {
        tags,
        summary: "Record that a file batch was paid: its processing payouts become paid",
        params: IdParams,
        body: MarkPaidSchema,
        response: responses({ 200: PayoutBatchSchema }),
      },
    },
    async (request) => markBatchPaid(request.ctx, request.params.id, request.body),
  );
  app.get(
    "/partners/:id/payout-method",
    {
      config: { access: read },
      schema: {
        tags,
        summary: "The partner's payout method, masked",
        params: IdParams,
        response: responses({ 200: PayoutMethodSchema }),
      },
    },
    async (request) => getPayoutMethod(request.ctx, request.params.id),
  );
  app.get(
    "/partners/:id/tax-form",
    {
      config: { access: read },
      schema: {
        tags,
        summary: "The partner's tax form status",
        params: IdParams,
        response: responses({ 200: TaxFormStatusSchema }),
      },
    },
    async (request) => getTaxForm(request.ctx, request.params.id),
  );
  app.put(
    "/partners/:id/tax-form",
    {
      config: { access: write },
      schema: {
        tags,
        summary: "Record the tax form on file for a partner (or that none is required)",
        params: IdParams,
        body: SetTaxFormSchema,
        response: responses({ 200: TaxFormStatusSchema }),
      },
    },
    async (request) => setTaxForm(request.ctx, request.params.id, request.body),
  );
  app.get(
    "/partners/:id/statement",
    {
      config: { access: read },
      schema: {
        tags,
        summary: "The partner's statement for a month: opening balance, movements, closing balance (JSON or CSV)",
        params: IdParams,
        querystring: StatementQuerySchema,
        response: responses({
          200: Type.Union([StatementSchema, Type.String({ description: "text/csv when format=csv" })]),
        }),
      },
    },
    async (request, reply) => {
      const statement = await getStatement(request.ctx, request.params.id, request.query);
      if (request.query.format !== "csv") return statement;
      const csv = statementCsv(statement, { withPartner: true });
      return reply
        .type("text/csv; charset=utf-8")
        .header("content-disposition", `attachment; filename="${csv.filename}"`)
        .send(csv.body);
    },
  );
};
