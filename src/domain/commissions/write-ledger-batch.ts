import { sql } from "drizzle-orm";
import { arrayLiteral, arrayLiteralsTimeSliced } from "../../db/array-literal.js";
import { affectedRows, type Db, selectRows } from "../../db/client.js";
import { compactExplanation } from "../../db/explanation-codec.js";
import { type ExplanationRecipe, encodeRecipe } from "../../db/explanation-recipe.js";
import type {
  CommissionEntryKind,
  CommissionExplanation,
  CommissionState,
  CommissionStatus,
} from "../../db/schema/index.js";
import { randomToken } from "../../lib/crypto.js";
import { newId } from "../../lib/ids.js";
import type { PeriodTotals } from "./compute-commission.js";
import { isFinalStatus, keepingFinalTotals } from "./final-totals.js";

export interface NewEntry {
  id: string;
  programId: string;
  partnerId: string;
  enrollmentId: string | null;
  kind: CommissionEntryKind;
  amountMinor: bigint;
  currency: string;
  status: CommissionStatus;
  statusReason?: string | null;
  conversionId: string | null;
  sourceEntryId: string | null;
  planVersionId: string | null;
  ruleId: string | null;
  explanation: CommissionExplanation;
  /** What the explanation was rendered from: stored instead of its text when present. */
  recipe?: ExplanationRecipe | undefined;
  dedupeKey: string;
  occurredAt: Date;
  holdUntil: Date | null;
  createdBy?: string | null;
  /** What the entry adds to its partner's period totals besides its amount (see the column); none when absent. */
  counted?: { sales: number; revenueMinor: bigint } | undefined;
}

export interface LedgerBatch {
  entries: NewEntry[];
  states: { conversionId: string; partnerId: string; state: CommissionState }[];
  totals: (PeriodTotals & { programId: string; partnerId: string; day: string })[];
  rewards: {
    programId: string;
    customerId: string;
    partnerId: string;
    conversionId: string;
    kind: string;
    value: bigint;
    currency: string | null;
  }[];
  badges: { programId: string; partnerId: string; badgeId: string; name: string; benefits: string[] }[];
  now: Date;
}

// One array literal per column: the statement text and parameter count stay the same for 1 or 5,000 rows.
const column = <T>(rows: T[], pick: (row: T) => string | number | null) => arrayLiteral(rows.map(pick));

