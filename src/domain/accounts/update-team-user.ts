import { and, eq, isNull, ne, sql } from "drizzle-orm";
import { teamUsers } from "../../db/schema/index.js";
import { AppError } from "../../lib/errors.js";
import type { Ctx } from "../context.js";
import { recordAudit } from "../governance/record-audit.js";
import { deleteSessionsOf } from "./sessions.js";
import { toTeamUserView, type UpdateTeamUserInput } from "./team-users.schemas.js";

/** Renames, changes role, or disables/enables a team member. The last active owner can be neither demoted nor disabled. */
export async function updateTeamUser(ctx: Ctx, userId: string, input: UpdateTeamUserInput) {
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx.select().from(teamUsers).where(eq(teamUsers.id, userId)).for("update");
    if (!before) throw new AppError("not_found", `team user ${userId} not found`);
    const losesOwner =
      before.role === "owner" &&
      before.disabledAt === null &&
      ((input.role && input.role !== "owner") || input.disabled === true);
    if (losesOwner) {
      const [other] = await tx
        .select({ n: sql<number>`count(*)::int` })
        .from(teamUsers)
        .where(and(eq(teamUsers.role, "owner"), isNull(teamUsers.disabledAt), ne(teamUsers.id, userId)));
      if ((other?.n ?? 0) === 0)
        throw new AppError("invalid_state", "the last active owner cannot be demoted or disabled");
    }
    const now = ctx.clock.now();
    const disabledAt =
      input.disabled === undefined ? before.disabledAt : input.disabled ? (before.disabledAt ?? now) : null;
    const [after] = await tx
      .update(teamUsers)
      .set({ name: input.name?.trim() ?? before.name, role: input.role ?? before.role, disabledAt, updatedAt: now })
      .where(eq(teamUsers.id, userId))
      .returning();
    if (!after) throw new Error("update returned no row");
    if (disabledAt) await deleteSessionsOf(tx, "team", userId);
    await recordAudit(tx, ctx, {
      action: "team_user.update",
      entityType: "team_user",
      entityId: userId,
      before,
      after,
    });
    return toTeamUserView(after);
  });
}
