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

// Money columns are bigint, which JSON cannot carry: the log keeps them as decimal strings.
const jsonSafe = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v)));

/** Secrets never reach the audit log, even hashed. */
const redact = (value: unknown): unknown => {
  if (value === null || value === undefined) return null;
  if (typeof value !== "object" || Array.isArray(value)) return jsonSafe(value);
  return jsonSafe(Object.fromEntries(Object.entries(value).filter(([key]) => !SECRET_FIELDS.has(key))));
};

const auditRow = (ctx: Pick<Ctx, "actor" | "clock">, entry: AuditEntry, at: Date) => ({
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

/** Call inside the transaction that makes the change, so the change and its audit row commit or fail together. */
export async function recordAudit(tx: Db, ctx: Pick<Ctx, "actor" | "clock">, entry: AuditEntry): Promise<void> {
  await tx.insert(auditLog).values(auditRow(ctx, entry, ctx.clock.now()));
}

/** Many changes of one operation (a payout run, a batch): the same rows as `recordAudit`, inserted in chunks. */
export async function recordAudits(tx: Db, ctx: Pick<Ctx, "actor" | "clock">, entries: AuditEntry[]): Promise<void> {
  const at = ctx.clock.now();
  for (let i = 0; i < entries.length; i += 1000) {
    await tx.insert(auditLog).values(entries.slice(i, i + 1000).map((entry) => auditRow(ctx, entry, at)));
  }
}
