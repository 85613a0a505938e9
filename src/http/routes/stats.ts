import { type FastifyPluginAsyncTypebox, Type } from "@fastify/type-provider-typebox";
import { adClickParams, adNetworks, conversionKinds } from "../../db/schema/index.js";
import type { Ctx } from "../../domain/context.js";
import { listMyConversions } from "../../domain/portal/list-my-conversions.js";
import { CLICK_COLUMNS, withClickNames } from "../../domain/stats/click-export.js";
import { countClicks } from "../../domain/stats/count-clicks.js";
import { couponCounts } from "../../domain/stats/coupon-counts.js";
import { linkCounts } from "../../domain/stats/link-counts.js";
import { listClicks } from "../../domain/stats/list-clicks.js";
import {
  type BreakdownDimension,
  breakdownDimensions,
  partnerBreakdown,
} from "../../domain/stats/partner-breakdown.js";
import { partnerRanking } from "../../domain/stats/partner-ranking.js";
import { performanceSeries } from "../../domain/stats/performance-series.js";
import { AppError } from "../../lib/errors.js";
import { stringEnum } from "../../lib/string-enum.js";
import { partnerAccess, teamAccess } from "../access.js";
import { csvResponses, sendCsvPages } from "../csv-download.js";
import { page, responses } from "../schemas.js";

const Revenue = Type.Record(Type.String(), Type.Integer(), { description: "currency → minor units" });
export const SeriesSchema = Type.Object({
  interval: Type.String(),
  timeZone: Type.String({ description: "the zone whose days the day buckets are" }),
  from: Type.String({ format: "date-time" }),
  to: Type.String({ format: "date-time" }),
  series: Type.Array(
    Type.Object({
      bucket: Type.String({ format: "date-time" }),
      clicks: Type.Integer(),
      leads: Type.Integer(),
      sales: Type.Integer(),
      revenue: Revenue,
    }),
  ),
  totals: Type.Object({ clicks: Type.Integer(), leads: Type.Integer(), sales: Type.Integer(), revenue: Revenue }),
});

const range = {
  from: Type.Optional(Type.String({ format: "date-time", description: "default: 30 days before `to`" })),
  to: Type.Optional(Type.String({ format: "date-time", description: "default: now" })),
  interval: Type.Optional(stringEnum(["hour", "day"] as const, { description: "default: day" })),
};

/** Whose days a day bucket is: the viewer's, so that "21 Nov" is the same day as in the lists' date filters. */
const seriesTimeZone = {
  timeZone: Type.Optional(
    Type.String({ maxLength: 64, description: "IANA time zone of the day buckets, e.g. Europe/Paris (default UTC)" }),
  ),
};

const window = (
  ctx: Ctx,
  q: { from?: string | undefined; to?: string | undefined; interval?: "hour" | "day" | undefined },
) => {
  const to = q.to ? new Date(q.to) : ctx.clock.now();
  const interval = q.interval ?? "day";
  const from = q.from
    ? new Date(q.from)
    : new Date(to.getTime() - (interval === "day" ? 30 * 86_400_000 : 48 * 3_600_000));
  return { from, to, interval };
};

const clickFilters = {
  programId: Type.Optional(Type.String()),
  partnerId: Type.Optional(Type.String()),
  linkId: Type.Optional(Type.String()),
  from: Type.Optional(
    Type.String({ format: "date-time", description: "clicks at or after this time; with `before`, earlier than it" }),
  ),
  before: Type.Optional(
    Type.String({ format: "date-time", description: "clicks before this time, newest first from there" }),
  ),
};

