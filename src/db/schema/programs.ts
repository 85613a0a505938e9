import { sql } from "drizzle-orm";
import { bigint, boolean, check, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

export const programTypes = ["affiliate", "referral", "reseller", "msp", "si", "isv", "influencer"] as const;
export type ProgramType = (typeof programTypes)[number];

export const programStatuses = ["draft", "active", "paused", "archived"] as const;
export type ProgramStatus = (typeof programStatuses)[number];

export const questionTypes = ["text", "long_text", "select", "url", "number"] as const;
export type QuestionType = (typeof questionTypes)[number];

export const attributionModels = ["first_click", "last_click", "linear", "position_based", "time_decay"] as const;
export type AttributionModelName = (typeof attributionModels)[number];
export const couponPrecedences = ["coupon_over_cookie", "cookie_over_coupon"] as const;
export type CouponPrecedence = (typeof couponPrecedences)[number];

export const ruleSelections = ["first_match", "best_for_partner"] as const;
export type RuleSelection = (typeof ruleSelections)[number];

export const payoutSchedules = ["monthly", "net_15", "net_30", "net_60"] as const;
export type PayoutSchedule = (typeof payoutSchedules)[number];

/**
 * Stripe billing tracking: the vendor's Stripe account (the platform's key) bills its customers, and its invoices
 * of these Stripe products (all of them when the list is empty) are this program's sales.
 */
export interface StripeBillingSetting {
  enabled: boolean;
  /** Stripe product ids (`prod_…`); empty: every product. */
  productIds: string[];
}

export interface ApplicationQuestion {
  id: string;
  label: string;
  type: QuestionType;
  required: boolean;
  /** Only for `select`. */
  options?: string[];
  helpText?: string;
}

export const programs = pgTable(
  "programs",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    slug: text("slug").notNull(),
    type: text("type").$type<ProgramType>().notNull(),
    status: text("status").$type<ProgramStatus>().notNull(),
    description: text("description").notNull().default(""),
    currency: text("currency").notNull(),
    cookieWindowDays: integer("cookie_window_days").notNull(),
    allowedDomains: text("allowed_domains").array().notNull(),
    defaultLandingUrl: text("default_landing_url"),
    termsText: text("terms_text").notNull().default(""),
    termsVersion: integer("terms_version").notNull().default(1),
    applicationQuestions: jsonb("application_questions").$type<ApplicationQuestion[]>().notNull().default([]),
    attributionModel: text("attribution_model").$type<AttributionModelName>().notNull().default("last_click"),
    timeDecayHalfLifeDays: integer("time_decay_half_life_days").notNull().default(7),
    lifetimeBinding: boolean("lifetime_binding").notNull().default(false),
    couponPrecedence: text("coupon_precedence").$type<CouponPrecedence>().notNull().default("coupon_over_cookie"),
    /** Query parameter that carries the click id to the destination (the snippet reads the same name). */
    clickIdParam: text("click_id_param").notNull().default("tb_click"),
    /** Appended to every destination unless the URL already has them, e.g. { utm_source: "partner" }. */
    utmParams: jsonb("utm_params").$type<Record<string, string>>().notNull().default({}),
    /**
     * The program's own host for its partner links (`go.acme.com`, pointed at Tributary by the vendor): links read
     * https://go.acme.com/r/<slug>. Null: links are shown on the host the console or portal is opened on.
     */
    linkDomain: text("link_domain"),
    /** Null: Stripe billing tracking was never set up (off). */
    stripeBilling: jsonb("stripe_billing").$type<StripeBillingSetting>(),
    /** Days a commission stays pending (refund window) before the holding-release job approves it. */
    holdingDays: integer("holding_days").notNull().default(30),
    /** When several rules of a plan match a conversion: the first in order, or the one that pays the partner most. */
    ruleSelection: text("rule_selection").$type<RuleSelection>().notNull().default("first_match"),
    /** When approved commissions become payable; see the README's Payouts section for the exact rule. */
    payoutSchedule: text("payout_schedule").$type<PayoutSchedule>().notNull().default("monthly"),
    /** A balance under this (program currency, minor units) is not paid out; it carries over. */
    payoutMinimumMinor: bigint("payout_minimum_minor", { mode: "bigint" }).notNull().default(sql`0`),
    requireTaxForm: boolean("require_tax_form").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex("programs_slug_key").on(t.slug),
    check("programs_payout_minimum", sql`${t.payoutMinimumMinor} >= 0`),
    check("programs_currency_iso", sql`${t.currency} ~ '^[A-Z]{3}$'`),
    check("programs_cookie_window", sql`${t.cookieWindowDays} between 1 and 3650`),
  ],
);
