import { sql } from "drizzle-orm";
import { arrayLiteral } from "../../db/array-literal.js";
import { type Db, selectRows } from "../../db/client.js";
import type { CommissionStatus, RuleSelection } from "../../db/schema/index.js";
import { forEachTimeSliced } from "../../lib/time-sliced.js";
import { type FraudEffect, fraudHoldsFor } from "../fraud/fraud-holds-for.js";
import type { PeriodTotals } from "./compute-commission.js";
import { dayOf, periodDays } from "./periods.js";
import type { PlanDefinition } from "./plan-definition.js";
import type { RefundedSale } from "./reverse-for-refund.js";

/** One credited conversion the engine has not handled yet, with what it needs of the conversion. */
export interface QueuedCredit {
  conversionId: string;
  partnerId: string;
  enrollmentId: string | null;
  programId: string;
  weightBps: number;
  creditMinor: bigint | null;
  kind: "lead" | "sale" | "refund";
  amountMinor: bigint | null;
  currency: string | null;
  occurredAt: Date;
  customerId: string | null;
  recurring: boolean | null;
  products: { id: string }[] | null;
  country: string | null;
  saleId: string | null;
}

export interface ProgramTerms {
  id: string;
  currency: string;
  holdingDays: number;
  ruleSelection: RuleSelection;
}

export interface ActivePlan {
  planId: string;
  versionId: string;
  version: number;
  name: string;
  scope: "program" | "tier" | "partner";
  scopeValue: string | null;
  definition: PlanDefinition;
}

export interface SourceEntry {
  id: string;
  programId: string;
  partnerId: string;
  enrollmentId: string | null;
  kind: "commission" | "override";
  amountMinor: bigint;
  status: CommissionStatus;
  payoutId: string | null;
  holdUntil: Date | null;
  conversionId: string;
  sourceEntryId: string | null;
  planVersionId: string | null;
  ruleId: string | null;
  occurredAt: Date;
  /** What the entry counted in its partner's period totals (see commission_entries.counted_sales). */
  countedSales: number;
  countedRevenueMinor: bigint;
}

/** Everything a batch reads, loaded with one query per kind of fact rather than per credit. */
export interface CalculationContext {
  programs: Map<string, ProgramTerms>;
  plansByProgram: Map<string, ActivePlan[]>;
  /** `${programId}|${partnerId}` → enrollment. */
  enrollments: Map<string, { id: string; tier: string | null; status: string }>;
  /** partnerId → the partner who recruited it. */
  recruiters: Map<string, string | null>;
  /** customerId → its first sale. */
  firstSales: Map<string, { id: string; at: Date }>;
  /** `${programId}|${partnerId}` → day → totals (a whole month on its first day when no plan counts rolling days). */
  dailyTotals: Map<string, Map<string, PeriodTotals>>;
  /** `${programId}|${partnerId}` → lifetime totals before this batch (only for programs with badges). */
  lifetimeTotals: Map<string, PeriodTotals>;
  /** `${day}|${from}|${to}` → rate. */
  fxRates: Map<string, string>;
  /**
   * saleId → the commission and override entries it earned, for each sale refunded in this batch (and only those:
   * the batch adds its new entries here only for a sale that a refund of the batch will look up).
   */
  saleEntries: Map<string, SourceEntry[]>;
  /** saleId → the sale's amount, its currency and its refunds in order. */
  sales: Map<string, RefundedSale>;
  /** `${saleId}|${partnerId}` → the queue state of the sale's credit (absent: done). */
  saleCreditStates: Map<string, string>;
  /** Dedupe keys already in the ledger for these conversions: a credit handled before is not handled again. */
  existingKeys: Set<string>;
  /** Conversions under fraud review (held) or rejected by it: their commissions are made held or rejected. */
  fraud: Map<string, FraudEffect>;
}

export const pairKey = (programId: string, partnerId: string) => `${programId}|${partnerId}`;

const big = (value: string | null): bigint | null => (value === null ? null : BigInt(value));
// Id lists go as array literals: the drivers' array encoding costs more per element than the lookups themselves.
const param = (values: string[]) => arrayLiteral(values);

/** Where the previous batch of the same drain stopped: the next one starts after it. */
export interface QueueCursor {
  conversionId: string;
  partnerId: string;
}