const ClickSchema = Type.Object({
  id: Type.String(),
  programId: Type.String(),
  partnerId: Type.String(),
  linkId: Type.Union([Type.String(), Type.Null()]),
  linkSlug: Type.Union([Type.String(), Type.Null()]),
  at: Type.String({ format: "date-time" }),
  source: Type.String(),
  country: Type.Union([Type.String(), Type.Null()]),
  deviceType: Type.Union([Type.String(), Type.Null()]),
  browser: Type.Union([Type.String(), Type.Null()]),
  os: Type.Union([Type.String(), Type.Null()]),
  referrer: Type.Union([Type.String(), Type.Null()]),
  sub1: Type.Union([Type.String(), Type.Null()]),
  sub2: Type.Union([Type.String(), Type.Null()]),
  sub3: Type.Union([Type.String(), Type.Null()]),
  sub4: Type.Union([Type.String(), Type.Null()]),
  sub5: Type.Union([Type.String(), Type.Null()]),
  adNetwork: Type.Union([stringEnum(adNetworks), Type.Null()], {
    description: "the paid ad the click came from: the network whose click id (gclid, msclkid…) it was opened with",
  }),
  adClickParam: Type.Union([stringEnum(adClickParams), Type.Null()], {
    description: "that click id's parameter (its value is not kept)",
  }),
  landingUrl: Type.Union([Type.String(), Type.Null()], {
    description: "the page a deep link (`/r/<slug>?url=…`) landed on; null: the link's own destination",
  }),
});

const breakdownFilters = {
  by: Type.Optional(
    stringEnum(breakdownDimensions, {
      description:
        "link (default), a sub-id (sub1 … sub5), page (the page a deep link or a ?via= visit landed on), or the " +
        "visitor's country (two-letter code from COUNTRY_HEADER), device (desktop, mobile, tablet…), browser, os, " +
        "referrer (the referring site's host, without www.), or coupon (the partner's own code given at " +
        "checkout; clicks have none)",
    }),
  ),
  programId: Type.Optional(Type.String()),
  from: range.from,
  to: range.to,
};

const BreakdownSchema = Type.Object({
  by: Type.String(),
  rows: Type.Array(
    Type.Object({
      key: Type.Union([Type.String(), Type.Null()], {
        description:
          "the link id, sub-id value, page, country code, device, browser, OS or referring host; null: none or " +
          "unknown (also a conversion without a click: a coupon code, a lifetime binding)",
      }),
      linkSlug: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: "by link: the link's slug" })),
      clicks: Type.Integer(),
      leads: Type.Integer(),
      sales: Type.Integer(),
      revenue: Revenue,
    }),
  ),
});

/** A page of the console's links list: its ids, short enough for a URL. */
const MAX_LINK_IDS = 100;

const LinkCountsSchema = Type.Object({
  rows: Type.Array(
    Type.Object({
      linkId: Type.String(),
      clicks: Type.Integer(),
      leads: Type.Integer(),
      sales: Type.Integer(),
      revenue: Revenue,
    }),
    { description: "one per link of the program asked for, in the order asked, zeros included" },
  ),
});

const CouponCountsSchema = Type.Object({
  rows: Type.Array(
    Type.Object({
      couponId: Type.String(),
      leads: Type.Integer(),
      sales: Type.Integer(),
      revenue: Type.Record(Type.String(), Type.Integer(), {
        description: "the sales' amounts net of refunds, per currency, minor units",
      }),
    }),
    { description: "one per coupon code of the program, zeros included" },
  ),
});

const PartnerRankingSchema = Type.Object({
  active: Type.Integer({ description: "partners with a click or a credited conversion in the window" }),
  rows: Type.Array(
    Type.Object({
      partnerId: Type.String(),
      partnerName: Type.String(),
      clicks: Type.Integer(),
      leads: Type.Integer(),
      sales: Type.Integer(),
      revenue: Type.Record(Type.String(), Type.Integer(), {
        description: "the partner's share of credited revenue, net of refunds, per currency, minor units",
      }),
    }),
    {
      description:
        "the 100 best, by revenue in the program's currency, then sales, leads and clicks; a sale split between " +
        "partners counts for each",
    },
  ),
});

const breakdownOf = (
  ctx: Ctx,
  partnerId: string,
  query: { by?: BreakdownDimension | undefined; programId?: string | undefined; from?: string; to?: string },
) => {
  const { from, to } = window(ctx, query);
  return partnerBreakdown(ctx, { partnerId, by: query.by ?? "link", programId: query.programId, from, to });
};

