import { sql } from "drizzle-orm";
import { type Db, selectRows } from "../../db/client.js";
import type { FraudCaseView } from "./fraud.schemas.js";

interface CaseRow {
  conversion_id: string;
  program_id: string;
  partner_id: string;
  partner_name: string;
  action: string;
  status: string;
  rules: string[];
  reason: string | null;
  reviewed_by_label: string | null;
  reviewed_at: string | Date | null;
  opened_at: string | Date;
  kind: string;
  amount_minor: string | null;
  currency: string | null;
  occurred_at: string | Date;
  commission_minor: string | null;
  commission_currency: string | null;
  commission_statuses: string[] | null;
  decisions: {
    id: string;
    rule: string;
    action: string;
    partner_id: string | null;
    evidence: Record<string, unknown>;
    source: string;
    decided_at: string;
  }[];
}

const iso = (v: string | Date) => new Date(v).toISOString();

/** Cases with their conversion, the commissions at stake and every decision's evidence, newest first. */
export async function loadCases(db: Db, where: ReturnType<typeof sql>, limit: number) {
  const rows = await selectRows<CaseRow>(
    db,
    sql`select r.conversion_id, r.program_id, r.partner_id, p.name as partner_name, r.action, r.status, r.rules, r.reason,
          r.reviewed_by_label, r.reviewed_at, r.opened_at, c.kind, c.amount_minor::text as amount_minor, c.currency, c.occurred_at,
          e.amount::text as commission_minor, e.currency as commission_currency, e.statuses as commission_statuses,
          (select coalesce(jsonb_agg(to_jsonb(d) order by d.decided_at, d.rule), '[]') from fraud_decisions d
            where d.conversion_id = r.conversion_id) as decisions
        from fraud_reviews r
        join conversions c on c.id = r.conversion_id
        join partners p on p.id = r.partner_id
        left join lateral (select sum(amount_minor) as amount, min(currency) as currency, array_agg(distinct status) as statuses
                           from commission_entries where conversion_id = r.conversion_id) e on true
        where ${where}
        order by r.opened_at desc, r.conversion_id desc
        limit ${limit}`,
  );
  return rows.map((r) => ({ partnerName: r.partner_name, view: toCaseView(r) }));
}

function toCaseView(r: CaseRow): FraudCaseView {
  return {
    conversionId: r.conversion_id,
    programId: r.program_id,
    partnerId: r.partner_id,
    action: r.action,
    status: r.status,
    rules: r.rules,
    reason: r.reason,
    reviewedBy: r.reviewed_by_label,
    reviewedAt: r.reviewed_at ? iso(r.reviewed_at) : null,
    openedAt: iso(r.opened_at),
    conversion: {
      kind: r.kind,
      amount: r.amount_minor === null ? null : Number(r.amount_minor),
      currency: r.currency,
      occurredAt: iso(r.occurred_at),
    },
    commission: {
      amount: Number(r.commission_minor ?? 0),
      currency: r.commission_currency,
      statuses: r.commission_statuses ?? [],
    },
    decisions: r.decisions.map((d) => ({
      id: d.id,
      rule: d.rule,
      action: d.action,
      partnerId: d.partner_id,
      evidence: d.evidence,
      source: d.source,
      decidedAt: iso(d.decided_at),
    })),
  };
}
