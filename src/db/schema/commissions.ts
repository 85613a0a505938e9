import { sql } from "drizzle-orm";
import {
  bigint,
  check,
  customType,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import type { PlanDefinition } from "../../domain/commissions/plan-definition.js";
import { compactExplanation, expandExplanation } from "../explanation-codec.js";
import { programs } from "./programs.js";

/** A jsonb column holding an explanation in its compact stored form (see explanation-codec.ts). */
const explanationColumn = customType<{ data: CommissionExplanation; driverData: unknown }>({
  dataType: () => "jsonb",
  toDriver: (value) => JSON.stringify(compactExplanation(value)),
  fromDriver: (value) => expandExplanation(value),
});

export const planScopes = ["program", "tier", "partner"] as const;
export type PlanScope = (typeof planScopes)[number];

/**
 * A commission plan of a program. The program-wide plan applies unless a plan for the partner's tier or for the
 * partner itself exists (partner beats tier beats program). Its rules live in immutable versions.
 */
export const commissionPlans = pgTable(
  "commission_plans",
  {
    id: text("id").primaryKey(),
    programId: text("program_id")
      .notNull()
      .references(() => programs.id),
    name: text("name").notNull(),
    scope: text("scope").$type<PlanScope>().notNull(),
    /** The tier name for `tier`, the partner id for `partner`, null for `program`. */
    scopeValue: text("scope_value"),
    currentVersion: integer("current_version").notNull(),
    archivedAt: timestamp("archived_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex("commission_plans_scope_key")
      .on(t.programId, t.scope, sql`coalesce(${t.scopeValue}, '')`)
      .where(sql`${t.archivedAt} is null`),
    check("commission_plans_scope_value", sql`(${t.scope} = 'program') = (${t.scopeValue} is null)`),
  ],
);

/** Editing a plan appends a version; commissions keep pointing at the version that earned them. */
export const commissionPlanVersions = pgTable(
  "commission_plan_versions",
  {
    id: text("id").primaryKey(),
    planId: text("plan_id")
      .notNull()
      .references(() => commissionPlans.id),
    programId: text("program_id").notNull(),
    version: integer("version").notNull(),
    definition: jsonb("definition").$type<PlanDefinition>().notNull(),
    createdBy: text("created_by"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex("commission_plan_versions_key").on(t.planId, t.version)],
);

export const commissionEntryKinds = ["commission", "override", "bonus", "reversal", "clawback", "adjustment"] as const;
export type CommissionEntryKind = (typeof commissionEntryKinds)[number];

export const commissionStatuses = ["pending", "approved", "held", "rejected", "paid"] as const;
export type CommissionStatus = (typeof commissionStatuses)[number];
/** Statuses an entry never leaves (the ledger's trigger refuses it): their money is kept in commission_final_totals. */
export const finalCommissionStatuses = ["rejected", "paid"] as const satisfies readonly CommissionStatus[];

/**
 * The ledger. Rows are only ever appended: amounts never change (a database trigger refuses it and refuses
 * deletes); corrections are new rows (reversal, clawback, adjustment). Only the status moves, forward.
 */
export const commissionEntries = pgTable(
  "commission_entries",
  {
    id: text("id").primaryKey(),
    programId: text("program_id")
      .notNull()
      .references(() => programs.id),
    partnerId: text("partner_id").notNull(),
    enrollmentId: text("enrollment_id"),
    kind: text("kind").$type<CommissionEntryKind>().notNull(),
    /** Signed, in the program currency. */
    amountMinor: bigint("amount_minor", { mode: "bigint" }).notNull(),
    currency: text("currency").notNull(),
    status: text("status").$type<CommissionStatus>().notNull(),
    statusReason: text("status_reason"),
    conversionId: text("conversion_id"),
    /** The entry this one derives from: the commission a reversal, clawback or override is computed on. */
    sourceEntryId: text("source_entry_id"),
    planVersionId: text("plan_version_id"),
    ruleId: text("rule_id"),
    /** Inputs and arithmetic, for the console and the partner. */
    explanation: explanationColumn("explanation").notNull(),
    /** Makes the calculation idempotent: one commission per credit, one reversal per refund and entry, one bonus per period. */
    dedupeKey: text("dedupe_key").notNull(),
    occurredAt: timestamp("occurred_at", { withTimezone: true }).notNull(),
    /** End of the holding period: a pending entry is approved by the holding-release job after this. */
    holdUntil: timestamp("hold_until", { withTimezone: true }),
    payoutId: text("payout_id"),
    /**
     * What the entry added to its partner's period totals (the sales count and revenue tiers, caps and bonuses read;
     * the commission total is its amount): a sale's commission counts the sale and its credited revenue, a refund's
     * reversal takes its share back. Rejecting the entry takes exactly this out again.
     */
    countedSales: integer("counted_sales").notNull().default(0),
    countedRevenueMinor: bigint("counted_revenue_minor", { mode: "bigint" }).notNull().default(sql`0`),
    createdBy: text("created_by"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    statusChangedAt: timestamp("status_changed_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex("commission_entries_dedupe_key").on(t.programId, t.dedupeKey),
    // The partner first: a partner's earnings across programs (the portal's default) are one index range too;
    // program-wide reads go through the status and dedupe indexes.
    index("commission_entries_partner_program_idx").on(t.partnerId, t.programId, t.occurredAt),
    // A program's entries still moving, by status: the holding release (pending, by hold_until), a payout run's
    // balances (approved) and a program's ledger totals. Paid and rejected entries, most of a ledger, are in none
    // of those reads: left out, they cost no index entry when inserted or when an entry reaches them.
    index("commission_entries_status_idx")
      .on(t.programId, t.status, t.holdUntil)
      .where(sql`${t.status} in ('pending', 'approved', 'held')`),
    // The console's list filtered by date: a program's page is a range of this, newest first; all programs are read
    // a page per program (a partner's from commission_entries_partner_program_idx).
    index("commission_entries_program_occurred_idx").on(t.programId, t.occurredAt),
    // The console's list (and its CSV export, and GET /v1/commissions) filtered by an open status and by date: a
    // page is a range of this, newest first. Without it the planner walked (program_id, occurred_at) back from the
    // range's end, expecting the status to turn up as often as anywhere, and read every entry before it when the
    // status had none there (pending entries are the last weeks'): 26–51 ms at 210,000 entries, under 0.1 ms with it.
    // Paid and rejected entries are left out, as in commission_entries_status_idx: they are most of a ledger
    // (8.4 MB for all, 1.1 MB for these), common enough in any range to be found at once walking the program's
    // dates, paid ones are listed by payout too, and an entry moving to either writes no entry here.
    index("commission_entries_open_occurred_idx")
      .on(t.programId, t.status, t.occurredAt)
      .where(sql`${t.status} in ('pending', 'approved', 'held')`),
    // The console's list filtered by status, newest first, in one program or all: read in index order up to a page.
    index("commission_entries_program_status_id_idx").on(t.programId, t.status, t.id),
    index("commission_entries_status_id_idx").on(t.status, t.id),
    // The entries still moving, per partner: the ledger totals sum these and read the final ones from
    // commission_final_totals. Neither payout_id nor an amount is in it, so a payout's claim stays a HOT update.
    index("commission_entries_live_idx")
      .on(t.partnerId, t.programId)
      .where(sql`${t.status} in ('pending', 'approved', 'held')`),
    index("commission_entries_conversion_idx").on(t.conversionId),
    // Most entries derive from nothing: a partial index keeps bulk inserts cheap.
    index("commission_entries_source_idx").on(t.sourceEntryId).where(sql`${t.sourceEntryId} is not null`),
    // No index on payout_id (a payout's entries are listed in payout_items): claiming entries for a payout then
    // changes no indexed column, and with the free space the table keeps (fillfactor, set in migration 0006)
    // the update is HOT — the row is rewritten in its page and none of the indexes above is touched.
  ],
);

/**
 * The money of the entries in a final status, per program, partner and currency: what the ledger totals would
 * otherwise sum from every paid or rejected entry ever written. Kept by the statements that move entries into those
 * statuses (see final-totals.ts), in their transaction; amounts are added with `x = x + excluded.x`, so concurrent
 * moves of one partner's entries wait for each other's row instead of losing one.
 */
export const commissionFinalTotals = pgTable(
  "commission_final_totals",
  {
    programId: text("program_id").notNull(),
    partnerId: text("partner_id").notNull(),
    currency: text("currency").notNull(),
    paidMinor: bigint("paid_minor", { mode: "bigint" }).notNull().default(sql`0`),
    rejectedMinor: bigint("rejected_minor", { mode: "bigint" }).notNull().default(sql`0`),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.partnerId, t.currency] }),
    // A partner's totals across programs (the portal's default).
    index("commission_final_totals_partner_idx").on(t.partnerId),
  ],
);

export const commissionQueueStates = ["queued", "waiting_fx"] as const;
export type CommissionQueueState = (typeof commissionQueueStates)[number];

/**
 * The credits the engine has yet to handle: a credit is queued here when recorded and its row deleted once its
 * commission is computed; one whose sale waits for an FX rate stays as `waiting_fx` until a rate is saved. A
 * queue of its own keeps the engine from rewriting every conversion_credits row (and its indexes) it handles.
 */
export const commissionQueue = pgTable(
  "commission_queue",
  {
    conversionId: text("conversion_id").notNull(),
    partnerId: text("partner_id").notNull(),
    programId: text("program_id").notNull(),
    state: text("state").$type<CommissionQueueState>().notNull().default("queued"),
  },
  (t) => [primaryKey({ columns: [t.conversionId, t.partnerId] })],
);

export interface CommissionExplanation {
  summary: string;
  /** Each step of the arithmetic, in order, e.g. "1,000 bps of 12,000 = 1,200". */
  steps: string[];
  inputs?: Record<string, unknown>;
  /** Rules considered and why they did not apply. */
  skipped?: { ruleId: string; ruleName: string; reason: string }[];
}

/**
 * Sales, revenue and commission per partner and day. Calendar-month and rolling-30-day volume tiers, caps and
 * bonuses read their period totals from these buckets instead of scanning the ledger.
 */
export const commissionDailyTotals = pgTable(
  "commission_daily_totals",
  {
    programId: text("program_id").notNull(),
    partnerId: text("partner_id").notNull(),
    day: date("day", { mode: "string" }).notNull(),
    salesCount: integer("sales_count").notNull().default(0),
    revenueMinor: bigint("revenue_minor", { mode: "bigint" }).notNull().default(sql`0`),
    commissionMinor: bigint("commission_minor", { mode: "bigint" }).notNull().default(sql`0`),
  },
  (t) => [primaryKey({ columns: [t.programId, t.partnerId, t.day] })],
);

/**
 * The same totals per partner and calendar month (`month` is its first day), written with the daily ones. A batch
 * whose plans count only calendar months reads one row per partner here instead of a month of daily rows.
 */
export const commissionMonthlyTotals = pgTable(
  "commission_monthly_totals",
  {
    programId: text("program_id").notNull(),
    partnerId: text("partner_id").notNull(),
    month: date("month", { mode: "string" }).notNull(),
    salesCount: integer("sales_count").notNull().default(0),
    revenueMinor: bigint("revenue_minor", { mode: "bigint" }).notNull().default(sql`0`),
    commissionMinor: bigint("commission_minor", { mode: "bigint" }).notNull().default(sql`0`),
  },
  (t) => [primaryKey({ columns: [t.programId, t.partnerId, t.month] })],
);

/** Exchange rates by day: 1 `fromCurrency` = `rate` `toCurrency`, exact decimal. */
export const fxRates = pgTable(
  "fx_rates",
  {
    day: date("day", { mode: "string" }).notNull(),
    fromCurrency: text("from_currency").notNull(),
    toCurrency: text("to_currency").notNull(),
    rate: text("rate").notNull(),
    source: text("source").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.day, t.fromCurrency, t.toCurrency] }),
    check("fx_rates_rate_positive", sql`${t.rate}::numeric > 0`),
  ],
);

