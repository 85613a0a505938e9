import { type FastifyPluginAsyncTypebox, Type } from "@fastify/type-provider-typebox";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { TSchema } from "typebox";
import { conversionKinds, intakeStatuses } from "../../db/schema/index.js";
import type { CommissionWorker } from "../../domain/commissions/commission-worker.js";
import { CONVERSION_COLUMNS, withCreditedNames } from "../../domain/conversions/conversion-export.js";
import {
  ConversionSchema,
  type ConversionView,
  PartnerName,
  TrackLeadSchema,
  TrackRefundSchema,
  TrackSaleSchema,
} from "../../domain/conversions/conversions.schemas.js";
import { explainAttribution, listConversions } from "../../domain/conversions/list-conversions.js";
import { loadConversionView } from "../../domain/conversions/load-conversion.js";
import { type BatchOutcome, TRACK_BATCH_MAX_EVENTS, trackBatch } from "../../domain/conversions/track-batch.js";
import { trackLead } from "../../domain/conversions/track-lead.js";
import { trackRefund } from "../../domain/conversions/track-refund.js";
import { trackSale } from "../../domain/conversions/track-sale.js";
import { type AsyncBatchOutcome, acceptBatch } from "../../domain/intake/accept-batch.js";
import { acceptLead } from "../../domain/intake/accept-lead.js";
import { acceptSale } from "../../domain/intake/accept-sale.js";
import type { IntakeRuntime } from "../../domain/intake/intake-runtime.js";
import type { AcceptedSubmission } from "../../domain/intake/intake-writer.js";
import { listSubmissions } from "../../domain/intake/list-submissions.js";
import { loadSubmission, loadSubmissions } from "../../domain/intake/load-submission.js";
import type { Submission } from "../../domain/intake/submission.js";
import type { TrackingRuntime } from "../../domain/tracking/tracking-runtime.js";
import { AppError, type AppErrorCode } from "../../lib/errors.js";
import { stringEnum } from "../../lib/string-enum.js";
import { teamAccess } from "../access.js";
import { csvResponses, sendCsvPages } from "../csv-download.js";
import { appErrorProblem } from "../problem.js";
import { IdParams, ProblemSchema, page, responses } from "../schemas.js";

const tags = ["tracking"];
const track = teamAccess("track:write", { apiKey: true });
const read = teamAccess("partners:read", { apiKey: true });
const conversionFilters = {
  programId: Type.Optional(Type.String()),
  partnerId: Type.Optional(Type.String()),
  kind: Type.Optional(stringEnum(conversionKinds)),
  attributed: Type.Optional(Type.Boolean()),
  from: Type.Optional(
    Type.String({ format: "date-time", description: "happened at or after this time (with a program or partner)" }),
  ),
  before: Type.Optional(
    Type.String({ format: "date-time", description: "happened before this time (with a program or partner)" }),
  ),
  q: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 200,
      description:
        "with a program: the conversions of this exact order, refund or event id, or of this customer id (yours)",
    }),
  ),
};

/** First time 201; a retry with the same idempotency key 200 with the first result and `Idempotent-Replayed: true`. */
const answerWith =
  (commissions: CommissionWorker) => (reply: FastifyReply, result: { replayed: boolean; conversion: unknown }) => {
    if (result.replayed) return reply.status(200).header("idempotent-replayed", "true").send(result.conversion);
    // The conversion's credits are queued in the database; the engine turns them into commissions shortly.
    commissions.kick();
    return reply.status(201).send(result.conversion);
  };

const BatchOutcomeSchema = Type.Object({
  status: Type.Integer({
    description:
      "201 recorded; 200 recorded before (a retry: `conversion` is the first result); else the 4xx it would get alone",
  }),
  conversion: Type.Optional(ConversionSchema),
  problem: Type.Optional(ProblemSchema),
});
const batchOf = <T extends TSchema>(schema: T) =>
  Type.Optional(Type.Array(schema, { maxItems: TRACK_BATCH_MAX_EVENTS }));
const TrackBatchSchema = Type.Object(
  { leads: batchOf(TrackLeadSchema), sales: batchOf(TrackSaleSchema), refunds: batchOf(TrackRefundSchema) },
  { additionalProperties: false },
);

