import { sql } from "drizzle-orm";
import { arrayLiteral } from "../../db/array-literal.js";
import { type Db, selectRows } from "../../db/client.js";
import type { Ctx } from "../context.js";
import { withdrawUnreachedBonuses } from "./withdraw-unreached-bonuses.js";

const list = (values: string[]) => sql`${arrayLiteral(values)}::text[]`;

/**
 * Takes rejected entries back out of their partners' period totals: a rejected sale is no longer one of the
 * partner's sales, so the next sale's tier, the cap and the month's bonus see it gone. Each entry takes out exactly
 * what it counted (a commission its sale, a refund's reversal its share back), on the day of the sale. Then the
 * unpaid bonuses of those months that the totals no longer reach are rejected. Call it in the transaction that
 * rejected the entries; rejection is final, so an entry is never taken out twice.
 */
export async function uncountRejected(tx: Db, ctx: Pick<Ctx, "clock" | "actor">, entryIds: string[]): Promise<void> {
  if (entryIds.length === 0) return;
  const months = await selectRows<{ program_id: string; partner_id: string; month: string }>(
    tx,
    // An override never counted (it is the recruiter's, on someone else's sale); a reversal counted only when it
    // takes back a commission.
    sql`with moves as (
          select e.program_id, e.partner_id, (coalesce(s.occurred_at, e.occurred_at) at time zone 'UTC')::date as day,
            e.counted_sales as sales, e.counted_revenue_minor as revenue, e.amount_minor as commission
          from commission_entries e left join commission_entries s on s.id = e.source_entry_id
          where e.id = any(${list(entryIds)}) and e.status = 'rejected'
            and (e.kind = 'commission' or (e.kind in ('reversal', 'clawback') and s.kind = 'commission'))
        ), by_day as (
          select program_id, partner_id, day, sum(sales)::int as sales, sum(revenue) as revenue,
            sum(commission) as commission
          from moves group by 1, 2, 3
        ), daily as (
          update commission_daily_totals t set sales_count = t.sales_count - d.sales,
            revenue_minor = t.revenue_minor - d.revenue, commission_minor = t.commission_minor - d.commission
          from by_day d where t.program_id = d.program_id and t.partner_id = d.partner_id and t.day = d.day
        )
        update commission_monthly_totals t set sales_count = t.sales_count - m.sales,
          revenue_minor = t.revenue_minor - m.revenue, commission_minor = t.commission_minor - m.commission
        from (
          select program_id, partner_id, date_trunc('month', day)::date as month, sum(sales)::int as sales,
            sum(revenue) as revenue, sum(commission) as commission
          from by_day group by 1, 2, 3
        ) m
        where t.program_id = m.program_id and t.partner_id = m.partner_id and t.month = m.month
        returning t.program_id, t.partner_id, t.month::text as month`,
  );
  await withdrawUnreachedBonuses(
    tx,
    ctx,
    months.map((m) => ({ programId: m.program_id, partnerId: m.partner_id, month: m.month })),
  );
}
