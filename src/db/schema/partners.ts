import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { programs } from "./programs.js";

export const partnerTypes = [
  "affiliate",
  "referrer",
  "reseller",
  "msp",
  "integrator",
  "technology",
  "influencer",
  "agency",
] as const;
export type PartnerType = (typeof partnerTypes)[number];

export interface PartnerContact {
  name: string;
  email: string;
  role?: string;
  phone?: string;
}

export const partners = pgTable(
  "partners",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    type: text("type").$type<PartnerType>().notNull(),
    country: text("country"),
    website: text("website"),
    contacts: jsonb("contacts").$type<PartnerContact[]>().notNull().default([]),
    /** The partner who recruited this one: earns second-tier overrides on its commissions. */
    recruitedByPartnerId: text("recruited_by_partner_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("partners_name_idx").on(sql`lower(${t.name})`)],
);

export const partnerUsers = pgTable(
  "partner_users",
  {
    id: text("id").primaryKey(),
    partnerId: text("partner_id")
      .notNull()
      .references(() => partners.id),
    email: text("email").notNull(),
    name: text("name").notNull(),
    passwordHash: text("password_hash").notNull(),
    failedLogins: integer("failed_logins").notNull().default(0),
    lockedUntil: timestamp("locked_until", { withTimezone: true }),
    disabledAt: timestamp("disabled_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex("partner_users_email_key").on(sql`lower(${t.email})`),
    index("partner_users_partner_idx").on(t.partnerId),
  ],
);

export const enrollmentStatuses = ["applied", "approved", "rejected", "active", "suspended", "terminated"] as const;
export type EnrollmentStatus = (typeof enrollmentStatuses)[number];

export const enrollments = pgTable(
  "enrollments",
  {
    id: text("id").primaryKey(),
    programId: text("program_id")
      .notNull()
      .references(() => programs.id),
    partnerId: text("partner_id")
      .notNull()
      .references(() => partners.id),
    status: text("status").$type<EnrollmentStatus>().notNull(),
    /** Why the enrollment is in its current state: rejection, suspension or termination reason. */
    statusReason: text("status_reason"),
    applicantEmail: text("applicant_email"),
    applicationAnswers: jsonb("application_answers").$type<Record<string, string | number>>().notNull().default({}),
    source: text("source").$type<"application" | "invitation" | "manual">().notNull(),
    /** Partner group/tier in this program (e.g. "gold"): selects a tier plan and matches tier conditions. */
    tier: text("tier"),
    termsVersionAccepted: integer("terms_version_accepted"),
    termsAcceptedAt: timestamp("terms_accepted_at", { withTimezone: true }),
    appliedAt: timestamp("applied_at", { withTimezone: true }).notNull(),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    statusChangedAt: timestamp("status_changed_at", { withTimezone: true }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex("enrollments_program_partner_key").on(t.programId, t.partnerId),
    uniqueIndex("enrollments_program_applicant_key").on(t.programId, sql`lower(${t.applicantEmail})`),
    index("enrollments_program_status_idx").on(t.programId, t.status),
    index("enrollments_partner_idx").on(t.partnerId),
  ],
);

export const invitations = pgTable(
  "invitations",
  {
    id: text("id").primaryKey(),
    programId: text("program_id")
      .notNull()
      .references(() => programs.id),
    email: text("email").notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    createdBy: text("created_by").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    acceptedAt: timestamp("accepted_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [index("invitations_program_idx").on(t.programId)],
);
