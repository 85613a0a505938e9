import { AppError, type FieldError } from "../../lib/errors.js";
import { type ClientInfo, createSession } from "../accounts/sessions.js";
import type { Ctx } from "../context.js";
import { findOpenProgramBySlug } from "../programs/get-program.js";
import { throwIfErrors } from "../programs/program-rules.js";
import { checkApplicantDetails, resolveApplicantAccount } from "./applicant-account.js";
import { createEnrollment, termsRequired } from "./create-enrollment.js";
import { toEnrollmentView } from "./enrollment-view.js";
import type { ApplyInput, PortalApplyInput } from "./enrollments.schemas.js";
import { validateAnswers } from "./validate-answers.js";

async function openProgramWithCheckedAnswers(ctx: Ctx, slug: string, input: PortalApplyInput, errors: FieldError[]) {
  const program = await findOpenProgramBySlug(ctx.db, slug);
  const answers = validateAnswers(program.applicationQuestions, input.answers ?? {}, errors);
  if (termsRequired(program) && !input.acceptTerms) {
    errors.push({ field: "/acceptTerms", message: "the program terms must be accepted to apply" });
  }
  throwIfErrors(errors);
  return { program, answers };
}

/**
 * The public application page: creates (or, with its password, reuses) the partner account, records the
 * answers and the accepted terms version, and signs the applicant in to the portal to follow the review.
 */
export async function applyToProgram(ctx: Ctx, slug: string, input: ApplyInput, client: ClientInfo = {}) {
  const errors: FieldError[] = [];
  checkApplicantDetails(input, errors);
  const { program, answers } = await openProgramWithCheckedAnswers(ctx, slug, input, errors);
  return ctx.db.transaction(async (tx) => {
    const applicantCtx = {
      ...ctx,
      actor: { type: "public" as const, label: input.email.trim().toLowerCase(), ip: ctx.actor.ip },
    };
    const account = await resolveApplicantAccount(tx, applicantCtx, input);
    const enrollment = await createEnrollment(tx, applicantCtx, {
      program,
      partnerId: account.partnerId,
      applicantEmail: account.email,
      answers,
      source: "application",
      status: "applied",
      termsAccepted: input.acceptTerms,
    });
    const session = await createSession(tx, ctx, {
      type: "partner",
      id: account.partnerUserId,
      ip: ctx.actor.ip,
      ...client,
    });
    return { enrollment: toEnrollmentView(enrollment), session };
  });
}

/** A signed-in partner applies to another open program for its organisation. */
export async function applyAsPartner(ctx: Ctx, slug: string, input: PortalApplyInput) {
  if (ctx.actor.type !== "partner") throw new AppError("forbidden", "only partner users apply from the portal");
  const actor = ctx.actor;
  const { program, answers } = await openProgramWithCheckedAnswers(ctx, slug, input, []);
  return ctx.db.transaction(async (tx) => {
    const enrollment = await createEnrollment(tx, ctx, {
      program,
      partnerId: actor.partnerId,
      applicantEmail: actor.label,
      answers,
      source: "application",
      status: "applied",
      termsAccepted: input.acceptTerms,
    });
    return toEnrollmentView(enrollment);
  });
}
