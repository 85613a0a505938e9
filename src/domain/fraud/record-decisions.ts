import { sql } from "drizzle-orm";
import { type Db, selectRows } from "../../db/client.js";
import type { FraudAction, FraudDecisionSource, FraudRule } from "../../db/schema/index.js";
import { newId } from "../../lib/ids.js";
import type { Ctx } from "../context.js";
import { holdEntriesOf, rejectEntriesOf } from "./fraud-ledger.js";

export interface NewDecision {
  conversionId: string;
  programId: string;
  partnerId: string;
  rule: FraudRule;
  action: FraudAction;
  evidence: Record<string, unknown>;
}

const col = <T>(rows: NewDecision[], pick: (d: NewDecision) => T) => sql.param(rows.map(pick));

/** Who decided a case that a reject rule closed at once. */
export const RULES_LABEL = "fraud rules";

/**
 * Stores decisions (a rule decides a conversion once: repeats are ignored) and opens or raises the review case
 * of each conversion a flag, hold or reject touched. A case a reviewer approved is reopened only by a new hold or
 * reject; a rejected case stays rejected. With `moveLedger`, entries that already exist follow the case (held
 * or rejected), for decisions made after the commission engine ran.
 */
export async function recordDecisions(
  tx: Db,
  ctx: Pick<Ctx, "clock" | "actor">,
  decisions: NewDecision[],
  source: FraudDecisionSource,
  options: { moveLedger: boolean },
): Promise<{ recorded: number; held: string[]; rejected: string[] }> {
  if (decisions.length === 0) return { recorded: 0, held: [], rejected: [] };
  const now = ctx.clock.now();
  const inserted = await selectRows<{ conversion_id: string; rule: FraudRule; action: FraudAction }>(
    tx,
    sql`insert into fraud_decisions (id, program_id, conversion_id, partner_id, rule, action, evidence, source, decided_at)
        select u.id, u.program_id, u.conversion_id, u.partner_id, u.rule, u.action, u.evidence, ${source}, ${now.toISOString()}::timestamptz
        from unnest(${col(decisions, () => newId("fraudDecision", now))}::text[], ${col(decisions, (d) => d.programId)}::text[],
          ${col(decisions, (d) => d.conversionId)}::text[], ${col(decisions, (d) => d.partnerId)}::text[],
          ${col(decisions, (d) => d.rule)}::text[], ${col(decisions, (d) => d.action)}::text[],
          ${col(decisions, (d) => JSON.stringify(d.evidence))}::jsonb[])
          as u(id, program_id, conversion_id, partner_id, rule, action, evidence)
        on conflict (conversion_id, rule) do nothing
        returning conversion_id, rule, action`,
  );
  const cases = casesOf(decisions, inserted);
  if (cases.length === 0) return { recorded: inserted.length, held: [], rejected: [] };
  const reviewed = await selectRows<{ conversion_id: string; action: FraudAction; status: string }>(
    tx,
    sql`insert into fraud_reviews (conversion_id, program_id, partner_id, action, status, rules, reason,
          reviewed_by_label, reviewed_at, opened_at, updated_at)
        select u.conversion_id, u.program_id, u.partner_id, u.action, u.status, string_to_array(u.rules, ','),
          case when u.status = 'rejected' then 'rejected by rule: ' || u.rules end,
          case when u.status = 'rejected' then ${RULES_LABEL} end,
          case when u.status = 'rejected' then ${now.toISOString()}::timestamptz end,
          ${now.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz
        from unnest(${sql.param(cases.map((c) => c.conversionId))}::text[], ${sql.param(cases.map((c) => c.programId))}::text[],
          ${sql.param(cases.map((c) => c.partnerId))}::text[], ${sql.param(cases.map((c) => c.action))}::text[],
          ${sql.param(cases.map((c) => (c.action === "reject" ? "rejected" : "open")))}::text[],
          ${sql.param(cases.map((c) => c.rules.join(",")))}::text[])
          as u(conversion_id, program_id, partner_id, action, status, rules)
        on conflict (conversion_id) do update set
          rules = array(select distinct r from unnest(fraud_reviews.rules || excluded.rules) r order by r),
          action = case when array_position(array['flag', 'hold', 'reject'], excluded.action)
                          > array_position(array['flag', 'hold', 'reject'], fraud_reviews.action)
                        then excluded.action else fraud_reviews.action end,
          status = case when fraud_reviews.status = 'rejected' or excluded.status = 'rejected' then 'rejected'
                        when fraud_reviews.status = 'approved' and excluded.action = 'hold' then 'open'
                        else fraud_reviews.status end,
          reason = case when fraud_reviews.status <> 'rejected' and excluded.status = 'rejected' then excluded.reason
                        else fraud_reviews.reason end,
          reviewed_by_label = case when fraud_reviews.status <> 'rejected' and excluded.status = 'rejected'
                                   then excluded.reviewed_by_label else fraud_reviews.reviewed_by_label end,
          reviewed_at = case when fraud_reviews.status <> 'rejected' and excluded.status = 'rejected'
                             then excluded.reviewed_at else fraud_reviews.reviewed_at end,
          updated_at = excluded.updated_at
        returning conversion_id, action, status`,
  );
  const held = reviewed.filter((r) => r.status === "open" && r.action === "hold").map((r) => r.conversion_id);
  const rejected = reviewed.filter((r) => r.status === "rejected").map((r) => r.conversion_id);
  if (options.moveLedger) {
    await holdEntriesOf(tx, ctx, held);
    await rejectEntriesOf(tx, ctx, rejected);
  }
  return { recorded: inserted.length, held, rejected };
}

const SEVERITY: Record<FraudAction, number> = { allow: 0, flag: 1, hold: 2, reject: 3 };

/** Per conversion, the strongest new action among the decisions that were stored (allow opens no case). */
function casesOf(
  decisions: NewDecision[],
  inserted: { conversion_id: string; rule: FraudRule; action: FraudAction }[],
) {
  const stored = new Set(inserted.map((r) => `${r.conversion_id}|${r.rule}`));
  const byConversion = new Map<
    string,
    {
      conversionId: string;
      programId: string;
      partnerId: string;
      action: Exclude<FraudAction, "allow">;
      rules: string[];
    }
  >();
  for (const d of decisions) {
    if (d.action === "allow" || !stored.has(`${d.conversionId}|${d.rule}`)) continue;
    const current = byConversion.get(d.conversionId);
    if (!current) {
      byConversion.set(d.conversionId, {
        conversionId: d.conversionId,
        programId: d.programId,
        partnerId: d.partnerId,
        action: d.action,
        rules: [d.rule],
      });
      continue;
    }
    current.rules.push(d.rule);
    if (SEVERITY[d.action] > SEVERITY[current.action]) {
      current.action = d.action;
      current.partnerId = d.partnerId;
    }
  }
  return [...byConversion.values()];
}