/**
 * The next queued credits in conversion order. A drain passes the cursor of its previous batch so the scan
 * starts where that one ended instead of stepping again over every queue row it just deleted (their index
 * entries stay until vacuum: without the cursor a bulk run would slow down with every batch).
 */
export async function loadQueuedCredits(tx: Db, limit: number, after?: QueueCursor): Promise<QueuedCredit[]> {
  const resume = after
    ? sql`and q.conversion_id >= ${after.conversionId}
          and not (q.conversion_id = ${after.conversionId} and q.partner_id <= ${after.partnerId})`
    : sql``;
  const rows = await selectRows<Record<string, unknown>>(
    tx,
    // The batch is taken from the queue first (its primary key in order, stopping at the limit), then each credit
    // and its conversion are looked up by key. Joined plainly, the planner would hash or merge-join the whole
    // credits and conversions tables for every batch; the lateral `limit 1` keeps it to key lookups.
    sql`with next as (
          select q.conversion_id, q.partner_id from commission_queue q
          where q.state = 'queued' ${resume}
          order by q.conversion_id, q.partner_id
          limit ${limit}
          for update skip locked
        )
        select r.* from next q cross join lateral (
          select cc.conversion_id, cc.partner_id, cc.enrollment_id, cc.program_id, cc.weight_bps,
            cc.amount_minor::text as credit_minor, c.kind, c.amount_minor::text as amount_minor, c.currency,
            c.occurred_at, c.customer_id, c.recurring, c.products, c.country, c.sale_id
          from conversion_credits cc join conversions c on c.id = cc.conversion_id
          where cc.conversion_id = q.conversion_id and cc.partner_id = q.partner_id
          limit 1
        ) r
        order by q.conversion_id, q.partner_id`,
  );
  // Ten thousand rows take tens of milliseconds to convert: in slices, so the process's requests are not held.
  const credits: QueuedCredit[] = [];
  await forEachTimeSliced(rows, (r) => credits.push(toQueuedCredit(r)));
  return credits;
}

const toQueuedCredit = (r: Record<string, unknown>): QueuedCredit => ({
  conversionId: r.conversion_id as string,
  partnerId: r.partner_id as string,
  enrollmentId: r.enrollment_id as string | null,
  programId: r.program_id as string,
  weightBps: Number(r.weight_bps),
  creditMinor: big(r.credit_minor as string | null),
  kind: r.kind as QueuedCredit["kind"],
  amountMinor: big(r.amount_minor as string | null),
  currency: r.currency as string | null,
  occurredAt: new Date(r.occurred_at as string | Date),
  customerId: r.customer_id as string | null,
  recurring: r.recurring as boolean | null,
  products: r.products as { id: string }[] | null,
  country: r.country as string | null,
  saleId: r.sale_id as string | null,
});

export async function loadCalculationContext(tx: Db, credits: QueuedCredit[]): Promise<CalculationContext> {
  const programIds = [...new Set(credits.map((c) => c.programId))];
  const partnerIds = [...new Set(credits.map((c) => c.partnerId))];
  const programs = await loadPrograms(tx, programIds);
  const plansByProgram = await loadPlans(tx, programIds);
  const plans = [...plansByProgram.values()].flat();
  const wantsOverrides = plans.some((p) => p.definition.overrides);
  const recruiters = wantsOverrides ? await loadRecruiters(tx, partnerIds) : new Map<string, string | null>();
  const involvedPartners = [...new Set([...partnerIds, ...[...recruiters.values()].filter((p): p is string => !!p)])];
  const saleIds = [...new Set(credits.filter((c) => c.kind === "refund" && c.saleId).map((c) => c.saleId!))];
  const withBadges = programIds.filter((id) => plansByProgram.get(id)?.some((p) => p.definition.badges?.length));
  // One connection serves the transaction: the loads run one after another.
  const enrollments = await loadEnrollments(tx, programIds, involvedPartners);
  const customerIds = [...new Set(credits.filter((c) => c.kind === "sale" && c.customerId).map((c) => c.customerId!))];
  const firstSales = await loadFirstSales(tx, customerIds);
  const dailyTotals = await loadDailyTotals(tx, programIds, partnerIds, credits, usesRollingPeriods(plans));
  const lifetimeTotals = withBadges.length
    ? await loadLifetimeTotals(tx, withBadges, partnerIds)
    : new Map<string, PeriodTotals>();
  const fxRates = await loadFxRates(tx, credits, programs);
  const saleEntries = await loadSaleEntries(tx, saleIds);
  const sales = await loadSales(tx, saleIds);
  const saleCreditStates = await loadSaleCreditStates(tx, saleIds);
  const conversionIds = [...new Set(credits.map((c) => c.conversionId))];
  const existingKeys = await loadExistingKeys(tx, conversionIds);
  const fraud = await fraudHoldsFor(tx, conversionIds);
  return {
    programs,
    plansByProgram,
    enrollments,
    recruiters,
    firstSales,
    dailyTotals,
    lifetimeTotals,
    fxRates,
    saleEntries,
    sales,
    saleCreditStates,
    existingKeys,
    fraud,
  };
}

