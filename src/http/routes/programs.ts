import { type FastifyPluginAsyncTypebox, Type } from "@fastify/type-provider-typebox";
import { createProgram } from "../../domain/programs/create-program.js";
import { getProgram } from "../../domain/programs/get-program.js";
import { integrationStatus, SAMPLED_CLICKS, SAMPLED_CONVERSIONS } from "../../domain/programs/integration-status.js";
import { listPrograms } from "../../domain/programs/list-programs.js";
import { CreateProgramSchema, ProgramSchema, UpdateProgramSchema } from "../../domain/programs/programs.schemas.js";
import { updateProgram } from "../../domain/programs/update-program.js";
import { teamAccess } from "../access.js";
import { IdParams, responses } from "../schemas.js";

const tags = ["programs"];
const read = teamAccess("programs:read", { apiKey: true });
const When = Type.Union([Type.String({ format: "date-time" }), Type.Null()]);
const IntegrationStatusSchema = Type.Object({
  clicks: Type.Object({
    last: Type.Union([Type.Object({ at: Type.String({ format: "date-time" }), source: Type.String() }), Type.Null()]),
    sampled: Type.Integer({ description: `the latest clicks looked at, at most ${SAMPLED_CLICKS}` }),
    snippet: Type.Integer({ description: "of those, recorded by the site snippet" }),
    lastSnippetAt: When,
  }),
  conversions: Type.Object({
    sampled: Type.Integer({ description: `the latest conversions looked at, at most ${SAMPLED_CONVERSIONS}` }),
    lastLeadAt: When,
    lastSaleAt: When,
    lastRefundAt: When,
    credited: Type.Integer({ description: "of the sampled leads and sales, credited to a partner" }),
    nothingPresented: Type.Integer({ description: "not credited: no click id, touchpoints or coupon code" }),
    rejectedClickId: Type.Integer({ description: "not credited: a click id that failed its signature check" }),
    unknownCoupon: Type.Integer({ description: "not credited: a coupon code no active partner holds" }),
    excluded: Type.Integer({ description: "not credited: clicks outside the window or of inactive partners" }),
  }),
  intake: Type.Object(
    {
      waiting: Type.Integer({ description: "accepted (202) and not recorded yet" }),
      refused: Type.Integer({ description: "refused in the last 30 days: GET /v1/track/submissions?status=refused" }),
    },
    { description: "sales sent with Prefer: respond-async" },
  ),
});
const write = teamAccess("programs:write", { apiKey: true });

export const programRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/programs",
    {
      config: { access: read },
      schema: {
        tags,
        summary: "Programs with enrollment counts per status",
        response: responses({ 200: Type.Object({ items: Type.Array(ProgramSchema) }) }),
      },
    },
    async (request) => ({ items: await listPrograms(request.ctx) }),
  );
  app.post(
    "/programs",
    {
      config: { access: write },
      schema: {
        tags,
        summary: "Create a program",
        body: CreateProgramSchema,
        response: responses({ 201: ProgramSchema }),
      },
    },
    async (request, reply) => reply.status(201).send(await createProgram(request.ctx, request.body)),
  );
  app.get(
    "/programs/:id",
    {
      config: { access: read },
      schema: { tags, summary: "One program", params: IdParams, response: responses({ 200: ProgramSchema }) },
    },
    async (request) => getProgram(request.ctx, request.params.id),
  );
  app.get(
    "/programs/:id/integration-status",
    {
      config: { access: read },
      schema: {
        tags,
        summary: "Whether tracking is wired up: the latest clicks and conversions, and why any were not credited",
        params: IdParams,
        response: responses({ 200: IntegrationStatusSchema }),
      },
    },
    async (request) => integrationStatus(request.ctx, request.params.id),
  );
  app.patch(
    "/programs/:id",
    {
      config: { access: write },
      schema: {
        tags,
        summary: "Update a program; new terms text publishes a new terms version",
        params: IdParams,
        body: UpdateProgramSchema,
        response: responses({ 200: ProgramSchema }),
      },
    },
    async (request) => updateProgram(request.ctx, request.params.id, request.body),
  );
};