/** Writes a computed batch: one statement per table. Dedupe keys make a replayed batch a no-op. */
export async function writeLedgerBatch(tx: Db, batch: LedgerBatch): Promise<void> {
  const { entries, states, totals, rewards, badges, now } = batch;
  if (entries.length > 0) await insertEntries(tx, entries, now);
  // Done credits leave the queue; those waiting for an FX rate stay in it, marked.
  const done = states.filter((s) => s.state === "done");
  const waiting = states.filter((s) => s.state === "waiting_fx");
  if (done.length > 0) {
    // Each pair is looked up through the queue's key and its rows deleted by position. Joined to the pairs, the
    // planner hashed the whole queue for every batch once it thought the queue small enough to (130 ms a batch
    // with 300,000 credits queued, against 20 ms); filtered by `conversion_id = any(…)` it scanned it (60 ms).
    // The rows are this transaction's, locked when the batch was read: their positions cannot move meanwhile.
    await tx.execute(sql`
      delete from commission_queue q
      where q.ctid = any(array(
        select k.ctid
        from unnest(${column(done, (s) => s.conversionId)}::text[], ${column(done, (s) => s.partnerId)}::text[])
          as u(conversion_id, partner_id)
        cross join lateral (
          select ctid from commission_queue
          where conversion_id = u.conversion_id and partner_id = u.partner_id offset 0
        ) k))`);
  }
  if (waiting.length > 0) {
    await tx.execute(sql`
      update commission_queue q set state = 'waiting_fx'
      from unnest(${column(waiting, (s) => s.conversionId)}::text[], ${column(waiting, (s) => s.partnerId)}::text[])
        as u(conversion_id, partner_id)
      where q.conversion_id = u.conversion_id and q.partner_id = u.partner_id`);
  }
  if (totals.length > 0) {
    // Daily and monthly buckets in one statement: the month rows are the day deltas summed by the database.
    await tx.execute(sql`
      with d as (
        select * from unnest(${column(totals, (t) => t.programId)}::text[], ${column(totals, (t) => t.partnerId)}::text[],
          ${column(totals, (t) => t.day)}::date[], ${column(totals, (t) => t.salesCount)}::int[],
          ${column(totals, (t) => t.revenueMinor.toString())}::bigint[], ${column(totals, (t) => t.commissionMinor.toString())}::bigint[])
          as u(program_id, partner_id, day, sales_count, revenue_minor, commission_minor)
      ),
      daily as (
        insert into commission_daily_totals (program_id, partner_id, day, sales_count, revenue_minor, commission_minor)
        select * from d
        on conflict (program_id, partner_id, day) do update set
          sales_count = commission_daily_totals.sales_count + excluded.sales_count,
          revenue_minor = commission_daily_totals.revenue_minor + excluded.revenue_minor,
          commission_minor = commission_daily_totals.commission_minor + excluded.commission_minor
      )
      insert into commission_monthly_totals (program_id, partner_id, month, sales_count, revenue_minor, commission_minor)
      select program_id, partner_id, date_trunc('month', day)::date, sum(sales_count), sum(revenue_minor), sum(commission_minor)
      from d group by 1, 2, 3
      on conflict (program_id, partner_id, month) do update set
        sales_count = commission_monthly_totals.sales_count + excluded.sales_count,
        revenue_minor = commission_monthly_totals.revenue_minor + excluded.revenue_minor,
        commission_minor = commission_monthly_totals.commission_minor + excluded.commission_minor`);
  }
  if (rewards.length > 0) {
    await tx.execute(sql`
      insert into referral_rewards (id, program_id, customer_id, partner_id, conversion_id, kind, value, currency, code, issued_at)
      select * from unnest(${column(rewards, () => newId("referralReward", now))}::text[],
        ${column(rewards, (r) => r.programId)}::text[], ${column(rewards, (r) => r.customerId)}::text[],
        ${column(rewards, (r) => r.partnerId)}::text[], ${column(rewards, (r) => r.conversionId)}::text[],
        ${column(rewards, (r) => r.kind)}::text[], ${column(rewards, (r) => r.value.toString())}::bigint[],
        ${column(rewards, (r) => r.currency)}::text[], ${column(rewards, () => rewardCode())}::text[],
        ${column(rewards, () => now.toISOString())}::timestamptz[])
      on conflict do nothing`);
  }
  if (badges.length > 0) {
    await tx.execute(sql`
      insert into partner_badges (program_id, partner_id, badge_id, name, benefits, awarded_at)
      select b.program_id, b.partner_id, b.badge_id, b.name, array(select jsonb_array_elements_text(b.benefits)), ${now.toISOString()}::timestamptz
      from unnest(${column(badges, (b) => b.programId)}::text[], ${column(badges, (b) => b.partnerId)}::text[],
        ${column(badges, (b) => b.badgeId)}::text[], ${column(badges, (b) => b.name)}::text[],
        ${column(badges, (b) => JSON.stringify(b.benefits))}::jsonb[]) as b(program_id, partner_id, badge_id, name, benefits)
      on conflict do nothing`);
  }
}

/**
 * Entries go in as one array literal per column expanded by unnest, the explanation as its JSON text (cast to
 * jsonb by the database). On PostgreSQL the database does about a third of the work that one JSON document of
 * the rows expanded by json_populate_recordset cost it (that converts every field of every row through JSON).
 *
 * Inserts ledger entries; one whose dedupe key exists already is skipped. Returns how many were inserted. A batch
 * with an entry born final (a sale that fraud rules rejected) adds what it inserted of them to the kept totals, in
 * the same statement; the usual batch is the plain insert.
 */