async function loadExistingKeys(tx: Db, conversionIds: string[]) {
  const rows = await selectRows<{ dedupe_key: string }>(
    tx,
    // One index probe per conversion (`offset 0` keeps the subquery per row): with thousands of ids and a large
    // ledger the planner would otherwise scan the whole ledger for every batch.
    sql`select k.dedupe_key from unnest(${param(conversionIds)}::text[]) as u(id)
        cross join lateral (select e.dedupe_key from commission_entries e where e.conversion_id = u.id offset 0) k`,
  );
  return new Set(rows.map((r) => r.dedupe_key));
}

async function loadPrograms(tx: Db, ids: string[]) {
  const rows = await selectRows<{ id: string; currency: string; holding_days: number; rule_selection: RuleSelection }>(
    tx,
    sql`select id, currency, holding_days, rule_selection from programs where id = any(${param(ids)}::text[])`,
  );
  return new Map(
    rows.map((r) => [
      r.id,
      { id: r.id, currency: r.currency, holdingDays: Number(r.holding_days), ruleSelection: r.rule_selection },
    ]),
  );
}

async function loadPlans(tx: Db, programIds: string[]) {
  const rows = await selectRows<{
    program_id: string;
    plan_id: string;
    version_id: string;
    version: number;
    name: string;
    scope: ActivePlan["scope"];
    scope_value: string | null;
    definition: PlanDefinition;
  }>(
    tx,
    sql`select p.program_id, p.id as plan_id, v.id as version_id, v.version, p.name, p.scope, p.scope_value, v.definition
        from commission_plans p join commission_plan_versions v on v.plan_id = p.id and v.version = p.current_version
        where p.program_id = any(${param(programIds)}::text[]) and p.archived_at is null`,
  );
  const byProgram = new Map<string, ActivePlan[]>();
  for (const r of rows) {
    const list = byProgram.get(r.program_id) ?? [];
    list.push({
      planId: r.plan_id,
      versionId: r.version_id,
      version: Number(r.version),
      name: r.name,
      scope: r.scope,
      scopeValue: r.scope_value,
      definition: r.definition,
    });
    byProgram.set(r.program_id, list);
  }
  return byProgram;
}

/** Up to three levels of recruiters above the credited partners. */
async function loadRecruiters(tx: Db, partnerIds: string[]) {
  const recruiters = new Map<string, string | null>();
  let frontier = partnerIds;
  for (let level = 0; level < 3 && frontier.length > 0; level++) {
    const rows = await selectRows<{ id: string; recruited_by_partner_id: string | null }>(
      tx,
      sql`select id, recruited_by_partner_id from partners where id = any(${param(frontier)}::text[])`,
    );
    for (const r of rows) recruiters.set(r.id, r.recruited_by_partner_id);
    frontier = rows.map((r) => r.recruited_by_partner_id).filter((p): p is string => !!p && !recruiters.has(p));
  }
  return recruiters;
}

async function loadEnrollments(tx: Db, programIds: string[], partnerIds: string[]) {
  const rows = await selectRows<{
    id: string;
    program_id: string;
    partner_id: string;
    tier: string | null;
    status: string;
  }>(
    tx,
    sql`select id, program_id, partner_id, tier, status from enrollments
        where program_id = any(${param(programIds)}::text[]) and partner_id = any(${param(partnerIds)}::text[])`,
  );
  return new Map(rows.map((r) => [pairKey(r.program_id, r.partner_id), { id: r.id, tier: r.tier, status: r.status }]));
}

