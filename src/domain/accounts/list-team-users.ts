import { asc } from "drizzle-orm";
import { teamUsers } from "../../db/schema/index.js";
import type { Ctx } from "../context.js";
import { toTeamUserView } from "./team-users.schemas.js";

export async function listTeamUsers(ctx: Ctx) {
  const rows = await ctx.db.select().from(teamUsers).orderBy(asc(teamUsers.createdAt));
  return rows.map(toTeamUserView);
}