export async function insertEntries(tx: Db, entries: NewEntry[], now: Date): Promise<number> {
  const at = now.toISOString();
  const [
    ids,
    programIds,
    partnerIds,
    enrollmentIds,
    kinds,
    amounts,
    currencies,
    statuses,
    statusReasons,
    conversionIds,
    sourceEntryIds,
    planVersionIds,
    ruleIds,
    explanations,
    dedupeKeys,
    occurredAts,
    holdUntils,
    createdBys,
    countedSales,
    countedRevenues,
  ] = await arrayLiteralsTimeSliced(entries, [
    (e) => e.id,
    (e) => e.programId,
    (e) => e.partnerId,
    (e) => e.enrollmentId,
    (e) => e.kind,
    (e) => e.amountMinor,
    (e) => e.currency,
    (e) => e.status,
    (e) => e.statusReason ?? null,
    (e) => e.conversionId,
    (e) => e.sourceEntryId,
    (e) => e.planVersionId,
    (e) => e.ruleId,
    storedExplanation,
    (e) => e.dedupeKey,
    (e) => e.occurredAt,
    (e) => e.holdUntil,
    (e) => e.createdBy ?? null,
    (e) => e.counted?.sales ?? 0,
    (e) => e.counted?.revenueMinor ?? 0n,
  ]);
  const insert = sql`
    insert into commission_entries (id, program_id, partner_id, enrollment_id, kind, amount_minor, currency, status,
      status_reason, conversion_id, source_entry_id, plan_version_id, rule_id, explanation, dedupe_key, occurred_at,
      hold_until, created_by, counted_sales, counted_revenue_minor, created_at, status_changed_at)
    select u.id, u.program_id, u.partner_id, u.enrollment_id, u.kind, u.amount_minor, u.currency, u.status,
      u.status_reason, u.conversion_id, u.source_entry_id, u.plan_version_id, u.rule_id, u.explanation::jsonb,
      u.dedupe_key, u.occurred_at, u.hold_until, u.created_by, u.counted_sales, u.counted_revenue_minor,
      ${at}::timestamptz, ${at}::timestamptz
    from unnest(${ids}::text[], ${programIds}::text[], ${partnerIds}::text[], ${enrollmentIds}::text[],
      ${kinds}::text[], ${amounts}::bigint[], ${currencies}::text[], ${statuses}::text[], ${statusReasons}::text[],
      ${conversionIds}::text[], ${sourceEntryIds}::text[], ${planVersionIds}::text[], ${ruleIds}::text[],
      ${explanations}::text[], ${dedupeKeys}::text[], ${occurredAts}::timestamptz[], ${holdUntils}::timestamptz[],
      ${createdBys}::text[], ${countedSales}::int[], ${countedRevenues}::bigint[])
      as u(id, program_id, partner_id, enrollment_id, kind, amount_minor, currency, status, status_reason,
        conversion_id, source_entry_id, plan_version_id, rule_id, explanation, dedupe_key, occurred_at, hold_until,
        created_by, counted_sales, counted_revenue_minor)
    on conflict (program_id, dedupe_key) do nothing`;
  if (!entries.some((e) => isFinalStatus(e.status))) return affectedRows(await tx.execute(insert));
  const [row] = await selectRows<{ n: number }>(
    tx,
    keepingFinalTotals(
      sql`${insert} returning program_id, partner_id, currency, status, amount_minor`,
      sql`count(*)::int as n`,
    ),
  );
  return row?.n ?? 0;
}

/** The explanation column's JSON: the recipe as a jsonb string when there is one, else the compact object. */
const storedExplanation = (e: NewEntry): string =>
  e.recipe ? JSON.stringify(encodeRecipe(e.recipe)) : JSON.stringify(compactExplanation(e.explanation));

/** A code the vendor hands the referred customer: unambiguous letters and digits. */
function rewardCode(): string {
  const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  const bytes = Buffer.from(randomToken(12), "base64url");
  let code = "";
  for (let i = 0; i < 10; i++) code += alphabet[bytes[i]! % alphabet.length];
  return `REF-${code}`;
}