async function loadFirstSales(tx: Db, customerIds: string[]) {
  if (customerIds.length === 0) return new Map<string, { id: string; at: Date }>();
  const rows = await selectRows<{ customer_id: string; id: string; occurred_at: string | Date }>(
    tx,
    // One index read per customer (conversions_customer_occurred_idx) that stops at its first sale: half the time of
    // one "= any" scan over all of the batch's customers followed by a sort, at a thousand customers a batch.
    sql`select k.customer_id, f.id, f.occurred_at
        from unnest(${param(customerIds)}::text[]) as k(customer_id)
        cross join lateral (
          select c.id, c.occurred_at from conversions c
          where c.customer_id = k.customer_id and c.kind = 'sale'
          order by c.occurred_at, c.id
          limit 1
        ) f`,
  );
  return new Map(rows.map((r) => [r.customer_id, { id: r.id, at: new Date(r.occurred_at) }]));
}

/** Whether any of these plans counts a tier or a cap over the rolling 30 days (bonuses are per calendar month). */
const usesRollingPeriods = (plans: ActivePlan[]) =>
  plans.some(
    (p) =>
      p.definition.cap?.period === "rolling_30_days" ||
      p.definition.rules.some((r) => r.tiers?.period === "rolling_30_days"),
  );

/**
 * The totals the batch's periods can reach: the calendar months of its credits and, when a plan counts over the
 * rolling 30 days, the days from 29 before the earliest credit. Without rolling periods each month comes from the
 * monthly totals as one bucket on its first day (a calendar-month period sums the same); a partner with sales
 * every day would otherwise bring a month of daily rows per batch — at a million sales, most of the engine's reading.
 */
async function loadDailyTotals(
  tx: Db,
  programIds: string[],
  partnerIds: string[],
  credits: QueuedCredit[],
  rolling: boolean,
) {
  let min = credits[0]!.occurredAt;
  let max = credits[0]!.occurredAt;
  for (const c of credits) {
    if (c.occurredAt < min) min = c.occurredAt;
    if (c.occurredAt > max) max = c.occurredAt;
  }
  const firstMonth = periodDays("calendar_month", min).first;
  const first = rolling ? [firstMonth, periodDays("rolling_30_days", min).first].sort()[0]! : firstMonth;
  const last = periodDays("calendar_month", max).last;
  const pairs = sql`program_id = any(${param(programIds)}::text[]) and partner_id = any(${param(partnerIds)}::text[])`;
  const rows = await selectRows<{
    program_id: string;
    partner_id: string;
    day: string;
    sales_count: number;
    revenue_minor: string;
    commission_minor: string;
  }>(
    tx,
    rolling
      ? sql`select program_id, partner_id, day::text as day, sales_count, revenue_minor::text, commission_minor::text
            from commission_daily_totals where ${pairs} and day between ${first}::date and ${last}::date`
      : sql`select program_id, partner_id, month::text as day, sales_count, revenue_minor::text, commission_minor::text
            from commission_monthly_totals where ${pairs} and month between ${first}::date and ${last}::date`,
  );
  const totals = new Map<string, Map<string, PeriodTotals>>();
  for (const r of rows) {
    const key = pairKey(r.program_id, r.partner_id);
    const days = totals.get(key) ?? new Map<string, PeriodTotals>();
    days.set(r.day, {
      salesCount: Number(r.sales_count),
      revenueMinor: BigInt(r.revenue_minor),
      commissionMinor: BigInt(r.commission_minor),
    });
    totals.set(key, days);
  }
  return totals;
}

async function loadLifetimeTotals(tx: Db, programIds: string[], partnerIds: string[]) {
  const rows = await selectRows<{
    program_id: string;
    partner_id: string;
    sales: string;
    revenue: string;
    commission: string;
  }>(
    tx,
    sql`select program_id, partner_id, sum(sales_count)::text as sales, sum(revenue_minor)::text as revenue,
          sum(commission_minor)::text as commission
        from commission_monthly_totals
        where program_id = any(${param(programIds)}::text[]) and partner_id = any(${param(partnerIds)}::text[])
        group by program_id, partner_id`,
  );
  return new Map(
    rows.map((r) => [
      pairKey(r.program_id, r.partner_id),
      { salesCount: Number(r.sales), revenueMinor: BigInt(r.revenue), commissionMinor: BigInt(r.commission) },
    ]),
  );
}