export const referralRewardKinds = ["discount_percent", "discount_amount", "credit"] as const;
export type ReferralRewardKind = (typeof referralRewardKinds)[number];

/** The referred customer's side of a two-sided reward: a code issued once per customer, recorded. */
export const referralRewards = pgTable(
  "referral_rewards",
  {
    id: text("id").primaryKey(),
    programId: text("program_id").notNull(),
    customerId: text("customer_id").notNull(),
    partnerId: text("partner_id").notNull(),
    conversionId: text("conversion_id").notNull(),
    kind: text("kind").$type<ReferralRewardKind>().notNull(),
    /** Basis points for a percent discount, minor units otherwise. */
    value: bigint("value", { mode: "bigint" }).notNull(),
    currency: text("currency"),
    code: text("code").notNull(),
    issuedAt: timestamp("issued_at", { withTimezone: true }).notNull(),
    redeemedAt: timestamp("redeemed_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("referral_rewards_customer_key").on(t.programId, t.customerId),
    uniqueIndex("referral_rewards_code_key").on(t.code),
  ],
);

/** Non-monetary rewards: a milestone badge, awarded once, unlocking the benefits listed in the plan. */
export const partnerBadges = pgTable(
  "partner_badges",
  {
    programId: text("program_id").notNull(),
    partnerId: text("partner_id").notNull(),
    badgeId: text("badge_id").notNull(),
    name: text("name").notNull(),
    benefits: text("benefits").array().notNull(),
    awardedAt: timestamp("awarded_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.programId, t.partnerId, t.badgeId] })],
);
