import { type FastifyPluginAsyncTypebox, Type } from "@fastify/type-provider-typebox";
import { pingDatabase } from "../../db/migrate.js";
import { publicAccess } from "../access.js";
import { problem, sendProblem } from "../problem.js";
import type { AppServices } from "../services.js";

export const systemRoutes =
  (services: AppServices): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      "/health",
      {
        config: { access: publicAccess },
        schema: {
          tags: ["system"],
          summary: "Liveness and database reachability",
          response: { 200: Type.Object({ status: Type.Literal("ok"), database: Type.String() }) },
        },
      },
      async (request, reply) => {
        try {
          await pingDatabase(services.database);
          return { status: "ok" as const, database: services.database.kind };
        } catch (error) {
          request.log.error({ err: error }, "health check: database unreachable");
          return sendProblem(reply, problem(503, "database_unavailable", "the database is not reachable"));
        }
      },
    );
    app.get("/openapi.json", { config: { access: publicAccess }, schema: { hide: true } }, async () => app.swagger());
  };
