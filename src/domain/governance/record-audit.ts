import type { Db } from "../../db/client.js";
import { auditLog } from "../../db/schema/index.js";
import { newId } from "../../lib/ids.js";
import type { Ctx } from "../context.js";

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId: string;
  programId?: string | null;
  partnerId?: string | null;
  before?: unknown;
  after?: unknown;
}

const SECRET_FIELDS = new Set(["passwordHash", "secretHash", "tokenHash"]);

/** Secrets never reach the audit log, even hashed. */
const redact = (value: unknown): unknown => {
  if (value === null || value === undefined || typeof value !== "object" || Array.isArray(value)) return value ?? null;
  return Object.fromEntries(Object.entries(value).filter(([key]) => !SECRET_FIELDS.has(key)));
};

/** Call inside the transaction that makes the change, so the change and its audit row commit or fail together. */
export async function recordAudit(tx: Db, ctx: Pick<Ctx, "actor" | "clock">, entry: AuditEntry): Promise<void> {
  const at = ctx.clock.now();
  await tx.insert(auditLog).values({
    id: newId("audit", at),
    at,
    actorType: ctx.actor.type,
    actorId: "id" in ctx.actor ? ctx.actor.id : null,
    actorLabel: ctx.actor.label,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    programId: entry.programId ?? null,
    partnerId: entry.partnerId ?? null,
    before: redact(entry.before),
    after: redact(entry.after),
    ip: ctx.actor.ip ?? null,
  });
}
