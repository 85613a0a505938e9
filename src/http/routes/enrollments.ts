import { type FastifyPluginAsyncTypebox, Type } from "@fastify/type-provider-typebox";
import { enrollmentActions } from "../../domain/enrollments/enrollment-lifecycle.js";
import { toEnrollmentView } from "../../domain/enrollments/enrollment-view.js";
import {
  EnrollmentSchema,
  EnrollmentStatusSchema,
  TransitionSchema,
  UpdateEnrollmentSchema,
} from "../../domain/enrollments/enrollments.schemas.js";
import { getEnrollment, listEnrollments } from "../../domain/enrollments/list-enrollments.js";
import { setEnrollmentTier } from "../../domain/enrollments/set-enrollment-tier.js";
import { transitionEnrollment } from "../../domain/enrollments/transition-enrollment.js";
import { teamAccess } from "../access.js";
import { IdParams, page, responses } from "../schemas.js";

const tags = ["enrollments"];
const read = teamAccess("partners:read", { apiKey: true });
const write = teamAccess("partners:write", { apiKey: true });

const summaries: Record<(typeof enrollmentActions)[number], string> = {
  approve: "Approve an application (active at once if the partner already accepted the current terms)",
  reject: "Reject an application; reason required",
  activate: "Activate an approved enrollment, or reactivate a suspended one",
  suspend: "Suspend an active enrollment; reason required",
  terminate: "Terminate an enrollment in any state; reason required",
};

export const enrollmentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/enrollments",
    {
      config: { access: read },
      schema: {
        tags,
        summary: "Enrollments and the applications review queue (status=applied)",
        querystring: Type.Object(
          {
            programId: Type.Optional(Type.String()),
            partnerId: Type.Optional(Type.String()),
            status: Type.Optional(EnrollmentStatusSchema),
            q: Type.Optional(Type.String({ maxLength: 200, description: "partner name or applicant email" })),
            limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
            cursor: Type.Optional(Type.String()),
          },
          { additionalProperties: false },
        ),
        response: responses({ 200: page(EnrollmentSchema) }),
      },
    },
    async (request) => listEnrollments(request.ctx, request.query),
  );
  app.get(
    "/enrollments/:id",
    {
      config: { access: read },
      schema: {
        tags,
        summary: "One enrollment with the application answers",
        params: IdParams,
        response: responses({ 200: EnrollmentSchema }),
      },
    },
    async (request) => getEnrollment(request.ctx, request.params.id),
  );
  app.patch(
    "/enrollments/:id",
    {
      config: { access: write },
      schema: {
        tags,
        summary: "Set the partner's tier in this program",
        params: IdParams,
        body: UpdateEnrollmentSchema,
        response: responses({ 200: EnrollmentSchema }),
      },
    },
    async (request) => setEnrollmentTier(request.ctx, request.params.id, request.body),
  );
  for (const action of enrollmentActions) {
    app.post(
      `/enrollments/:id/${action}`,
      {
        config: { access: write },
        schema: {
          tags,
          summary: summaries[action],
          params: IdParams,
          body: TransitionSchema,
          response: responses({ 200: EnrollmentSchema }),
        },
      },
      async (request) => {
        const after = await transitionEnrollment(request.ctx, request.params.id, action, request.body?.reason);
        return toEnrollmentView(after);
      },
    );
  }
};