/** One event's outcome in a batch, as its own request would have been answered. */
function outcomeView(outcome: BatchOutcome, instance: string) {
  if ("recorded" in outcome)
    return { status: outcome.recorded.replayed ? 200 : 201, conversion: outcome.recorded.conversion };
  const problem = appErrorProblem(outcome.refused, instance);
  return { status: problem.status, problem };
}

const SubmissionSchema = Type.Object({
  id: Type.String({ description: "the submission's id, and its conversion's once recorded" }),
  status: stringEnum(["queued", "recorded", "refused"] as const),
  programId: Type.String(),
  kind: stringEnum(["lead", "sale"] as const),
  idempotencyKey: Type.String({ description: "the sale's order id, the lead's event id" }),
  receivedAt: Type.String({ format: "date-time", description: "when it was accepted: its conversion's received time" }),
  processedAt: Type.Union([Type.String({ format: "date-time" }), Type.Null()]),
  conversion: Type.Optional(ConversionSchema),
  problem: Type.Optional(ProblemSchema),
});

const AsyncBatchOutcomeSchema = Type.Object({
  status: Type.Integer({
    description:
      "202 accepted: a new submission, or (`replayed`) the one waiting under its key; 200 a retry of one recorded " +
      "already (`submission.conversion` is its outcome); else the 4xx it would get alone, in `problem`",
  }),
  replayed: Type.Optional(Type.Boolean({ description: "a retry: `submission` is the first one under its key" })),
  location: Type.Optional(Type.String({ description: "where its outcome is told: /v1/track/submissions/<id>" })),
  submission: Type.Optional(SubmissionSchema),
  problem: Type.Optional(ProblemSchema),
});

const PreferHeaders = Type.Object({
  prefer: Type.Optional(Type.String({ description: "respond-async: answer 202 and record moments later" })),
});
/** A lead or sale: recorded (201), a retry (200), or accepted into the intake (202, or 200 once processed). */
const conversionOrSubmission = responses({
  200: Type.Union([ConversionSchema, SubmissionSchema]),
  201: ConversionSchema,
  202: SubmissionSchema,
});

/** `Prefer: respond-async` (RFC 7240): accept now, record moments later. */
const prefersAsync = (prefer: string | string[] | undefined) =>
  [prefer ?? []].flat().some((p) => p.split(",").some((token) => token.trim().toLowerCase() === "respond-async"));

function submissionView(submission: Submission, conversion: ConversionView | undefined, instance: string) {
  const refusal = submission.refusal;
  return {
    id: submission.id,
    status: submission.status,
    programId: submission.programId,
    kind: submission.kind,
    idempotencyKey: submission.idempotencyKey,
    receivedAt: submission.receivedAt.toISOString(),
    processedAt: submission.processedAt?.toISOString() ?? null,
    ...(conversion ? { conversion } : {}),
    ...(refusal
      ? {
          problem: appErrorProblem(
            new AppError(refusal.code as AppErrorCode, refusal.message, { fields: refusal.fields }),
            instance,
          ),
        }
      : {}),
  };
}

/**
 * Each lead's and sale's entry in an async batch's answer, as its own async request would have been answered. Retries
 * of submissions processed already are answered with their outcomes, all loaded together.
 */
async function asyncOutcomeViews(request: FastifyRequest, outcomes: AsyncBatchOutcome[]) {
  const idOf = (outcome: Exclude<AsyncBatchOutcome, { refused: AppError }>) =>
    "earlier" in outcome ? outcome.earlier.id : outcome.accepted.submission.id;
  const processed = outcomes.flatMap((o) =>
    "refused" in o || ("accepted" in o && o.accepted.submission.status === "queued") ? [] : [idOf(o)],
  );
  const done = await loadSubmissions(request.ctx.db, processed);
  return outcomes.map((outcome) => {
    if ("refused" in outcome) {
      const problem = appErrorProblem(outcome.refused, request.url.split("?")[0]!);
      return { status: problem.status, problem };
    }
    const id = idOf(outcome);
    const location = `/v1/track/submissions/${id}`;
    const replayed = "earlier" in outcome || outcome.accepted.replayed;
    if ("accepted" in outcome && outcome.accepted.submission.status === "queued")
      return {
        status: 202,
        replayed,
        location,
        submission: submissionView(outcome.accepted.submission, undefined, location),
      };
    // A retry of one processed already: answered with its outcome, as the single route answers it.
    const found = done.get(id);
    if (!found) throw new Error(`submission ${id} was accepted but is found nowhere`);
    return {
      status: 200,
      replayed,
      location,
      submission: submissionView(found.submission, found.conversion, location),
    };
  });
}