export const statsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const read = teamAccess("partners:read", { apiKey: true });
  app.get(
    "/v1/stats",
    {
      config: { access: read },
      schema: {
        tags: ["tracking"],
        summary: "Clicks, leads, sales and credited revenue over time, for a program or a partner",
        querystring: Type.Object(
          {
            programId: Type.Optional(Type.String()),
            partnerId: Type.Optional(Type.String()),
            ...range,
            ...seriesTimeZone,
          },
          { additionalProperties: false },
        ),
        response: responses({ 200: SeriesSchema }),
      },
    },
    async (request) =>
      performanceSeries(request.ctx, {
        programId: request.query.programId,
        partnerId: request.query.partnerId,
        timeZone: request.query.timeZone,
        ...window(request.ctx, request.query),
      }),
  );
  app.get(
    "/v1/clicks",
    {
      config: { access: read },
      schema: {
        tags: ["tracking"],
        summary: "Counted clicks, newest first (bots are never stored)",
        querystring: Type.Object(
          {
            ...clickFilters,
            limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
            cursor: Type.Optional(Type.String()),
          },
          { additionalProperties: false },
        ),
        response: responses({ 200: page(ClickSchema) }),
      },
    },
    async (request) => listClicks(request.ctx, request.query),
  );
  app.get(
    "/v1/clicks/count",
    {
      config: { access: read },
      schema: {
        tags: ["tracking"],
        summary: "How many clicks the list holds with the same filters (its total, however many pages)",
        description:
          "A program's whole ended hours are read from its hourly rollup, a partner's or a link's whole ended UTC " +
          "days from the partners' daily rollup; only the partial hours or days at the range's ends and those not " +
          "rolled up yet (the last minutes, today) are counted click by click.",
        querystring: Type.Object(clickFilters, { additionalProperties: false }),
        response: responses({ 200: Type.Object({ count: Type.Integer({ minimum: 0 }) }) }),
      },
    },
    async (request) => countClicks(request.ctx, request.query),
  );
  app.get(
    "/v1/clicks/export",
    {
      config: { access: read },
      schema: {
        tags: ["tracking"],
        summary: "Counted clicks as a CSV download, newest first, with the same filters as the list",
        querystring: Type.Object(clickFilters, { additionalProperties: false }),
        response: csvResponses(CLICK_COLUMNS),
      },
    },
    // The first page is read before the answer starts: a bad range is still a 422 problem, not a broken file.
    async (request, reply) =>
      sendCsvPages(reply, {
        name: "clicks",
        now: request.ctx.clock.now(),
        columns: CLICK_COLUMNS,
        readPage: (cursor) => listClicks(request.ctx, { ...request.query, limit: 1000, cursor }),
        toRows: (items) => withClickNames(request.ctx, items),
      }),
  );
  app.get(
    "/v1/portal/stats",
    {
      config: { access: partnerAccess },
      schema: {
        tags: ["portal"],
        summary: "My clicks, leads, sales and revenue over time",
        querystring: Type.Object(
          { programId: Type.Optional(Type.String()), ...range, ...seriesTimeZone },
          { additionalProperties: false },
        ),
        response: responses({ 200: SeriesSchema }),
      },
    },
    async (request) => {
      const actor = request.ctx.actor;
      if (actor.type !== "partner") throw new AppError("forbidden", "partner users only");
      return performanceSeries(request.ctx, {
        programId: request.query.programId,
        partnerId: actor.partnerId,
        timeZone: request.query.timeZone,
        ...window(request.ctx, request.query),
      });
    },
  );
  app.get(
    "/v1/stats/breakdown",
    {
      config: { access: read },
      schema: {
        tags: ["tracking"],
        summary: "A partner's clicks, leads, sales and revenue per link or per sub-id, over a window",
        querystring: Type.Object(
          { partnerId: Type.String({ minLength: 1, maxLength: 64 }), ...breakdownFilters },
          { additionalProperties: false },
        ),
        response: responses({ 200: BreakdownSchema }),
      },
    },
    async (request) => breakdownOf(request.ctx, request.query.partnerId, request.query),
  );
  app.get(
    "/v1/stats/links",
    {
      config: { access: read },
      schema: {
        tags: ["tracking"],
        summary: "Clicks, leads, sales and revenue of each of some links of a program (a page of the links list)",
        querystring: Type.Object(
          {
            programId: Type.String({ minLength: 1, maxLength: 64 }),
            linkIds: Type.String({
              pattern: `^lnk_[0-9a-z]+(,lnk_[0-9a-z]+){0,${MAX_LINK_IDS - 1}}$`,
              maxLength: MAX_LINK_IDS * 40,
              description: `up to ${MAX_LINK_IDS} link ids, comma-separated`,
            }),
            from: range.from,
            to: range.to,
          },
          { additionalProperties: false },
        ),
        response: responses({ 200: LinkCountsSchema }),
      },
    },
    async (request) => {
      const { from, to } = window(request.ctx, request.query);
      return linkCounts(request.ctx, {
        programId: request.query.programId,
        linkIds: request.query.linkIds.split(","),
        from,
        to,
      });
    },
  );
  app.get(
    "/v1/stats/coupons",
    {
      config: { access: read },
      schema: {
        tags: ["tracking"],
        summary: "How each coupon code of a program was used: leads and sales that gave it, and their revenue",
        querystring: Type.Object(
          { programId: Type.String({ minLength: 1, maxLength: 64 }), from: range.from, to: range.to },
          { additionalProperties: false },
        ),
        response: responses({ 200: CouponCountsSchema }),
      },
    },
    async (request) =>
      couponCounts(request.ctx, { programId: request.query.programId, ...window(request.ctx, request.query) }),
  );
  app.get(
    "/v1/stats/partners",
    {
      config: { access: read },
      schema: {
        tags: ["tracking"],
        summary: "A program's partners ranked by what they brought over a window: clicks, leads, sales and revenue",
        querystring: Type.Object(
          { programId: Type.String({ minLength: 1, maxLength: 64 }), from: range.from, to: range.to },
          { additionalProperties: false },
        ),
        response: responses({ 200: PartnerRankingSchema }),
      },
    },
    async (request) =>
      partnerRanking(request.ctx, { programId: request.query.programId, ...window(request.ctx, request.query) }),
  );
  app.get(
    "/v1/portal/breakdown",
    {
      config: { access: partnerAccess },
      schema: {
        tags: ["portal"],
        summary: "My clicks, leads, sales and revenue per link or per sub-id, over a window",
        querystring: Type.Object(breakdownFilters, { additionalProperties: false }),
        response: responses({ 200: BreakdownSchema }),
      },
    },
    async (request) => {
      const actor = request.ctx.actor;
      if (actor.type !== "partner") throw new AppError("forbidden", "partner users only");
      return breakdownOf(request.ctx, actor.partnerId, request.query);
    },
  );
  app.get(
    "/v1/portal/conversions",
    {
      config: { access: partnerAccess },
      schema: {
        tags: ["portal"],
        summary: "Leads, sales and refunds credited to me, with my share",
        querystring: Type.Object(
          {
            programId: Type.Optional(Type.String()),
            kind: Type.Optional(stringEnum(conversionKinds)),
            limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
            cursor: Type.Optional(Type.String()),
          },
          { additionalProperties: false },
        ),
        response: responses({
          200: page(
            Type.Object({
              id: Type.String(),
              programId: Type.String(),
              programName: Type.String(),
              kind: stringEnum(conversionKinds),
              eventName: Type.Union([Type.String(), Type.Null()]),
              occurredAt: Type.String({ format: "date-time" }),
              currency: Type.Union([Type.String(), Type.Null()]),
              weightBps: Type.Integer(),
              amount: Type.Union([Type.Integer(), Type.Null()], {
                description: "my share, minor units; negative for refunds",
              }),
              refunded: Type.Boolean({ description: "a sale of which some or all was refunded" }),
              fullyRefunded: Type.Boolean({ description: "a sale refunded in full" }),
              viaCoupon: Type.Boolean(),
              review: Type.Union(
                [Type.Literal("on_hold"), Type.Literal("approved"), Type.Literal("rejected"), Type.Null()],
                {
                  description:
                    "on_hold: on hold — under review; approved or rejected: the outcome of the review; null: not under review",
                },
              ),
            }),
          ),
        }),
      },
    },
    async (request) => listMyConversions(request.ctx, request.query),
  );
};
