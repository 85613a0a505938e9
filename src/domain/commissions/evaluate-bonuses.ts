import { sql } from "drizzle-orm";
import { type Db, selectRows } from "../../db/client.js";
import type { Clock } from "../../lib/clock.js";
import { newId } from "../../lib/ids.js";
import { bonusEntries } from "./bonus-entries.js";
import { loadCalculationContext, type QueuedCredit } from "./load-calculation-context.js";
import { periodDays } from "./periods.js";
import { planFor } from "./plan-for.js";
import { insertEntries } from "./write-ledger-batch.js";

/**
 * Re-checks this month's totals of every partner with sales against its plan's bonuses, awarding those reached
 * and not yet awarded (the dedupe key makes an award once per month). Returns how many were new.
 */
export async function evaluateBonuses(deps: { db: Db; clock: Clock }): Promise<number> {
  const now = deps.clock.now();
  const month = periodDays("calendar_month", now);
  const rows = await selectRows<{
    program_id: string;
    partner_id: string;
    sales: string;
    revenue: string;
    commission: string;
  }>(
    deps.db,
    // The month's totals are kept per partner (written with the daily ones): one row each, read program by program
    // through the key, instead of a month of daily rows of every program.
    sql`select t.program_id, t.partner_id, t.sales_count::text as sales, t.revenue_minor::text as revenue,
          t.commission_minor::text as commission
        from commission_monthly_totals t
        where t.program_id = any(array(select p.program_id from commission_plans p where p.archived_at is null))
          and t.month = ${month.first}::date`,
  );
  if (rows.length === 0) return 0;
  // The context loader wants credits; a stand-in per partner loads its program, plans and enrollment.
  const standIns = rows.map(
    (r): QueuedCredit => ({
      conversionId: "",
      partnerId: r.partner_id,
      enrollmentId: null,
      programId: r.program_id,
      weightBps: 10_000,
      creditMinor: null,
      kind: "lead",
      amountMinor: null,
      currency: null,
      occurredAt: now,
      customerId: null,
      recurring: null,
      products: null,
      country: null,
      saleId: null,
    }),
  );
  const context = await loadCalculationContext(deps.db, standIns);
  const entries = rows.flatMap((r) => {
    const plan = planFor(context, r.program_id, r.partner_id);
    const program = context.programs.get(r.program_id);
    if (!plan || !program) return [];
    const enrollmentId = context.enrollments.get(`${r.program_id}|${r.partner_id}`)?.id ?? null;
    const totals = {
      salesCount: Number(r.sales),
      revenueMinor: BigInt(r.revenue),
      commissionMinor: BigInt(r.commission),
    };
    return bonusEntries(plan, program, { partnerId: r.partner_id, enrollmentId }, totals, now);
  });
  if (entries.length === 0) return 0;
  // Once per period: a bonus already earned is skipped by its dedupe key, so what was inserted is what was earned now.
  return insertEntries(
    deps.db,
    entries.map((e) => ({ ...e, id: newId("commission", now) })),
    now,
  );
}
