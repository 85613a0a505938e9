import { sql } from "drizzle-orm";
import { check, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

export const programTypes = ["affiliate", "referral", "reseller", "msp", "si", "isv", "influencer"] as const;
export type ProgramType = (typeof programTypes)[number];

export const programStatuses = ["draft", "active", "paused", "archived"] as const;
export type ProgramStatus = (typeof programStatuses)[number];

export const questionTypes = ["text", "long_text", "select", "url", "number"] as const;
export type QuestionType = (typeof questionTypes)[number];

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
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex("programs_slug_key").on(t.slug),
    check("programs_currency_iso", sql`${t.currency} ~ '^[A-Z]{3}$'`),
    check("programs_cookie_window", sql`${t.cookieWindowDays} between 1 and 3650`),
  ],
);
