import { index, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";

export const actorTypes = ["team", "partner", "api_key", "system", "public"] as const;
export type ActorType = (typeof actorTypes)[number];

/** Append-only: one row per mutation, written in the same transaction as the change. */
export const auditLog = pgTable(
  "audit_log",
  {
    id: text("id").primaryKey(),
    at: timestamp("at", { withTimezone: true }).notNull(),
    actorType: text("actor_type").$type<ActorType>().notNull(),
    actorId: text("actor_id"),
    actorLabel: text("actor_label").notNull(),
    action: text("action").notNull(),
    entityType: text("entity_type").notNull(),
    entityId: text("entity_id").notNull(),
    programId: text("program_id"),
    partnerId: text("partner_id"),
    before: jsonb("before"),
    after: jsonb("after"),
    ip: text("ip"),
  },
  (t) => [
    index("audit_log_at_idx").on(t.at),
    index("audit_log_entity_idx").on(t.entityType, t.entityId),
    index("audit_log_actor_idx").on(t.actorType, t.actorId),
  ],
);
