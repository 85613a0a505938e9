import type { invitations } from "../../db/schema/index.js";
import type { InvitationView } from "./invitations.schemas.js";

type InvitationRow = typeof invitations.$inferSelect;

export const invitationStatus = (i: InvitationRow, now: Date): InvitationView["status"] => {
  if (i.acceptedAt) return "accepted";
  if (i.revokedAt) return "revoked";
  return i.expiresAt <= now ? "expired" : "pending";
};

export const toInvitationView = (i: InvitationRow, now: Date): InvitationView => ({
  id: i.id,
  programId: i.programId,
  email: i.email,
  status: invitationStatus(i, now),
  createdAt: i.createdAt.toISOString(),
  expiresAt: i.expiresAt.toISOString(),
  acceptedAt: i.acceptedAt?.toISOString() ?? null,
});
