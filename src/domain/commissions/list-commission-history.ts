import { and, asc, eq } from "drizzle-orm";
import { auditLog, commissionEntries, teamUsers } from "../../db/schema/index.js";
import { AppError } from "../../lib/errors.js";
import type { Ctx } from "../context.js";

/**
 * Who did what to one ledger entry, oldest first: its manual creation and every status decision (approve, hold,
 * reject), read from the audit log. A team member is named by name and email as they are now (the audit row keeps
 * the id, which says nothing to a reader); API keys, the fraud engine and jobs keep the label they acted under.
 */
export async function listCommissionHistory(ctx: Ctx, id: string) {
  const [entry] = await ctx.db
    .select({ id: commissionEntries.id })
    .from(commissionEntries)
    .where(eq(commissionEntries.id, id));
  if (!entry) throw new AppError("not_found", `commission ${id} not found`);
  const rows = await ctx.db
    .select({ audit: auditLog, name: teamUsers.name, email: teamUsers.email })
    .from(auditLog)
    .leftJoin(teamUsers, and(eq(auditLog.actorType, "team"), eq(teamUsers.id, auditLog.actorId)))
    .where(and(eq(auditLog.entityType, "commission"), eq(auditLog.entityId, id)))
    .orderBy(asc(auditLog.at), asc(auditLog.id));
  return {
    items: rows.map(({ audit, name, email }) => {
      const after = (audit.after ?? {}) as { status?: unknown; reason?: unknown };
      return {
        at: audit.at.toISOString(),
        action: audit.action.replace(/^commission\./, ""),
        status: typeof after.status === "string" ? after.status : null,
        reason: typeof after.reason === "string" && after.reason ? after.reason : null,
        actor: {
          type: audit.actorType,
          name: name ?? audit.actorLabel,
          email: email ?? null,
        },
      };
    }),
  };
}
