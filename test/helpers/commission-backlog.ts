import { sql } from "drizzle-orm";
import type { Database } from "../../src/db/client.js";

/** The seed's volume tier: 10% for the first 5 sales of a month, 15% beyond. */
export const TIERED_PLAN = {
  rules: [
    {
      id: "tiered",
      name: "10% then 15%",
      event: "sale",
      tiers: {
        period: "calendar_month",
        basis: "count",
        levels: [
          { upTo: 5, reward: { type: "percent", bps: 1_000 } },
          { upTo: null, reward: { type: "percent", bps: 1_500 } },
        ],
      },
    },
  ],
};

export interface BacklogOptions {
  sales: number;
  partners: number;
  /** The program's id (its slug is the id without its prefix); nothing else may use it. */
  program: string;
  /** ANALYZE afterwards (PostgreSQL), as autovacuum would have by then. */
  analyze: boolean;
}

/**
 * A program with the seed's tiered plan (10% for the first 5 sales a month, 15% beyond), `partners` active
 * partners and `sales` sales over three months, each credited to one of them and queued for the commission
 * engine: the work of a bulk calculation (`bench/commission-bench.ts`), or a backlog for the engine to catch up
 * with while another load runs (`BACKLOG` in `bench/profile-load.ts`), or a queue of a few batches for a test.
 */
export async function seedCommissionBacklog(
  database: Database,
  { sales: SALES, partners: PARTNERS, program: PROGRAM, analyze }: BacklogOptions,
): Promise<void> {
  const db = database.db;
  const slug = PROGRAM.replace(/^prg_/, "");
  const planId = `cpl_${slug}`;
  const versionId = `cpv_${slug}`;
  const now = "2026-06-30T00:00:00Z";
  await db.execute(sql`
    insert into programs (id, name, slug, type, status, currency, cookie_window_days, allowed_domains, created_at, updated_at)
    values (${PROGRAM}, ${slug}, ${slug}, 'affiliate', 'active', 'USD', 30, array['bench.example'], ${now}, ${now})`);
  await db.execute(sql`
    insert into commission_plans (id, program_id, name, scope, current_version, created_at, updated_at)
    values (${planId}, ${PROGRAM}, 'Tiered', 'program', 1, ${now}, ${now})`);
  await db.execute(sql`
    insert into commission_plan_versions (id, plan_id, program_id, version, definition, created_at)
    values (${versionId}, ${planId}, ${PROGRAM}, 1, ${JSON.stringify(TIERED_PLAN)}::jsonb, ${now})`);
  await db.execute(sql`
    insert into partners (id, name, type, created_at, updated_at)
    select 'ptn_' || lpad(i::text, 6, '0'), 'Partner ' || i, 'affiliate', ${now}, ${now}
    from generate_series(1, ${PARTNERS}::int) i`);
  await db.execute(sql`
    insert into enrollments (id, program_id, partner_id, status, source, applied_at, status_changed_at, created_at, updated_at)
    select 'enr_' || lpad(i::text, 6, '0'), ${PROGRAM}, 'ptn_' || lpad(i::text, 6, '0'), 'active', 'manual', ${now}, ${now}, ${now}, ${now}
    from generate_series(1, ${PARTNERS}::int) i`);
  // Sales spread over three months, in chunks so PGlite's memory stays flat.
  const chunk = 100_000;
  for (let start = 1; start <= SALES; start += chunk) {
    const end = Math.min(SALES, start + chunk - 1);
    await db.execute(sql`
      insert into conversions (id, program_id, kind, idempotency_key, amount_minor, currency, attributed, decision, occurred_at, received_at)
      select 'cnv_' || lpad(i::text, 10, '0'), ${PROGRAM}, 'sale', 'o' || i, 1000 + (i % 90) * 100, 'USD', true, '{}'::jsonb,
        timestamptz '2026-04-01' + (i::float8 / ${SALES}::float8) * interval '90 days', ${now}
      from generate_series(${start}::int, ${end}::int) i`);
    await db.execute(sql`
      insert into conversion_credits (conversion_id, program_id, partner_id, enrollment_id, weight_bps, amount_minor, occurred_at)
      select c.id, c.program_id, 'ptn_' || lpad(((i::bigint * 7919) % ${PARTNERS}::int + 1)::text, 6, '0'),
        'enr_' || lpad(((i::bigint * 7919) % ${PARTNERS}::int + 1)::text, 6, '0'), 10000, c.amount_minor, c.occurred_at
      from generate_series(${start}::int, ${end}::int) i join conversions c on c.id = 'cnv_' || lpad(i::text, 10, '0')`);
    await db.execute(sql`
      insert into commission_queue (conversion_id, partner_id, program_id)
      select conversion_id, partner_id, program_id from conversion_credits
      where conversion_id between ${`cnv_${String(start).padStart(10, "0")}`} and ${`cnv_${String(end).padStart(10, "0")}`}`);
  }
  if (analyze) await db.execute(sql`analyze`);
}
