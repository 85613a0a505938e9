import { type FastifyPluginAsyncTypebox, Type } from "@fastify/type-provider-typebox";
import { ApiKeySchema, CreateApiKeySchema } from "../../domain/api-keys/api-keys.schemas.js";
import { createApiKey } from "../../domain/api-keys/create-api-key.js";
import { listApiKeys } from "../../domain/api-keys/list-api-keys.js";
import { revokeApiKey } from "../../domain/api-keys/revoke-api-key.js";
import { teamAccess } from "../access.js";
import { IdParams, responses } from "../schemas.js";

const tags = ["api keys"];

export const apiKeyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/api-keys",
    {
      config: { access: teamAccess("api_keys:manage") },
      schema: {
        tags,
        summary: "API keys (secrets are never shown again)",
        response: responses({ 200: Type.Object({ items: Type.Array(ApiKeySchema) }) }),
      },
    },
    async (request) => ({ items: await listApiKeys(request.ctx) }),
  );
  app.post(
    "/api-keys",
    {
      config: { access: teamAccess("api_keys:manage") },
      schema: {
        tags,
        summary: "Create an API key; the secret is in this response only",
        body: CreateApiKeySchema,
        response: responses({ 201: Type.Object({ secret: Type.String(), apiKey: ApiKeySchema }) }),
      },
    },
    async (request, reply) => reply.status(201).send(await createApiKey(request.ctx, request.body)),
  );
  app.delete(
    "/api-keys/:id",
    {
      config: { access: teamAccess("api_keys:manage") },
      schema: { tags, summary: "Revoke an API key", params: IdParams, response: responses({ 200: ApiKeySchema }) },
    },
    async (request) => revokeApiKey(request.ctx, request.params.id),
  );
};
