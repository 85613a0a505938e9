import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { enrollments, partners } from "./partners.js";
import { programs } from "./programs.js";

/** A partner's tracked link: `/r/<slug>` redirects to `destinationUrl` with a click id. */
export const links = pgTable(
  "links",
  {
    id: text("id").primaryKey(),
    programId: text("program_id")
      .notNull()
      .references(() => programs.id),
    partnerId: text("partner_id")
      .notNull()
      .references(() => partners.id),
    enrollmentId: text("enrollment_id")
      .notNull()
      .references(() => enrollments.id),
    slug: text("slug").notNull(),
    /** Null: follow the program's default landing URL. */
    destinationUrl: text("destination_url"),
    isDefault: boolean("is_default").notNull().default(false),
    disabledAt: timestamp("disabled_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex("links_slug_key").on(sql`lower(${t.slug})`),
    index("links_program_partner_idx").on(t.programId, t.partnerId),
    // The console pages a program's links newest first.
    index("links_program_id_idx").on(t.programId, t.id),
    // The portal lists a partner's links across programs (coupon codes have the same index).
    index("links_partner_idx").on(t.partnerId),
    uniqueIndex("links_default_per_enrollment_key").on(t.enrollmentId).where(sql`${t.isDefault}`),
  ],
);

export const couponCodes = pgTable(
  "coupon_codes",
  {
    id: text("id").primaryKey(),
    programId: text("program_id")
      .notNull()
      .references(() => programs.id),
    partnerId: text("partner_id")
      .notNull()
      .references(() => partners.id),
    enrollmentId: text("enrollment_id")
      .notNull()
      .references(() => enrollments.id),
    code: text("code").notNull(),
    disabledAt: timestamp("disabled_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex("coupon_codes_program_code_key").on(t.programId, sql`lower(${t.code})`),
    index("coupon_codes_partner_idx").on(t.partnerId),
  ],
);

/**
 * Ad networks whose click id, appended by the network to the URL an ad opens, marks a paid click, and those
 * parameters (see src/domain/tracking/ad-click.ts for which network adds which).
 */
export const adNetworks = ["google_ads", "google_display", "microsoft_ads", "yandex_or_yahoo_japan"] as const;
export type AdNetwork = (typeof adNetworks)[number];
export const adClickParams = ["gclid", "gbraid", "wbraid", "gad_source", "dclid", "msclkid", "yclid"] as const;
export type AdClickParam = (typeof adClickParams)[number];

/** Counted (non-bot) clicks. Keyed by program and time so the table can later be partitioned and distributed. */
export const clicks = pgTable(
  "clicks",
  {
    id: text("id").primaryKey(),
    programId: text("program_id").notNull(),
    partnerId: text("partner_id").notNull(),
    linkId: text("link_id"),
    at: timestamp("at", { withTimezone: true }).notNull(),
    source: text("source").$type<"redirect" | "snippet">().notNull(),
    ipHash: text("ip_hash"),
    /**
     * The visitor's browser, by the keyed hash of Tributary's own device cookie (also set when partner users sign
     * in to the portal): a partner clicking its own link from a browser it signs in with is a self-referral.
     */
    deviceHash: text("device_hash"),
    country: text("country"),
    deviceType: text("device_type"),
    browser: text("browser"),
    os: text("os"),
    referrer: text("referrer"),
    sub1: text("sub1"),
    sub2: text("sub2"),
    sub3: text("sub3"),
    sub4: text("sub4"),
    sub5: text("sub5"),
    /**
     * The paid ad the visit came from: the network whose click id (gclid, msclkid…) the partner link, or the page
     * of a `?via=` click, was opened with (src/domain/tracking/ad-click.ts). Null for a click without one.
     */
    adNetwork: text("ad_network").$type<AdNetwork>(),
    /** The click id's parameter (`gclid`, `gbraid`…): its name only, never its value. */
    adClickParam: text("ad_click_param").$type<AdClickParam>(),
    /** The page a deep link (`/r/<slug>?url=…`) landed on, without the click id; null: the link's own destination. */
    landingUrl: text("landing_url"),
  },
  (t) => [
    index("clicks_program_at_idx").on(t.programId, t.at),
    // A partner's clicks over time, all programs or one: the program in the index spares the table a visit per click.
    index("clicks_partner_at_program_idx").on(t.partnerId, t.at, t.programId),
  ],
);

/** Pages are filled to 80 % (migration 0031): a new customer's binding, set in its sale's transaction, fits beside it. */
export const customers = pgTable(
  "customers",
  {
    id: text("id").primaryKey(),
    programId: text("program_id")
      .notNull()
      .references(() => programs.id),
    externalId: text("external_id").notNull(),
    emailHash: text("email_hash"),
    emailDomain: text("email_domain"),
    /** Lifetime binding: the partner this customer belongs to, fixed by its first attributed lead or sale. */
    boundPartnerId: text("bound_partner_id"),
    boundEnrollmentId: text("bound_enrollment_id"),
    boundAt: timestamp("bound_at", { withTimezone: true }),
    /** Whether the customer was first seen through a partner (partner-sourced) or was already known. */
    firstSeenVia: text("first_seen_via").$type<"partner" | "direct">().notNull(),
    /**
     * The partner that brought the customer: the top-credited partner of the conversion the customer was first
     * seen with. A later conversion is partner-sourced only when it credits this partner.
     */
    sourcedByPartnerId: text("sourced_by_partner_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex("customers_program_external_key").on(t.programId, t.externalId),
    // Fraud: the same person registered as another customer of the program (duplicate customer across partners).
    index("customers_program_email_idx").on(t.programId, t.emailHash).where(sql`${t.emailHash} is not null`),
  ],
);

/** Click ids a customer presented over time: the touchpoints multi-touch models read. */
export const customerTouchpoints = pgTable(
  "customer_touchpoints",
  {
    customerId: text("customer_id")
      .notNull()
      .references(() => customers.id),
    clickId: text("click_id").notNull(),
    programId: text("program_id").notNull(),
    partnerId: text("partner_id").notNull(),
    linkId: text("link_id"),
    clickedAt: timestamp("clicked_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.customerId, t.clickId] }),
    // A conversion reads the touches of its window only, from each end (ROUND_CONTEXT in round-context.ts).
    index("customer_touchpoints_customer_clicked_idx").on(t.customerId, t.clickedAt),
  ],
);

export const commissionStates = ["queued", "waiting_fx", "done"] as const;
export type CommissionState = (typeof commissionStates)[number];

export const conversionKinds = ["lead", "sale", "refund"] as const;
export type ConversionKind = (typeof conversionKinds)[number];

export const conversions = pgTable(
  "conversions",
  {
    id: text("id").primaryKey(),
    programId: text("program_id")
      .notNull()
      .references(() => programs.id),
    kind: text("kind").$type<ConversionKind>().notNull(),
    /** Order/invoice id for sales, refund id for refunds, event id for leads: a retry with the same key is a no-op. */
    idempotencyKey: text("idempotency_key").notNull(),
    customerId: text("customer_id"),
    eventName: text("event_name"),
    amountMinor: bigint("amount_minor", { mode: "bigint" }),
    currency: text("currency"),
    refundedMinor: bigint("refunded_minor", { mode: "bigint" }).notNull().default(sql`0`),
    saleId: text("sale_id"),
    products: jsonb("products").$type<{ id: string; quantity?: number; amountMinor?: string }[]>(),
    recurring: boolean("recurring"),
    clickId: text("click_id"),
    couponCode: text("coupon_code"),
    /** ISO 3166-1 alpha-2 country of the customer, for commission conditions. */
    country: text("country"),
    attributed: boolean("attributed").notNull().default(false),
    partnerSourced: boolean("partner_sourced"),
    decision: jsonb("decision").notNull(),
    occurredAt: timestamp("occurred_at", { withTimezone: true }).notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex("conversions_idempotency_key").on(t.programId, t.kind, t.idempotencyKey),
    index("conversions_program_occurred_idx").on(t.programId, t.occurredAt),
    // A customer's conversions in time order: the duplicate-order check reads a window of them, and the commission
    // engine a customer's first sale, through this index alone.
    index("conversions_customer_occurred_idx").on(t.customerId, t.occurredAt),
    // A sale's refunds (what each partner has had reversed already); only refunds have a sale, so sales write none.
    index("conversions_sale_idx").on(t.saleId).where(sql`${t.saleId} is not null`),
  ],
);

/** The partners a conversion credits and their share in basis points (the shares sum to 10,000). */
export const conversionCredits = pgTable(
  "conversion_credits",
  {
    conversionId: text("conversion_id")
      .notNull()
      .references(() => conversions.id),
    programId: text("program_id").notNull(),
    partnerId: text("partner_id").notNull(),
    enrollmentId: text("enrollment_id"),
    weightBps: integer("weight_bps").notNull(),
    amountMinor: bigint("amount_minor", { mode: "bigint" }),
    occurredAt: timestamp("occurred_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.conversionId, t.partnerId] }),
    index("conversion_credits_partner_idx").on(t.partnerId, t.occurredAt),
  ],
);

/**
 * Counted clicks per program and UTC hour, for the hours that have ended (rollUpClickHours): a program's chart, and
 * the whole account's (each program's range), read these instead of counting every click in their window, and
 * count only the hours not rolled up yet.
 */
export const clickHours = pgTable(
  "click_hours",
  {
    programId: text("program_id").notNull(),
    hour: timestamp("hour", { withTimezone: true }).notNull(),
    clicks: integer("clicks").notNull(),
  },
  (t) => [primaryKey({ columns: [t.programId, t.hour] })],
);

/**
 * Counted clicks per partner, UTC hour and program, for the hours that have ended (rollUpClickHours, counted in the
 * same pass as click_hours): a partner's chart, in the portal every 10 s, reads its whole hours as a range of
 * (partner_id, hour), one program or all, instead of counting each of its clicks. Hours, not days: a chart's days
 * are the viewer's, which click_partner_days' UTC days are not. No link: click_partner_days keeps those.
 */
export const clickPartnerHours = pgTable(
  "click_partner_hours",
  {
    partnerId: text("partner_id").notNull(),
    hour: timestamp("hour", { withTimezone: true }).notNull(),
    programId: text("program_id").notNull(),
    clicks: integer("clicks").notNull(),
  },
  (t) => [primaryKey({ columns: [t.partnerId, t.hour, t.programId] })],
);

/**
 * Counted clicks per program, partner, link and UTC day, for the days that have ended (rollUpClickHours, the same
 * job as click_hours): a program's partner ranking and the clicks list's total for a partner or a link read these
 * instead of every click. A day, not an hour: a program's many partners with a click or two an hour would make
 * almost a row per click. `link_id` is '' for clicks without a link (a `?via=` visit, the snippet).
 */
export const clickPartnerDays = pgTable(
  "click_partner_days",
  {
    programId: text("program_id").notNull(),
    day: timestamp("day", { withTimezone: true }).notNull(),
    partnerId: text("partner_id").notNull(),
    linkId: text("link_id").notNull(),
    clicks: integer("clicks").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.day, t.partnerId, t.linkId] }),
    index("click_partner_days_partner_idx").on(t.partnerId, t.day, t.programId, t.linkId),
  ],
);

/**
 * Credited conversions per program, partner and currency over a UTC day (`days` 1) or a UTC week from its Monday
 * (`days` 7), by when they happened, recounted by the roll-up-credit-days job for the days its arrivals fell in:
 * Top partners reads a big program's whole days and weeks from here rather than every conversion and credit. A
 * conversion counts for each partner it credits. `currency` is '' for conversions without one (leads).
 */
export const creditPartnerPeriods = pgTable(
  "credit_partner_periods",
  {
    programId: text("program_id").notNull(),
    days: integer("days").notNull(),
    start: timestamp("start", { withTimezone: true }).notNull(),
    partnerId: text("partner_id").notNull(),
    currency: text("currency").notNull(),
    leads: integer("leads").notNull(),
    sales: integer("sales").notNull(),
    /** The credited amounts of sales and refunds (negative), net, minor units; null when none had an amount. */
    amountMinor: bigint("amount_minor", { mode: "bigint" }),
  },
  (t) => [
    primaryKey({ name: "credit_partner_periods_pk", columns: [t.programId, t.days, t.start, t.partnerId, t.currency] }),
  ],
);

/**
 * How many conversions of a program's UTC day credit_partner_periods counted, credited or not: conversions are
 * never deleted or moved, so a day whose conversions still number this many is the day that was counted, and one
 * that numbers more (recorded late, after its day was counted) is counted from conversions instead.
 */
export const conversionDays = pgTable(
  "conversion_days",
  {
    programId: text("program_id").notNull(),
    day: timestamp("day", { withTimezone: true }).notNull(),
    conversions: integer("conversions").notNull(),
  },
  (t) => [primaryKey({ columns: [t.programId, t.day] })],
);

export const intakeStatuses = ["queued", "recorded", "refused"] as const;
export type IntakeStatus = (typeof intakeStatuses)[number];
export interface IntakeRefusal {
  code: string;
  message: string;
  fields?: { field: string; message: string }[] | undefined;
}

/**
 * Leads and sales accepted for later recording (`Prefer: respond-async`): the request is stored durably and
 * answered 202 at once; the intake worker records them in large rounds. A submission's id becomes its conversion's
 * id. A recorded submission's row is deleted in the transaction that records its conversion, so the table holds
 * what is waiting, what was refused, and retries of keys recorded before (which point at the first conversion); those are pruned
 * after a retention period.
 */
export const conversionIntake = pgTable(
  "conversion_intake",
  {
    id: text("id").primaryKey(),
    programId: text("program_id").notNull(),
    kind: text("kind").$type<"lead" | "sale">().notNull(),
    idempotencyKey: text("idempotency_key").notNull(),
    /** The request body as validated at the door; the worker builds the conversion from it as the sync route would. */
    input: jsonb("input").notNull(),
    /** Who sent it (its fraud decisions are stamped with it). */
    actor: jsonb("actor").notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull(),
    status: text("status").$type<IntakeStatus>().notNull().default("queued"),
    /** recorded: the conversion this key was first recorded as (a retry of a key recorded before). */
    conversionId: text("conversion_id"),
    /** refused: why, as the use case's error said it (code, message, fields); answered as the sync route's problem. */
    refusal: jsonb("refusal").$type<IntakeRefusal>(),
    /** Rounds that failed with this submission in them for a reason of the database's (it is refused after a few). */
    attempts: integer("attempts").notNull().default(0),
    processedAt: timestamp("processed_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("conversion_intake_key").on(t.programId, t.kind, t.idempotencyKey),
    // The worker's queue, oldest first (a customer's events are recorded in the order they came).
    index("conversion_intake_queued_idx").on(t.receivedAt, t.id).where(sql`${t.status} = 'queued'`),
    // Retention: what was refused or pointed at an earlier conversion is kept for a while, then pruned.
    index("conversion_intake_processed_idx").on(t.processedAt).where(sql`${t.processedAt} is not null`),
  ],
);
