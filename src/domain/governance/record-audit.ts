import { sql } from "drizzle-orm";
import { arrayLiteralsTimeSliced } from "../../db/array-literal.js";
import type { Db } from "../../db/client.js";
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
const bigintAsText = (_key: string, v: unknown): unknown => (typeof v === "bigint" ? v.toString() : v);

/** A before/after snapshot as the JSON text stored: secrets never reach the audit log, even hashed. */
const snapshot = (value: unknown): string | null => {
  if (value === null || value === undefined) return null;
  const kept =
    typeof value === "object" && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).filter(([key]) => !SECRET_FIELDS.has(key)))
      : value;
  return JSON.stringify(kept, bigintAsText) ?? null;
};

/** Call inside the transaction that makes the change, so the change and its audit row commit or fail together. */
export async function recordAudit(tx: Db, ctx: Pick<Ctx, "actor" | "clock">, entry: AuditEntry): Promise<void> {
  await recordAudits(tx, ctx, [entry]);
}

/**
 * Many changes of one operation (a payout run, a batch): one statement, one array literal per column built in
 * time slices. A payout run for 10,000 partners logs 10,000 rows; through the query builder they took most of a
 * second of the process's main thread, in blocks of a hundred milliseconds that every request waited through.
 */
export async function recordAudits(tx: Db, ctx: Pick<Ctx, "actor" | "clock">, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const at = ctx.clock.now();
  const [ids, actions, entityTypes, entityIds, programIds, partnerIds, befores, afters] = await arrayLiteralsTimeSliced(
    entries,
    [
      () => newId("audit", at),
      (e) => e.action,
      (e) => e.entityType,
      (e) => e.entityId,
      (e) => e.programId ?? null,
      (e) => e.partnerId ?? null,
      (e) => snapshot(e.before),
      (e) => snapshot(e.after),
    ],
  );
  const { actor } = ctx;
  await tx.execute(sql`
    insert into audit_log (id, at, actor_type, actor_id, actor_label, action, entity_type, entity_id, program_id,
      partner_id, before, after, ip)
    select u.id, ${at.toISOString()}::timestamptz, ${actor.type}, ${"id" in actor ? actor.id : null}::text,
      ${actor.label}, u.action, u.entity_type, u.entity_id, u.program_id, u.partner_id, u.before::jsonb,
      u.after::jsonb, ${actor.ip ?? null}::text
    from unnest(${ids}::text[], ${actions}::text[], ${entityTypes}::text[], ${entityIds}::text[],
      ${programIds}::text[], ${partnerIds}::text[], ${befores}::text[], ${afters}::text[])
      as u(id, action, entity_type, entity_id, program_id, partner_id, before, after)`);
}
