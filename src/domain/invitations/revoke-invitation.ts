import { eq } from "drizzle-orm";
import { invitations } from "../../db/schema/index.js";
import { AppError } from "../../lib/errors.js";
import type { Ctx } from "../context.js";
import { recordAudit } from "../governance/record-audit.js";
import { invitationStatus, toInvitationView } from "./invitation-view.js";

/** A pending invitation's link stops working; accepted or expired ones cannot be revoked. */
export async function revokeInvitation(ctx: Ctx, invitationId: string) {
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx.select().from(invitations).where(eq(invitations.id, invitationId)).for("update");
    if (!before) throw new AppError("not_found", `invitation ${invitationId} not found`);
    const now = ctx.clock.now();
    const status = invitationStatus(before, now);
    if (status !== "pending")
      throw new AppError("invalid_state", `this invitation is ${status}`, { extra: { invitationStatus: status } });
    const [after] = await tx
      .update(invitations)
      .set({ revokedAt: now })
      .where(eq(invitations.id, invitationId))
      .returning();
    if (!after) throw new Error("update returned no row");
    await recordAudit(tx, ctx, {
      action: "invitation.revoke",
      entityType: "invitation",
      entityId: invitationId,
      programId: after.programId,
      before,
      after,
    });
    return toInvitationView(after, now);
  });
}
