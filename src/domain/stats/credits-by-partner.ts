import { sql } from "drizzle-orm";
import { type Db, selectRows } from "../../db/client.js";

const DAY_MS = 86_400_000;

/** A partner's credited conversions in one currency ('' for none) over a window. */
export interface PartnerCredits {
  partner_id: string;
  currency: string;
  leads: number;
  sales: number;
  /** Net credited amount of sales and refunds, minor units, as text; null when none had an amount. */
  amount: string | null;
}

/**
 * A program's credited conversions over [from, to) per partner and currency: a conversion counts for each partner it
 * credits, a refund against its sale's partners. The window's whole UTC weeks and days come from
 * credit_partner_periods (the roll-up-credit-days job), each day only if it still has as many conversions as were
 * counted (conversion_days: conversions are only ever inserted, so the same number is the same conversions); the
 * partial days at the ends and the days recorded into since they were counted are read from conversions
 * (program_id, occurred_at) and each one's credits by key. One statement, so the counts and the numbers they are
 * checked against are of the same moment, whatever the job does meanwhile.
 */
export async function creditsByPartner(
  db: Db,
  query: { programId: string; from: Date; to: Date },
): Promise<PartnerCredits[]> {
  const firstDay = Math.ceil(query.from.getTime() / DAY_MS) * DAY_MS;
  const endDay = Math.floor(query.to.getTime() / DAY_MS) * DAY_MS;
  const iso = (ms: number) => new Date(ms).toISOString();
  const counted = (ranges: ReturnType<typeof sql>) =>
    sql`select cc.partner_id, coalesce(c.currency, '') as currency, (c.kind = 'lead')::int as leads,
          (c.kind = 'sale')::int as sales, case when c.kind in ('sale', 'refund') then cc.amount_minor end as amount
        from (${ranges}) r
        cross join lateral (
          select id, kind, currency from conversions c
          where c.program_id = ${query.programId} and c.occurred_at >= r.f and c.occurred_at < r.t
          offset 0
        ) c
        -- Each conversion's credits by key: joined as sets, a program's month would be planned as a scan of every
        -- program's credits.
        cross join lateral (
          select partner_id, amount_minor from conversion_credits cc where cc.conversion_id = c.id offset 0
        ) cc`;
  const grouped = (parts: ReturnType<typeof sql>) =>
    selectRows<PartnerCredits>(
      db,
      sql`select partner_id, currency, sum(leads)::int as leads, sum(sales)::int as sales, sum(amount)::text as amount
          from (${parts}) parts group by 1, 2`,
    );
  const window = sql`select ${query.from.toISOString()}::timestamptz as f, ${query.to.toISOString()}::timestamptz as t`;
  if (endDay <= firstDay) return grouped(counted(window));
  return grouped(sql`
    with days as materialized (
      select d.day, coalesce(k.conversions, 0) = (
          select count(*) from conversions c
          where c.program_id = ${query.programId} and c.occurred_at >= d.day and c.occurred_at < d.day + interval '24 hours'
        ) as rolled_up
      from generate_series(${iso(firstDay)}::timestamptz, ${iso(endDay - DAY_MS)}::timestamptz, interval '24 hours') d(day)
      left join conversion_days k on k.program_id = ${query.programId} and k.day = d.day
    ), weeks as materialized (
      select date_trunc('week', day, 'UTC') as start from days
      group by 1 having count(*) filter (where rolled_up) = 7
    )
    select partner_id, currency, leads, sales, amount_minor as amount from credit_partner_periods
    where program_id = ${query.programId} and days = 7 and start = any(array(select start from weeks))
    union all
    select partner_id, currency, leads, sales, amount_minor from credit_partner_periods
    where program_id = ${query.programId} and days = 1 and start = any(array(
      select day from days where rolled_up and date_trunc('week', day, 'UTC') not in (select start from weeks)
    ))
    union all (${counted(sql`
      select ${query.from.toISOString()}::timestamptz as f, ${iso(firstDay)}::timestamptz as t
      union all select ${iso(endDay)}::timestamptz, ${query.to.toISOString()}::timestamptz
      union all select day, day + interval '24 hours' from days where not rolled_up`)})`);
}
