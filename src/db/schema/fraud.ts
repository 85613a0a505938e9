import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { partners } from "./partners.js";
import { programs } from "./programs.js";

/** Every rule the fraud engine knows; `manual_report` is the decision a confirmed report writes. */
export const fraudRules = [
  "self_referral",
  "duplicate_customer",
  "duplicate_order",
  "velocity",
  "click_injection",
  "click_spamming",
  "disposable_email",
  "bot_user_agent",
  "cookie_stuffing",
  "conversion_rate_outlier",
  "paid_search",
  "manual_report",
] as const;
export type FraudRule = (typeof fraudRules)[number];

/** allow: record only; flag: queue for review, money flows; hold: money held until reviewed; reject: no money. */
export const fraudActions = ["allow", "flag", "hold", "reject"] as const;
export type FraudAction = (typeof fraudActions)[number];

export const fraudReviewStatuses = ["open", "approved", "rejected"] as const;
export type FraudReviewStatus = (typeof fraudReviewStatuses)[number];

export const fraudDecisionSources = ["ingestion", "sweep", "report"] as const;
export type FraudDecisionSource = (typeof fraudDecisionSources)[number];

/** A program's choice for one rule; a rule without a row runs with its documented defaults. */
export const fraudRuleSettings = pgTable(
  "fraud_rule_settings",
  {
    programId: text("program_id")
      .notNull()
      .references(() => programs.id),
    rule: text("rule").$type<FraudRule>().notNull(),
    enabled: boolean("enabled").notNull().default(true),
    action: text("action").$type<FraudAction>().notNull(),
    /** Only the thresholds that differ from the defaults; see fraud-rules.ts for each rule's shape. */
    thresholds: jsonb("thresholds").$type<Record<string, number | boolean | string>>().notNull().default({}),
    updatedBy: text("updated_by").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.programId, t.rule] })],
);

/**
 * What the fraud rules read about an attributed conversion, written with it: the converting session's IP as a
 * keyed hash that does not change with the day (velocity windows cross midnight; the address is never stored),
 * a device id's hash, the parsed user agent, and the click that earned the credit.
 */
export const conversionScreens = pgTable(
  "conversion_screens",
  {
    conversionId: text("conversion_id").primaryKey(),
    programId: text("program_id").notNull(),
    /** The partner with the largest share. */
    partnerId: text("partner_id").notNull(),
    kind: text("kind").$type<"lead" | "sale">().notNull(),
    occurredAt: timestamp("occurred_at", { withTimezone: true }).notNull(),
    ipHash: text("ip_hash"),
    deviceHash: text("device_hash"),
    deviceType: text("device_type"),
    browser: text("browser"),
    os: text("os"),
    /** The credited partner's latest click before the conversion (null when credit came from a coupon or a binding). */
    clickId: text("click_id"),
    clickedAt: timestamp("clicked_at", { withTimezone: true }),
    /** Click-to-conversion time in seconds. */
    ctitSeconds: integer("ctit_seconds"),
    /** When the sweep finished with this conversion's per-conversion checks (velocity after its window, bursts). */
    sweptAt: timestamp("swept_at", { withTimezone: true }),
  },
  (t) => [
    index("conversion_screens_ip_idx").on(t.programId, t.ipHash, t.occurredAt).where(sql`${t.ipHash} is not null`),
    index("conversion_screens_device_idx")
      .on(t.programId, t.deviceHash, t.occurredAt)
      .where(sql`${t.deviceHash} is not null`),
    index("conversion_screens_program_idx").on(t.programId, t.occurredAt),
    index("conversion_screens_partner_idx").on(t.partnerId, t.occurredAt),
    index("conversion_screens_unswept_idx").on(t.programId, t.occurredAt).where(sql`${t.sweptAt} is null`),
  ],
);

