import { and, eq } from "drizzle-orm";
import { type ActorType, auditLog, teamUsers } from "../../db/schema/index.js";

/**
 * The condition that left-joins an audit row to the team member who acted: API keys, partners, jobs and the fraud
 * engine find none and keep the label they acted under.
 */
export const actingTeamMember = and(eq(auditLog.actorType, "team"), eq(teamUsers.id, auditLog.actorId));

/**
 * Who did it, for a reader: a team member by name and email as they are now (the audit row keeps the id, which says
 * nothing to a reader, and the email of the day); anyone else by the label it acted under ("API key Shop backend").
 */
export const auditActor = (row: {
  actorType: ActorType;
  actorLabel: string;
  memberName: string | null;
  memberEmail: string | null;
}) => ({ type: row.actorType, name: row.memberName ?? row.actorLabel, email: row.memberEmail ?? null });
