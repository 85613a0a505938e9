import { and, desc, eq, gte, like, lt, type SQL } from "drizzle-orm";
import { escapeLike } from "../../db/like-pattern.js";
import { type ActorType, auditLog } from "../../db/schema/index.js";
import type { Ctx } from "../context.js";

export interface AuditQuery {
  entityType?: string | undefined;
  entityId?: string | undefined;
  actorType?: ActorType | undefined;
  actorId?: string | undefined;
  action?: string | undefined;
  programId?: string | undefined;
  partnerId?: string | undefined;
  since?: string | undefined;
  until?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

/** Newest first; `action` matches a prefix so `enrollment.` lists every enrollment change. */
export async function listAuditLog(ctx: Ctx, query: AuditQuery) {
  const where: SQL[] = [];
  if (query.entityType) where.push(eq(auditLog.entityType, query.entityType));
  if (query.entityId) where.push(eq(auditLog.entityId, query.entityId));
  if (query.actorType) where.push(eq(auditLog.actorType, query.actorType));
  if (query.actorId) where.push(eq(auditLog.actorId, query.actorId));
  if (query.action) where.push(like(auditLog.action, `${escapeLike(query.action)}%`));
  if (query.programId) where.push(eq(auditLog.programId, query.programId));
  if (query.partnerId) where.push(eq(auditLog.partnerId, query.partnerId));
  if (query.since) where.push(gte(auditLog.at, new Date(query.since)));
  if (query.until) where.push(lt(auditLog.at, new Date(query.until)));
  if (query.cursor) where.push(lt(auditLog.id, query.cursor));
  const rows = await ctx.db
    .select()
    .from(auditLog)
    .where(and(...where))
    .orderBy(desc(auditLog.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  return {
    items: page.map((r) => ({ ...r, at: r.at.toISOString() })),
    nextCursor: rows.length > query.limit ? (page.at(-1)?.id ?? null) : null,
  };
}