/** One rule's verdict on one conversion, with the evidence it saw. A rule decides a conversion at most once. */
export const fraudDecisions = pgTable(
  "fraud_decisions",
  {
    id: text("id").primaryKey(),
    programId: text("program_id").notNull(),
    conversionId: text("conversion_id").notNull(),
    /** The partner the evidence concerns. */
    partnerId: text("partner_id"),
    rule: text("rule").$type<FraudRule>().notNull(),
    action: text("action").$type<FraudAction>().notNull(),
    evidence: jsonb("evidence").$type<Record<string, unknown>>().notNull(),
    source: text("source").$type<FraudDecisionSource>().notNull(),
    decidedAt: timestamp("decided_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex("fraud_decisions_conversion_rule_key").on(t.conversionId, t.rule),
    index("fraud_decisions_program_idx").on(t.programId, t.decidedAt),
  ],
);

/**
 * The review case of a conversion that at least one rule flagged, held or rejected: the strongest action, and
 * what a reviewer decided. The commission engine and the ledger read it (see fraudHoldsFor).
 */
export const fraudReviews = pgTable(
  "fraud_reviews",
  {
    conversionId: text("conversion_id").primaryKey(),
    programId: text("program_id").notNull(),
    partnerId: text("partner_id").notNull(),
    action: text("action").$type<Exclude<FraudAction, "allow">>().notNull(),
    status: text("status").$type<FraudReviewStatus>().notNull(),
    rules: text("rules").array().$type<FraudRule[]>().notNull(),
    /** The reviewer's reason (console only; partners see the outcome). */
    reason: text("reason"),
    reviewedById: text("reviewed_by_id"),
    reviewedByLabel: text("reviewed_by_label"),
    reviewedAt: timestamp("reviewed_at", { withTimezone: true }),
    openedAt: timestamp("opened_at", { withTimezone: true }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    // The review queue, newest first, for one program or all: read in index order up to the page's limit.
    index("fraud_reviews_queue_idx").on(t.programId, t.status, t.openedAt, t.conversionId),
    index("fraud_reviews_status_opened_idx").on(t.status, t.openedAt, t.conversionId),
    index("fraud_reviews_partner_idx").on(t.partnerId, t.status),
  ],
);

export const fraudReportKinds = ["trademark_bidding", "brand_misuse", "other"] as const;
export type FraudReportKind = (typeof fraudReportKinds)[number];
export const fraudReportStatuses = ["open", "confirmed", "dismissed"] as const;
export type FraudReportStatus = (typeof fraudReportStatuses)[number];

export interface FraudReportEvidence {
  urls: string[];
  /** Search terms bid on, ad texts, domains: whatever the reporter saw. */
  keywords: string[];
  observedAt: string | null;
  notes: string | null;
}

/** A manual report (trademark bidding, brand misuse) with its evidence; confirming it can hold or reject a period's conversions. */
export const fraudReports = pgTable(
  "fraud_reports",
  {
    id: text("id").primaryKey(),
    programId: text("program_id").references(() => programs.id),
    partnerId: text("partner_id")
      .notNull()
      .references(() => partners.id),
    kind: text("kind").$type<FraudReportKind>().notNull(),
    description: text("description").notNull(),
    evidence: jsonb("evidence").$type<FraudReportEvidence>().notNull(),
    status: text("status").$type<FraudReportStatus>().notNull(),
    resolution: text("resolution"),
    reportedByType: text("reported_by_type").notNull(),
    reportedById: text("reported_by_id"),
    reportedByLabel: text("reported_by_label").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    resolvedAt: timestamp("resolved_at", { withTimezone: true }),
    resolvedByLabel: text("resolved_by_label"),
  },
  (t) => [
    index("fraud_reports_status_idx").on(t.status, t.createdAt),
    index("fraud_reports_partner_idx").on(t.partnerId),
  ],
);

export const partnerActionKinds = ["warn", "suspend", "ban", "reinstate"] as const;
export type PartnerActionKind = (typeof partnerActionKinds)[number];

/** Warnings, suspensions and bans of a partner across every program, with the message the partner sees. */
export const partnerActions = pgTable(
  "partner_actions",
  {
    id: text("id").primaryKey(),
    partnerId: text("partner_id")
      .notNull()
      .references(() => partners.id),
    kind: text("kind").$type<PartnerActionKind>().notNull(),
    /** Internal: why (console and audit log only). */
    reason: text("reason").notNull(),
    /** What the partner is told in the portal. */
    message: text("message"),
    enrollmentIds: text("enrollment_ids").array().notNull(),
    reportId: text("report_id"),
    createdByType: text("created_by_type").notNull(),
    createdById: text("created_by_id"),
    createdByLabel: text("created_by_label").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("partner_actions_partner_idx").on(t.partnerId, t.createdAt)],
);

export const partnerIdentifierKinds = ["ip", "payout_email"] as const;
export type PartnerIdentifierKind = (typeof partnerIdentifierKinds)[number];

/** Hashes of what identifies a partner's own people (portal sign-in IPs, payout email), for self-referral checks. */
export const partnerIdentifiers = pgTable(
  "partner_identifiers",
  {
    partnerId: text("partner_id").notNull(),
    kind: text("kind").$type<PartnerIdentifierKind>().notNull(),
    valueHash: text("value_hash").notNull(),
    firstSeenAt: timestamp("first_seen_at", { withTimezone: true }).notNull(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.partnerId, t.kind, t.valueHash] })],
);

/**
 * Page activity: the site snippet confirmed a redirect click's id from a page on the program's site (it ran in a
 * browser that rendered the landing page). A redirect click never confirmed did not reach a page with the snippet.
 */
export const clickLandings = pgTable(
  "click_landings",
  {
    clickId: text("click_id").primaryKey(),
    programId: text("program_id").notNull(),
    partnerId: text("partner_id").notNull(),
    clickedAt: timestamp("clicked_at", { withTimezone: true }).notNull(),
    at: timestamp("at", { withTimezone: true }).notNull(),
  },
  (t) => [index("click_landings_program_idx").on(t.programId, t.clickedAt)],
);
