import { eq } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { invitations, programs } from "../../db/schema/index.js";
import { sha256 } from "../../lib/crypto.js";
import { AppError, type FieldError } from "../../lib/errors.js";
import { type ClientInfo, createSession } from "../accounts/sessions.js";
import type { Ctx } from "../context.js";
import { checkApplicantDetails, resolveApplicantAccount } from "../enrollments/applicant-account.js";
import { createEnrollment, termsRequired } from "../enrollments/create-enrollment.js";
import { toEnrollmentView } from "../enrollments/enrollment-view.js";
import type { AcceptInvitationInput } from "../enrollments/enrollments.schemas.js";
import { applyEnrollmentTransition } from "../enrollments/transition-enrollment.js";
import { recordAudit } from "../governance/record-audit.js";
import { throwIfErrors } from "../programs/program-rules.js";
import { toPublicProgramView } from "../programs/program-view.js";
import { invitationStatus } from "./invitation-view.js";

async function findUsableInvitation(db: Db, token: string, now: Date, lock = false) {
  const query = db
    .select()
    .from(invitations)
    .where(eq(invitations.tokenHash, sha256(token)));
  const [invitation] = lock ? await query.for("update") : await query;
  if (!invitation) throw new AppError("not_found", "this invitation link is not valid");
  const status = invitationStatus(invitation, now);
  if (status !== "pending")
    throw new AppError("invalid_state", `this invitation is ${status}`, { extra: { invitationStatus: status } });
  const [program] = await db.select().from(programs).where(eq(programs.id, invitation.programId));
  if (!program || program.status === "archived")
    throw new AppError("not_found", "the program of this invitation is closed");
  return { invitation, program };
}

export async function getInvitation(ctx: Ctx, token: string) {
  const { invitation, program } = await findUsableInvitation(ctx.db, token, ctx.clock.now());
  return {
    email: invitation.email,
    expiresAt: invitation.expiresAt.toISOString(),
    program: toPublicProgramView(program),
  };
}

/** An invited partner skips the review: the enrollment starts approved, and active once the terms are accepted. */
export async function acceptInvitation(ctx: Ctx, token: string, input: AcceptInvitationInput, client: ClientInfo = {}) {
  const errors: FieldError[] = [];
  checkApplicantDetails(input, errors);
  return ctx.db.transaction(async (tx) => {
    const now = ctx.clock.now();
    const { invitation, program } = await findUsableInvitation(tx, token, now, true);
    if (termsRequired(program) && !input.acceptTerms)
      errors.push({ field: "/acceptTerms", message: "the program terms must be accepted" });
    throwIfErrors(errors);
    const inviteeCtx = { ...ctx, actor: { type: "public" as const, label: invitation.email, ip: ctx.actor.ip } };
    const account = await resolveApplicantAccount(tx, inviteeCtx, { ...input, email: invitation.email });
    let enrollment = await createEnrollment(tx, inviteeCtx, {
      program,
      partnerId: account.partnerId,
      applicantEmail: account.email,
      answers: {},
      source: "invitation",
      status: "approved",
      termsAccepted: input.acceptTerms,
    });
    if (input.acceptTerms) enrollment = await applyEnrollmentTransition(tx, inviteeCtx, enrollment, "activate");
    const [accepted] = await tx
      .update(invitations)
      .set({ acceptedAt: now })
      .where(eq(invitations.id, invitation.id))
      .returning();
    await recordAudit(tx, inviteeCtx, {
      action: "invitation.accept",
      entityType: "invitation",
      entityId: invitation.id,
      programId: program.id,
      partnerId: account.partnerId,
      before: invitation,
      after: accepted,
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
