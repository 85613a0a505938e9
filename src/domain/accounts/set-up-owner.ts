import { sql } from "drizzle-orm";
import { teamUsers } from "../../db/schema/index.js";
import { AppError } from "../../lib/errors.js";
import type { Ctx } from "../context.js";
import { insertTeamUser } from "./create-team-user.js";
import { normalizeEmail } from "./password-policy.js";

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
  return ctx.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${FIRST_RUN_LOCK})`);
    if ((await countTeamUsers({ db: tx })) > 0) {
      throw new AppError("conflict", "the owner account already exists; log in instead");
    }
    const applicant = {
      ...ctx,
      actor: { type: "public" as const, label: normalizeEmail(input.email), ip: ctx.actor.ip },
    };
    return insertTeamUser(tx, applicant, { ...input, role: "owner" }, "team_user.create_owner");
  });
}
