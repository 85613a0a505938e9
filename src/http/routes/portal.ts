import { type FastifyPluginAsyncTypebox, Type } from "@fastify/type-provider-typebox";
import { changePassword } from "../../domain/accounts/change-password.js";
import { logIn } from "../../domain/accounts/log-in.js";
import { logOut } from "../../domain/accounts/log-out.js";
import { acceptTerms } from "../../domain/enrollments/accept-terms.js";
import { applyAsPartner } from "../../domain/enrollments/apply-to-program.js";
import {
  AcceptTermsSchema,
  EnrollmentSchema,
  PortalApplySchema,
} from "../../domain/enrollments/enrollments.schemas.js";
import { getEnrollment } from "../../domain/enrollments/list-enrollments.js";
import { createLink } from "../../domain/links/create-link.js";
import { CouponSchema, CreateLinkSchema, LinkSchema, UpdateLinkSchema } from "../../domain/links/links.schemas.js";
import { listCoupons, listLinks } from "../../domain/links/list-links.js";
import { updateLink } from "../../domain/links/update-link.js";
import { PartnerSchema, UpdatePartnerSchema } from "../../domain/partners/partners.schemas.js";
import { updatePartner } from "../../domain/partners/update-partner.js";
import { getPortalProfile, loadPortalProfile } from "../../domain/portal/get-portal-profile.js";
import { listMyEnrollments } from "../../domain/portal/list-my-enrollments.js";
import { listOpenPrograms } from "../../domain/portal/list-open-programs.js";
import { PortalEnrollmentSchema, PortalMeSchema } from "../../domain/portal/portal.schemas.js";
import { PublicProgramSchema } from "../../domain/programs/programs.schemas.js";
import { partnerAccess, publicAccess } from "../access.js";
import { sessionCookie } from "../authenticate.js";
import { partnerClient } from "../device-cookie.js";
import { partnerOf } from "../partner-of.js";
import { ChangePasswordSchema, IdParams, LoginSchema, Ok, responses, SlugParams } from "../schemas.js";
import { clearSessionCookie, setSessionCookie } from "../session-cookie.js";

const tags = ["portal"];

export const portalRoutes =
  (loginsPerMinute: number): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      "/auth/login",
      {
        config: { access: publicAccess, rateLimit: { max: loginsPerMinute, timeWindow: "1 minute" } },
        schema: {
          tags,
          summary: "Partner portal sign-in; sets the partner session cookie",
          body: LoginSchema,
          response: responses({ 200: PortalMeSchema }),
        },
      },
      async (request, reply) => {
        const { session, accountId } = await logIn(request.ctx, {
          subject: "partner",
          ...request.body,
          ...partnerClient(request, reply),
        });
        setSessionCookie(reply, request, "partner", session);
        return loadPortalProfile(request.ctx.db, accountId);
      },
    );
    app.post(
      "/auth/logout",
      {
        config: { access: publicAccess },
        schema: { tags, summary: "Partner portal sign-out", response: responses({ 200: Ok }) },
      },
      async (request, reply) => {
        const token = request.cookies[sessionCookie.partner];
        if (token) await logOut(request.ctx, token);
        clearSessionCookie(reply, "partner");
        return { ok: true };
      },
    );
    app.post(
      "/auth/password",
      {
        config: { access: partnerAccess, rateLimit: { max: 10, timeWindow: "1 minute" } },
        schema: {
          tags,
          summary: "Change your portal password; your other sessions end",
          body: ChangePasswordSchema,
          response: responses({ 200: Ok }),
        },
      },
      async (request) => {
        const me = partnerOf(request.ctx);
        await changePassword(request.ctx, {
          subject: "partner",
          accountId: me.id,
          ...request.body,
          currentSessionToken: request.sessionToken,
        });
        return { ok: true };
      },
    );
    app.get(
      "/me",
      {
        config: { access: partnerAccess },
        schema: {
          tags,
          summary: "The signed-in partner user and organisation",
          response: responses({ 200: PortalMeSchema }),
        },
      },
      async (request) => getPortalProfile(request.ctx),
    );
    app.patch(
      "/partner",
      {
        config: { access: partnerAccess },
        schema: {
          tags,
          summary: "Update your organisation's profile",
          body: UpdatePartnerSchema,
          response: responses({ 200: PartnerSchema }),
        },
      },
      async (request) => updatePartner(request.ctx, partnerOf(request.ctx).partnerId, request.body),
    );
    app.get(
      "/enrollments",
      {
        config: { access: partnerAccess },
        schema: {
          tags,
          summary: "My programs and their status",
          response: responses({ 200: Type.Object({ items: Type.Array(PortalEnrollmentSchema) }) }),
        },
      },
      async (request) => ({ items: await listMyEnrollments(request.ctx) }),
    );
    app.get(
      "/enrollments/:id",
      {
        config: { access: partnerAccess },
        schema: {
          tags,
          summary: "One of my enrollments",
          params: IdParams,
          response: responses({ 200: EnrollmentSchema }),
        },
      },
      async (request) => getEnrollment(request.ctx, request.params.id, { partnerId: partnerOf(request.ctx).partnerId }),
    );
    app.post(
      "/enrollments/:id/accept-terms",
      {
        config: { access: partnerAccess },
        schema: {
          tags,
          summary: "Accept the program's current terms; an approved enrollment becomes active",
          params: IdParams,
          body: AcceptTermsSchema,
          response: responses({ 200: EnrollmentSchema }),
        },
      },
      async (request) => acceptTerms(request.ctx, request.params.id, request.body.termsVersion),
    );
    app.get(
      "/links",
      {
        config: { access: partnerAccess },
        schema: {
          tags,
          summary: "My tracked links",
          response: responses({ 200: Type.Object({ items: Type.Array(LinkSchema) }) }),
        },
      },
      async (request) => ({ items: await listLinks(request.ctx, {}) }),
    );
    app.post(
      "/enrollments/:id/links",
      {
        config: { access: partnerAccess },
        schema: {
          tags,
          summary: "Create a custom link (destination on the program's allowed domains)",
          params: IdParams,
          body: CreateLinkSchema,
          response: responses({ 201: LinkSchema }),
        },
      },
      async (request, reply) => reply.status(201).send(await createLink(request.ctx, request.params.id, request.body)),
    );
    app.patch(
      "/links/:id",
      {
        config: { access: partnerAccess },
        schema: {
          tags,
          summary: "Change or disable one of my links",
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
        config: { access: partnerAccess },
        schema: {
          tags,
          summary: "My coupon codes",
          response: responses({ 200: Type.Object({ items: Type.Array(CouponSchema) }) }),
        },
      },
      async (request) => ({ items: await listCoupons(request.ctx, {}) }),
    );
    app.get(
      "/programs",
      {
        config: { access: partnerAccess },
        schema: {
          tags,
          summary: "Open programs to apply to, and whether my organisation is enrolled",
          response: responses({
            200: Type.Object({
              items: Type.Array(Type.Object({ ...PublicProgramSchema.properties, enrolled: Type.Boolean() })),
            }),
          }),
        },
      },
      async (request) => ({ items: await listOpenPrograms(request.ctx) }),
    );
    app.post(
      "/programs/:slug/applications",
      {
        config: { access: partnerAccess },
        schema: {
          tags,
          summary: "Apply to another open program as your organisation",
          params: SlugParams,
          body: PortalApplySchema,
          response: responses({ 201: EnrollmentSchema }),
        },
      },
      async (request, reply) =>
        reply.status(201).send(await applyAsPartner(request.ctx, request.params.slug, request.body)),
    );
  };
