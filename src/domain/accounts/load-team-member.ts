import { eq } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { teamUsers } from "../../db/schema/index.js";
import { AppError } from "../../lib/errors.js";
import { rolePermissions } from "./permissions.js";
import { toTeamUserView } from "./team-users.schemas.js";

/** A team member and what the role permits: what the console needs to know about who is signed in. */
export async function loadTeamMember(db: Db, userId: string) {
  const [user] = await db.select().from(teamUsers).where(eq(teamUsers.id, userId));
  if (!user) throw new AppError("unauthorized", "account not found");
  return { user: toTeamUserView(user), permissions: [...rolePermissions[user.role]] };
}
