import { type FastifyPluginAsyncTypebox, Type } from "@fastify/type-provider-typebox";
import { createCoupon } from "../../domain/links/create-coupon.js";
import { createLink } from "../../domain/links/create-link.js";
import {
  CouponSchema,
  CreateCouponSchema,
  LinkSchema,
  ManagerCreateLinkSchema,
  UpdateLinkSchema,
} from "../../domain/links/links.schemas.js";
import { listCoupons, listLinkPage } from "../../domain/links/list-links.js";
import { setCouponDisabled } from "../../domain/links/set-coupon-disabled.js";
import { updateLink } from "../../domain/links/update-link.js";
import { teamAccess } from "../access.js";
import { IdParams, page, responses } from "../schemas.js";

const tags = ["links and coupons"];
const read = teamAccess("partners:read", { apiKey: true });
const write = teamAccess("partners:write", { apiKey: true });
const Filter = Type.Object(
  {
    programId: Type.Optional(Type.String()),
    partnerId: Type.Optional(Type.String()),
    enrollmentId: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

export const linkRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/links",
    {
      config: { access: read },
      schema: {
        tags,
        summary: "Partner links, newest first, found by slug or partner name",
        querystring: Type.Object(
          {
            ...Filter.properties,
            q: Type.Optional(Type.String({ maxLength: 200, description: "part of the slug or the partner's name" })),
            limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
            cursor: Type.Optional(Type.String()),
          },
          { additionalProperties: false },
        ),
        response: responses({ 200: page(LinkSchema) }),
      },
    },
    async (request) => listLinkPage(request.ctx, request.query),
  );
  app.post(
    "/links",
    {
      config: { access: write },
      schema: {
        tags,
        summary: "Create a custom link for a partner's enrollment",
        body: ManagerCreateLinkSchema,
        response: responses({ 201: LinkSchema }),
      },
    },
    async (request, reply) => {
      const { enrollmentId, ...link } = request.body;
      return reply.status(201).send(await createLink(request.ctx, enrollmentId, link));
    },
  );
  app.patch(
    "/links/:id",
    {
      config: { access: write },
      schema: {
        tags,
        summary: "Change a link's destination, disable or enable it",
        params: IdParams,
        body: UpdateLinkSchema,
        response: responses({ 200: LinkSchema }),
      },
    },
    async (request) => updateLink(request.ctx, request.params.id, request.body),
  );
  app.get(
    "/coupons",
    {
      config: { access: read },
      schema: {
        tags,
        summary: "Coupon codes bound to partners",
        querystring: Filter,
        response: responses({ 200: Type.Object({ items: Type.Array(CouponSchema) }) }),
      },
    },
    async (request) => ({ items: await listCoupons(request.ctx, request.query) }),
  );
  app.post(
    "/coupons",
    {
      config: { access: write },
      schema: {
        tags,
        summary: "Bind a coupon code to a partner's enrollment",
        body: CreateCouponSchema,
        response: responses({ 201: CouponSchema }),
      },
    },
    async (request, reply) => reply.status(201).send(await createCoupon(request.ctx, request.body)),
  );
  app.patch(
    "/coupons/:id",
    {
      config: { access: write },
      schema: {
        tags,
        summary: "Disable or enable a coupon code",
        params: IdParams,
        body: Type.Object({ disabled: Type.Boolean() }, { additionalProperties: false }),
        response: responses({ 200: CouponSchema }),
      },
    },
    async (request) => setCouponDisabled(request.ctx, request.params.id, request.body.disabled),
  );
};
