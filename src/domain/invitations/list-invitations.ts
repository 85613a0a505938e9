import { desc, eq } from "drizzle-orm";
import { invitations } from "../../db/schema/index.js";
import type { Ctx } from "../context.js";
import { toInvitationView } from "./invitation-view.js";

export async function listInvitations(ctx: Ctx, programId: string) {
  const rows = await ctx.db
    .select()
    .from(invitations)
    .where(eq(invitations.programId, programId))
    .orderBy(desc(invitations.id));
  const now = ctx.clock.now();
  return rows.map((i) => toInvitationView(i, now));
}
