import { teamUsers } from "../../db/schema/index.js";
import { hashPassword } from "../../lib/crypto.js";
import { newId } from "../../lib/ids.js";
import type { Ctx } from "../context.js";
import { recordAudit } from "../governance/record-audit.js";
import { uniqueViolation } from "../unique-violation.js";
import { assertPasswordAcceptable, normalizeEmail } from "./password-policy.js";
import { type CreateTeamUserInput, toTeamUserView } from "./team-users.schemas.js";

export async function createTeamUser(ctx: Ctx, input: CreateTeamUserInput) {
  const email = normalizeEmail(input.email);
  assertPasswordAcceptable(input.password, "/password", email);
  const passwordHash = await hashPassword(input.password);
  const now = ctx.clock.now();
  return uniqueViolation({ team_users_email_key: ["/email", "a team member with this email already exists"] }, () =>
    ctx.db.transaction(async (tx) => {
      const [user] = await tx
        .insert(teamUsers)
        .values({
          id: newId("teamUser", now),
          email,
          name: input.name.trim(),
          role: input.role,
          passwordHash,
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      if (!user) throw new Error("insert returned no row");
      await recordAudit(tx, ctx, {
        action: "team_user.create",
        entityType: "team_user",
        entityId: user.id,
        after: user,
      });
      return toTeamUserView(user);
    }),
  );
}
