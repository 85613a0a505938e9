import { sql } from "drizzle-orm";
import { teamUsers } from "../../db/schema/index.js";
import { hashPassword } from "../../lib/crypto.js";
import { AppError } from "../../lib/errors.js";
import { newId } from "../../lib/ids.js";
import type { Ctx } from "../context.js";
import { recordAudit } from "../governance/record-audit.js";
import { assertPasswordAcceptable, normalizeEmail } from "./password-policy.js";

export interface SetUpOwnerInput {
  email: string;
  name: string;
  password: string;
}

// Serialises concurrent first-run requests so exactly one owner is created.
const FIRST_RUN_LOCK = 7_230_002;

export const countTeamUsers = async (ctx: Pick<Ctx, "db">): Promise<number> => {
  const [row] = await ctx.db.select({ n: sql<number>`count(*)::int` }).from(teamUsers);
  return row?.n ?? 0;
};

/** First run only: creates the owner account while no team user exists yet. */
export async function setUpOwner(ctx: Ctx, input: SetUpOwnerInput) {
  const email = normalizeEmail(input.email);
  assertPasswordAcceptable(input.password, "/password", email);
  const passwordHash = await hashPassword(input.password);
  return ctx.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${FIRST_RUN_LOCK})`);
    if ((await countTeamUsers({ db: tx })) > 0) {
      throw new AppError("conflict", "the owner account already exists; log in instead");
    }
    const now = ctx.clock.now();
    const [user] = await tx
      .insert(teamUsers)
      .values({
        id: newId("teamUser", now),
        email,
        name: input.name.trim(),
        role: "owner",
        passwordHash,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    if (!user) throw new Error("insert returned no row");
    await recordAudit(
      tx,
      { ...ctx, actor: { type: "public", label: email, ip: ctx.actor.ip } },
      {
        action: "team_user.create_owner",
        entityType: "team_user",
        entityId: user.id,
        after: user,
      },
    );
    return user;
  });
}