async function loadFxRates(tx: Db, credits: QueuedCredit[], programs: Map<string, ProgramTerms>) {
  const days = new Set<string>();
  const currencies = new Set<string>();
  for (const c of credits) {
    const program = programs.get(c.programId);
    if (c.kind !== "sale" || !c.currency || !program || c.currency === program.currency) continue;
    days.add(dayOf(c.occurredAt));
    currencies.add(c.currency);
    currencies.add(program.currency);
  }
  if (days.size === 0) return new Map<string, string>();
  const all = [...currencies];
  const rows = await selectRows<{ day: string; from_currency: string; to_currency: string; rate: string }>(
    tx,
    sql`select day::text as day, from_currency, to_currency, rate from fx_rates
        where day = any(${param([...days])}::date[]) and from_currency = any(${param(all)}::text[])
          and to_currency = any(${param(all)}::text[])`,
  );
  return new Map(rows.map((r) => [`${r.day}|${r.from_currency}|${r.to_currency}`, r.rate]));
}

async function loadSaleEntries(tx: Db, saleIds: string[]) {
  const entries = new Map<string, SourceEntry[]>(saleIds.map((id) => [id, []]));
  if (saleIds.length === 0) return entries;
  const rows = await selectRows<Record<string, unknown>>(
    tx,
    sql`select id, program_id, partner_id, enrollment_id, kind, amount_minor::text as amount_minor, status, payout_id,
          hold_until, conversion_id, source_entry_id, plan_version_id, rule_id, occurred_at, counted_sales,
          counted_revenue_minor::text as counted_revenue_minor
        from commission_entries
        where conversion_id = any(${param(saleIds)}::text[]) and kind in ('commission', 'override')
        order by id`,
  );
  for (const r of rows) {
    const entry: SourceEntry = {
      id: r.id as string,
      programId: r.program_id as string,
      partnerId: r.partner_id as string,
      enrollmentId: r.enrollment_id as string | null,
      kind: r.kind as SourceEntry["kind"],
      amountMinor: BigInt(r.amount_minor as string),
      status: r.status as CommissionStatus,
      payoutId: r.payout_id as string | null,
      holdUntil: r.hold_until ? new Date(r.hold_until as string | Date) : null,
      conversionId: r.conversion_id as string,
      sourceEntryId: r.source_entry_id as string | null,
      planVersionId: r.plan_version_id as string | null,
      ruleId: r.rule_id as string | null,
      occurredAt: new Date(r.occurred_at as string | Date),
      countedSales: Number(r.counted_sales),
      countedRevenueMinor: BigInt(r.counted_revenue_minor as string),
    };
    entries.get(entry.conversionId)?.push(entry);
  }
  return entries;
}

async function loadSales(tx: Db, saleIds: string[]) {
  const sales = new Map<string, RefundedSale>();
  if (saleIds.length === 0) return sales;
  const rows = await selectRows<{
    id: string;
    sale_id: string | null;
    kind: string;
    amount_minor: string | null;
    currency: string | null;
  }>(
    tx,
    sql`select id, sale_id, kind, amount_minor::text as amount_minor, currency from conversions
        where id = any(${param(saleIds)}::text[]) or (kind = 'refund' and sale_id = any(${param(saleIds)}::text[]))
        order by id`,
  );
  for (const r of rows)
    if (r.kind === "sale")
      sales.set(r.id, { amountMinor: BigInt(r.amount_minor ?? "0"), currency: r.currency, refunds: [] });
  for (const r of rows) {
    if (r.kind === "refund" && r.sale_id)
      sales.get(r.sale_id)?.refunds.push({ id: r.id, amountMinor: BigInt(r.amount_minor ?? "0") });
  }
  return sales;
}

/** The queue state of the sales' credits still queued or waiting for an FX rate (a credit not in the queue is done). */
async function loadSaleCreditStates(tx: Db, saleIds: string[]) {
  if (saleIds.length === 0) return new Map<string, string>();
  const rows = await selectRows<{ conversion_id: string; partner_id: string; state: string }>(
    tx,
    sql`select conversion_id, partner_id, state from commission_queue where conversion_id = any(${param(saleIds)}::text[])`,
  );
  return new Map(rows.map((r) => [`${r.conversion_id}|${r.partner_id}`, r.state]));
}
