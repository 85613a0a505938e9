import { type FastifyPluginAsyncTypebox, Type } from "@fastify/type-provider-typebox";
import { createProgram } from "../../domain/programs/create-program.js";
import { getProgram } from "../../domain/programs/get-program.js";
import { listPrograms } from "../../domain/programs/list-programs.js";
import { CreateProgramSchema, ProgramSchema, UpdateProgramSchema } from "../../domain/programs/programs.schemas.js";
import { updateProgram } from "../../domain/programs/update-program.js";
import { teamAccess } from "../access.js";
import { IdParams, responses } from "../schemas.js";

const tags = ["programs"];
const read = teamAccess("programs:read", { apiKey: true });
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
