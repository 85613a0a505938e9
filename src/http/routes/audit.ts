import { type FastifyPluginAsyncTypebox, Type } from "@fastify/type-provider-typebox";
import { actorTypes } from "../../db/schema/index.js";
import { listAuditLog } from "../../domain/governance/list-audit-log.js";
import { stringEnum } from "../../lib/string-enum.js";
import { teamAccess } from "../access.js";
import { page, responses } from "../schemas.js";

const AuditEntrySchema = Type.Object({
  id: Type.String(),
  at: Type.String({ format: "date-time" }),
  actorType: stringEnum(actorTypes),
  actorId: Type.Union([Type.String(), Type.Null()]),
  actorLabel: Type.String(),
  action: Type.String(),
  entityType: Type.String(),
  entityId: Type.String(),
  programId: Type.Union([Type.String(), Type.Null()]),
  partnerId: Type.Union([Type.String(), Type.Null()]),
  before: Type.Unknown(),
  after: Type.Unknown(),
  ip: Type.Union([Type.String(), Type.Null()]),
});

export const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/audit-log",
    {
      config: { access: teamAccess("audit:read", { apiKey: true }) },
      schema: {
        tags: ["governance"],
        summary: "The audit log, newest first",
        querystring: Type.Object(
          {
            entityType: Type.Optional(Type.String({ maxLength: 40 })),
            entityId: Type.Optional(Type.String({ maxLength: 64 })),
            actorType: Type.Optional(stringEnum(actorTypes)),
            actorId: Type.Optional(Type.String({ maxLength: 64 })),
            action: Type.Optional(Type.String({ maxLength: 80, description: "prefix, for example enrollment." })),
            programId: Type.Optional(Type.String({ maxLength: 64 })),
            partnerId: Type.Optional(Type.String({ maxLength: 64 })),
            since: Type.Optional(Type.String({ format: "date-time" })),
            until: Type.Optional(Type.String({ format: "date-time" })),
            limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
            cursor: Type.Optional(Type.String()),
          },
          { additionalProperties: false },
        ),
        response: responses({ 200: page(AuditEntrySchema) }),
      },
    },
    async (request) => listAuditLog(request.ctx, request.query),
  );
};