const ExplanationSchema = Type.Object({
  conversionId: Type.String(),
  kind: Type.String(),
  attributed: Type.Boolean(),
  source: Type.Union([Type.String(), Type.Null()]),
  model: Type.Union([Type.String(), Type.Null()]),
  reason: Type.Union([Type.String(), Type.Null()], {
    description:
      "not credited: no_touchpoints (nothing sent), rejected_click_id, unknown_coupon or all_touchpoints_excluded",
  }),
  summary: Type.String({
    description: "the decision in a sentence, naming partners and programs by their current names (ids in the fields)",
  }),
  couponCode: Type.Union([Type.String(), Type.Null()], { description: "the coupon code the conversion carried" }),
  credits: Type.Array(
    Type.Object({
      partnerId: Type.String(),
      partnerName: PartnerName,
      enrollmentId: Type.Optional(Type.String()),
      weightBps: Type.Integer(),
    }),
  ),
  coupon: Type.Union([
    Type.Object({ code: Type.String(), partnerId: Type.String(), partnerName: PartnerName, outcome: Type.String() }),
    Type.Null(),
  ]),
  touchpoints: Type.Array(
    Type.Object({
      clickId: Type.String(),
      partnerId: Type.String(),
      partnerName: PartnerName,
      linkId: Type.Union([Type.String(), Type.Null()]),
      programId: Type.String(),
      programName: Type.String({
        description: "the program's name as of this request (its id if the program no longer exists)",
      }),
      at: Type.String({ format: "date-time" }),
      source: Type.String(),
      included: Type.Boolean(),
      reason: Type.Union([Type.String(), Type.Null()]),
      weightBps: Type.Union([Type.Integer(), Type.Null()]),
      explanation: Type.String({
        description:
          "this touch's part in the decision, naming its partner (and programs, for another program's touch)",
      }),
    }),
  ),
  rejectedClickIds: Type.Array(Type.Object({ clickId: Type.String(), reason: Type.String() })),
});

