import { and, asc, eq } from "drizzle-orm";
import { auditLog, commissionEntries, teamUsers } from "../../db/schema/index.js";
import { AppError } from "../../lib/errors.js";
import type { Ctx } from "../context.js";
import { actingTeamMember, auditActor } from "../governance/audit-actor.js";

/**
 * Who did what to one ledger entry, oldest first: its manual creation and every status decision (approve, hold,
 * reject), read from the audit log, with the actor named for a reader (`auditActor`).
 */
export async function listCommissionHistory(ctx: Ctx, id: string) {
  const [entry] = await ctx.db
    .select({ id: commissionEntries.id })
    .from(commissionEntries)
    .where(eq(commissionEntries.id, id));
  if (!entry) throw new AppError("not_found", `commission ${id} not found`);
  const rows = await ctx.db
    .select({ audit: auditLog, memberName: teamUsers.name, memberEmail: teamUsers.email })
    .from(auditLog)
    .leftJoin(teamUsers, actingTeamMember)
    .where(and(eq(auditLog.entityType, "commission"), eq(auditLog.entityId, id)))
    .orderBy(asc(auditLog.at), asc(auditLog.id));
  return {
    items: rows.map(({ audit, memberName, memberEmail }) => {
      const after = (audit.after ?? {}) as { status?: unknown; reason?: unknown };
      return {
        at: audit.at.toISOString(),
        action: audit.action.replace(/^commission\./, ""),
        status: typeof after.status === "string" ? after.status : null,
        reason: typeof after.reason === "string" && after.reason ? after.reason : null,
        actor: auditActor({ ...audit, memberName, memberEmail }),
      };
    }),
  };
}
