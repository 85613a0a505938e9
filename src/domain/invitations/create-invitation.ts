import { invitations } from "../../db/schema/index.js";
import { randomToken, sha256 } from "../../lib/crypto.js";
import { AppError } from "../../lib/errors.js";
import { newId } from "../../lib/ids.js";
import { normalizeEmail } from "../accounts/password-policy.js";
import type { Ctx } from "../context.js";
import { recordAudit } from "../governance/record-audit.js";
import { findProgram } from "../programs/get-program.js";
import { toInvitationView } from "./invitation-view.js";
import type { CreateInvitationInput } from "./invitations.schemas.js";

/** Invites a partner to a program; the link carries a one-time token shown only in this answer. */
export async function createInvitation(ctx: Ctx, programId: string, input: CreateInvitationInput) {
  const program = await findProgram(ctx.db, programId);
  if (!program) throw new AppError("not_found", `program ${programId} not found`);
  if (program.status === "archived")
    throw new AppError("invalid_state", "cannot invite partners to an archived program");
  const now = ctx.clock.now();
  const token = randomToken();
  return ctx.db.transaction(async (tx) => {
    const [invitation] = await tx
      .insert(invitations)
      .values({
        id: newId("invitation", now),
        programId,
        email: normalizeEmail(input.email),
        tokenHash: sha256(token),
        createdBy: "id" in ctx.actor ? ctx.actor.id : ctx.actor.label,
        createdAt: now,
        expiresAt: new Date(now.getTime() + (input.expiresInDays ?? 14) * 86_400_000),
      })
      .returning();
    if (!invitation) throw new Error("insert returned no row");
    await recordAudit(tx, ctx, {
      action: "invitation.create",
      entityType: "invitation",
      entityId: invitation.id,
      programId,
      after: invitation,
    });
    const path = `/portal/invite/${token}`;
    return {
      invitation: toInvitationView(invitation, now),
      token,
      url: ctx.config.publicUrl ? new URL(path, ctx.config.publicUrl).href : path,
    };
  });
}
