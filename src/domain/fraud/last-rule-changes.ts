import { and, desc, eq, inArray } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { auditLog, type FraudRule, teamUsers } from "../../db/schema/index.js";
import { actingTeamMember, auditActor } from "../governance/audit-actor.js";

/** The audit log's entity id of one program's rule. */
export const ruleEntityId = (programId: string, rule: FraudRule) => `${programId}:${rule}`;

export interface RuleChange {
  at: string;
  actor: ReturnType<typeof auditActor>;
}

/**
 * When each of a program's rules was last changed and by whom, in one query. From the audit log rather than the
 * settings row: a reset deletes the row, and the row keeps only the label the change was made under (an email),
 * where the log has the actor's kind and id, so a team member is named as they are now.
 */
export async function lastRuleChanges(
  db: Db,
  programId: string,
  rules: readonly FraudRule[],
): Promise<Map<FraudRule, RuleChange>> {
  const ruleOf = new Map(rules.map((rule) => [ruleEntityId(programId, rule), rule]));
  if (ruleOf.size === 0) return new Map();
  // The (entity_type, entity_id) index finds each rule's rows; DISTINCT ON keeps the newest of each.
  const rows = await db
    .selectDistinctOn([auditLog.entityId], {
      entityId: auditLog.entityId,
      at: auditLog.at,
      actorType: auditLog.actorType,
      actorLabel: auditLog.actorLabel,
      memberName: teamUsers.name,
      memberEmail: teamUsers.email,
    })
    .from(auditLog)
    .leftJoin(teamUsers, actingTeamMember)
    .where(and(eq(auditLog.entityType, "fraud_rule"), inArray(auditLog.entityId, [...ruleOf.keys()])))
    .orderBy(auditLog.entityId, desc(auditLog.at), desc(auditLog.id));
  return new Map(
    rows.map((row) => [ruleOf.get(row.entityId)!, { at: row.at.toISOString(), actor: auditActor(row) }] as const),
  );
}
