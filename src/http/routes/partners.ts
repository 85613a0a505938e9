import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { createPartner } from "../../domain/partners/create-partner.js";
import { getPartner } from "../../domain/partners/get-partner.js";
import { listPartners } from "../../domain/partners/list-partners.js";
import {
  CreatePartnerSchema,
  ListPartnersQuerySchema,
  ManagerUpdatePartnerSchema,
  PartnerDetailSchema,
  PartnerSchema,
} from "../../domain/partners/partners.schemas.js";
import { updatePartner } from "../../domain/partners/update-partner.js";
import { teamAccess } from "../access.js";
import { IdParams, page, responses } from "../schemas.js";

const tags = ["partners"];
const read = teamAccess("partners:read", { apiKey: true });
const write = teamAccess("partners:write", { apiKey: true });

export const partnerRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/partners",
    {
      config: { access: read },
      schema: {
        tags,
        summary: "Search, filter and page through partners",
        querystring: ListPartnersQuerySchema,
        response: responses({ 200: page(PartnerSchema) }),
      },
    },
    async (request) => listPartners(request.ctx, request.query),
  );
  app.post(
    "/partners",
    {
      config: { access: write },
      schema: {
        tags,
        summary: "Add a partner organisation by hand",
        body: CreatePartnerSchema,
        response: responses({ 201: PartnerSchema }),
      },
    },
    async (request, reply) => reply.status(201).send(await createPartner(request.ctx, request.body)),
  );
  app.get(
    "/partners/:id",
    {
      config: { access: read },
      schema: {
        tags,
        summary: "A partner with its users and enrollments",
        params: IdParams,
        response: responses({ 200: PartnerDetailSchema }),
      },
    },
    async (request) => getPartner(request.ctx, request.params.id),
  );
  app.patch(
    "/partners/:id",
    {
      config: { access: write },
      schema: {
        tags,
        summary: "Update a partner organisation",
        params: IdParams,
        body: ManagerUpdatePartnerSchema,
        response: responses({ 200: PartnerSchema }),
      },
    },
    async (request) => updatePartner(request.ctx, request.params.id, request.body),
  );
};
