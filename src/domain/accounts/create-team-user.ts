import type { Db } from "../../db/client.js";
import { type TeamRole, teamUsers } from "../../db/schema/index.js";
import { hashPassword } from "../../lib/crypto.js";
import { newId } from "../../lib/ids.js";
import type { Ctx } from "../context.js";
import { recordAudit } from "../governance/record-audit.js";
import { uniqueViolation } from "../unique-violation.js";
import { assertPasswordAcceptable, normalizeEmail } from "./password-policy.js";
import { type CreateTeamUserInput, toTeamUserView } from "./team-users.schemas.js";

/** Validates and hashes, then inserts and audits inside `tx`; shared by the owner's first run and team management. */
export async function insertTeamUser(
  tx: Db,
  ctx: Pick<Ctx, "actor" | "clock">,
  input: { email: string; name: string; role: TeamRole; password: string },
  action: string,
) {
  const email = normalizeEmail(input.email);
  assertPasswordAcceptable(input.password, "/password", email);
  const passwordHash = await hashPassword(input.password);
  const now = ctx.clock.now();
  const [user] = await uniqueViolation(
    { team_users_email_key: ["/email", "a team member with this email already exists"] },
    () =>
      tx
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
        .returning(),
  );
  if (!user) throw new Error("insert returned no row");
  await recordAudit(tx, ctx, { action, entityType: "team_user", entityId: user.id, after: user });
  return user;
}

export async function createTeamUser(ctx: Ctx, input: CreateTeamUserInput) {
  return ctx.db.transaction(async (tx) => toTeamUserView(await insertTeamUser(tx, ctx, input, "team_user.create")));
}
