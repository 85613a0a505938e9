import { sql } from "drizzle-orm";
import { arrayLiteral } from "../../db/array-literal.js";
import { type Db, selectRows } from "../../db/client.js";
import type { Ctx } from "../context.js";
import { recordAudits } from "../governance/record-audit.js";
import { keepingFinalTotals } from "./final-totals.js";
import type { Bonus } from "./plan-definition.js";

export const BONUS_UNREACHED_REASON =
  "the month's sales no longer reach it: sales counted toward it were rejected or refunded";

export interface PartnerMonth {
  programId: string;
  partnerId: string;
  /** The month's first day, `YYYY-MM-01`. */
  month: string;
}

const list = (values: string[]) => sql`${arrayLiteral(values)}::text[]`;

/**
 * Rejects the unpaid bonuses of these partner-months whose threshold the month's totals no longer reach. A bonus
 * already paid stays paid: taking it back is a manager's adjustment, as for any paid entry. (Sales held by fraud
 * review still count; release-holdings keeps the month's bonus from approval until they are decided.)
 */
export async function withdrawUnreachedBonuses(
  tx: Db,
  ctx: Pick<Ctx, "clock" | "actor">,
  months: PartnerMonth[],
): Promise<void> {
  if (months.length === 0) return;
  const bonuses = await selectRows<{
    id: string;
    program_id: string;
    partner_id: string;
    status: string;
    rule_id: string | null;
    bonuses: Bonus[] | null;
    sales: number | null;
    revenue: string | null;
  }>(
    tx,
    sql`select e.id, e.program_id, e.partner_id, e.status, e.rule_id, v.definition->'bonuses' as bonuses,
          t.sales_count as sales, t.revenue_minor::text as revenue
        from unnest(${list(months.map((m) => m.programId))}, ${list(months.map((m) => m.partnerId))},
          ${list(months.map((m) => m.month))}::date[]) as pm(program_id, partner_id, month)
        join commission_entries e on e.partner_id = pm.partner_id and e.program_id = pm.program_id
          and e.occurred_at >= pm.month::timestamp at time zone 'UTC'
          and e.occurred_at < (pm.month + interval '1 month')::timestamp at time zone 'UTC'
        join commission_plan_versions v on v.id = e.plan_version_id
        left join commission_monthly_totals t on t.program_id = pm.program_id and t.partner_id = pm.partner_id
          and t.month = pm.month
        where e.kind = 'bonus' and e.payout_id is null and e.status in ('pending', 'approved', 'held')
        for update of e`,
  );
  const unreached = bonuses.filter((b) => {
    const bonus = b.bonuses?.find((candidate) => candidate.id === b.rule_id);
    if (!bonus) return false;
    const value = bonus.metric === "sales_count" ? BigInt(b.sales ?? 0) : BigInt(b.revenue ?? "0");
    return value < BigInt(bonus.threshold);
  });
  if (unreached.length === 0) return;
  const now = ctx.clock.now().toISOString();
  // The withdrawn bonus gives up its once-a-month key: should later sales reach the threshold again, it is earned anew.
  await tx.execute(
    keepingFinalTotals(
      sql`update commission_entries set status = 'rejected', status_reason = ${BONUS_UNREACHED_REASON},
            status_changed_at = ${now}::timestamptz, dedupe_key = dedupe_key || ':withdrawn:' || id
          where id = any(${list(unreached.map((b) => b.id))})
          returning program_id, partner_id, currency, status, amount_minor`,
      sql`count(*)`,
    ),
  );
  await recordAudits(
    tx,
    ctx,
    unreached.map((b) => ({
      action: "commission.reject",
      entityType: "commission",
      entityId: b.id,
      programId: b.program_id,
      partnerId: b.partner_id,
      before: { status: b.status },
      after: { status: "rejected", reason: BONUS_UNREACHED_REASON },
    })),
  );
}