export const trackRoutes =
  (tracking: TrackingRuntime, commissions: CommissionWorker, intake: IntakeRuntime): FastifyPluginAsyncTypebox =>
  async (app) => {
    const answer = answerWith(commissions);
    /** 202 with the submission; a retry of one recorded already, 200 with its outcome (it is not accepted again). */
    const answerAccepted = async (request: FastifyRequest, reply: FastifyReply, accepted: AcceptedSubmission) => {
      const { replayed, submission } = accepted;
      intake.worker.kick();
      const location = `/v1/track/submissions/${submission.id}`;
      reply.header("preference-applied", "respond-async").header("location", location);
      if (replayed) reply.header("idempotent-replayed", "true");
      if (submission.status === "queued")
        return reply.status(202).send(submissionView(submission, undefined, location));
      const done = await loadSubmission(request.ctx.db, submission.id);
      return reply.status(200).send(submissionView(done.submission, done.conversion, location));
    };
    app.post(
      "/track/lead",
      {
        config: { access: track },
        schema: {
          tags,
          summary: "Record a lead (signup, trial, demo request) and attribute it",
          description:
            "Answers 201 with the attributed conversion once it is stored. With `Prefer: respond-async`, as " +
            "POST /v1/track/sale: checked the same way, stored in the intake and answered 202 with a submission.",
          headers: PreferHeaders,
          body: TrackLeadSchema,
          response: conversionOrSubmission,
        },
      },
      async (request, reply) => {
        if (!prefersAsync(request.headers.prefer))
          return answer(
            reply,
            await trackLead(request.ctx, tracking.keys, request.body, tracking.programs, tracking.conversions),
          );
        const accepted = await acceptLead(request.ctx, request.body, intake.writer, tracking.programs);
        if ("earlier" in accepted) return answer(reply, { replayed: true, conversion: accepted.earlier });
        return answerAccepted(request, reply, accepted);
      },
    );
    app.post(
      "/track/sale",
      {
        config: { access: track },
        schema: {
          tags,
          summary: "Record a sale (order id = idempotency key) and attribute it",
          description:
            "Answers 201 with the attributed conversion once it is stored. With `Prefer: respond-async` the sale " +
            "is checked the same way (a bad one gets the same 4xx), stored durably in the intake and answered 202 " +
            "with a submission whose `Location` tells its outcome; it is recorded and attributed moments later. " +
            "The same order id sent again while it waits answers 202 with the first submission.",
          headers: PreferHeaders,
          body: TrackSaleSchema,
          response: conversionOrSubmission,
        },
      },
      async (request, reply) => {
        if (!prefersAsync(request.headers.prefer))
          return answer(
            reply,
            await trackSale(request.ctx, tracking.keys, request.body, tracking.programs, tracking.conversions),
          );
        const accepted = await acceptSale(request.ctx, request.body, intake.writer, tracking.programs);
        return answerAccepted(request, reply, accepted);
      },
    );
    app.get(
      "/track/submissions/:id",
      {
        config: { access: track },
        schema: {
          tags,
          summary: "What became of a lead or sale sent with Prefer: respond-async",
          description:
            "queued: waiting to be recorded; recorded: `conversion` is the attributed conversion (its own id, or " +
            "the first one's when its key was recorded before); refused: `problem` is what the sync route would " +
            "have answered. Refused submissions are kept for 30 days.",
          params: IdParams,
          response: responses({ 200: SubmissionSchema }),
        },
      },
      async (request) => {
        const { submission, conversion } = await loadSubmission(request.ctx.db, request.params.id);
        return submissionView(submission, conversion, request.url.split("?")[0]!);
      },
    );
    app.get(
      "/track/submissions",
      {
        config: { access: read },
        schema: {
          tags,
          summary:
            "Leads and sales sent with Prefer: respond-async that are waiting, refused or were retries, newest first",
          description:
            "Each as GET /track/submissions/:id shows it. Lists what is still in the intake: queued (waiting to be " +
            "recorded), refused (`problem` says why; kept 30 days) and recorded retries of an order id recorded " +
            "before (`conversion` is the first one; kept 30 days). A submission recorded under its own id is a " +
            "conversion (GET /conversions) and is not listed here.",
          querystring: Type.Object(
            {
              programId: Type.Optional(Type.String()),
              status: Type.Optional(stringEnum(intakeStatuses)),
              limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
              cursor: Type.Optional(Type.String()),
            },
            { additionalProperties: false },
          ),
          response: responses({ 200: page(SubmissionSchema) }),
        },
      },
      async (request) => {
        const listed = await listSubmissions(request.ctx, request.query);
        const view = ({ submission, conversion }: (typeof listed.items)[number]) =>
          submissionView(submission, conversion, `/v1/track/submissions/${submission.id}`);
        return { items: listed.items.map(view), nextCursor: listed.nextCursor };
      },
    );
    app.post(
      "/track/batch",
      {
        config: { access: track },
        schema: {
          tags,
          summary: `Record up to ${TRACK_BATCH_MAX_EVENTS} leads, sales and refunds at once, each with its own outcome`,
          description:
            "Each event is recorded as its own request to /track/lead, /track/sale or /track/refund would be (same " +
            "validation, idempotency keys and attribution) and answered in `results` at its index: 201, 200 for a " +
            "retry, or the problem it alone would get. Leads are stored first, then sales, then refunds. A body " +
            "that fails the schema is refused whole (422 naming e.g. /sales/3/amount); on a 5xx, send the whole " +
            "batch again: events stored meanwhile answer 200. With `Prefer: respond-async`, leads and sales are " +
            "checked the same way and the accepted ones stored in the intake together (all or none), answered 202 " +
            "with each one's submission and `location` at its index (202, 200 for a retry of one recorded, or its " +
            "problem); refunds are refused (422 naming /refunds): send them without the header.",
          headers: PreferHeaders,
          body: TrackBatchSchema,
          response: responses({
            200: Type.Object({
              results: Type.Object({
                leads: Type.Array(BatchOutcomeSchema),
                sales: Type.Array(BatchOutcomeSchema),
                refunds: Type.Array(BatchOutcomeSchema),
              }),
            }),
            202: Type.Object({
              results: Type.Object({
                leads: Type.Array(AsyncBatchOutcomeSchema),
                sales: Type.Array(AsyncBatchOutcomeSchema),
              }),
            }),
          }),
        },
      },
      async (request, reply) => {
        if (prefersAsync(request.headers.prefer)) {
          const accepted = await acceptBatch(request.ctx, request.body, intake.writer, tracking.programs);
          const outcomes = [...accepted.leads, ...accepted.sales];
          if (outcomes.some((o) => "accepted" in o && o.accepted.submission.status === "queued")) intake.worker.kick();
          const views = await asyncOutcomeViews(request, outcomes);
          reply.header("preference-applied", "respond-async");
          return reply.status(202).send({
            results: { leads: views.slice(0, accepted.leads.length), sales: views.slice(accepted.leads.length) },
          });
        }
        const result = await trackBatch(
          request.ctx,
          tracking.keys,
          request.body,
          tracking.programs,
          tracking.conversions,
        );
        const instance = request.url.split("?")[0]!;
        const views = (outcomes: BatchOutcome[]) => outcomes.map((o) => outcomeView(o, instance));
        if ([...result.leads, ...result.sales, ...result.refunds].some((o) => "recorded" in o && !o.recorded.replayed))
          commissions.kick();
        return { results: { leads: views(result.leads), sales: views(result.sales), refunds: views(result.refunds) } };
      },
    );
    app.post(
      "/track/refund",
      {
        config: { access: track },
        schema: {
          tags,
          summary: "Record a full or partial refund of a sale",
          body: TrackRefundSchema,
          response: responses({ 200: ConversionSchema, 201: ConversionSchema }),
        },
      },
      async (request, reply) => answer(reply, await trackRefund(request.ctx, request.body, tracking.programs)),
    );
    app.get(
      "/conversions",
      {
        config: { access: read },
        schema: {
          tags,
          summary: "Leads, sales and refunds, newest first",
          querystring: Type.Object(
            {
              ...conversionFilters,
              limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
              cursor: Type.Optional(Type.String()),
            },
            { additionalProperties: false },
          ),
          response: responses({ 200: page(ConversionSchema) }),
        },
      },
      async (request) => listConversions(request.ctx, request.query),
    );
    app.get(
      "/conversions/export",
      {
        config: { access: read },
        schema: {
          tags,
          summary: "Leads, sales and refunds as a CSV download, newest first, with the same filters as the list",
          querystring: Type.Object(conversionFilters, { additionalProperties: false }),
          response: csvResponses(CONVERSION_COLUMNS),
        },
      },
      async (request, reply) =>
        sendCsvPages(reply, {
          name: "conversions",
          now: request.ctx.clock.now(),
          columns: CONVERSION_COLUMNS,
          readPage: (cursor) => listConversions(request.ctx, { ...request.query, limit: 1000, cursor }),
          toRows: withCreditedNames,
        }),
    );
    app.get(
      "/conversions/:id",
      {
        config: { access: read },
        schema: { tags, summary: "One conversion", params: IdParams, response: responses({ 200: ConversionSchema }) },
      },
      async (request) => {
        const found = await loadConversionView(request.ctx.db, { id: request.params.id });
        if (!found) throw new AppError("not_found", `conversion ${request.params.id} not found`);
        return found.view;
      },
    );
    app.get(
      "/conversions/:id/attribution",
      {
        config: { access: read },
        schema: {
          tags,
          summary: "Explain a conversion's attribution: touches, model, weights, exclusions",
          params: IdParams,
          response: responses({ 200: ExplanationSchema }),
        },
      },
      async (request) => explainAttribution(request.ctx, request.params.id),
    );
  };
