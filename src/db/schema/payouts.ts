import { sql } from "drizzle-orm";
import { bigint, check, index, integer, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { partners } from "./partners.js";
import { programs } from "./programs.js";

export const payoutMethodKinds = ["paypal", "wise", "bank", "stripe_connect"] as const;
export type PayoutMethodKind = (typeof payoutMethodKinds)[number];

/**
 * How a partner organisation is paid: one method per partner, across its programs. The details (email, IBAN,
 * account id…) are AES-256-GCM encrypted; only a masked form is stored in clear, for display.
 */
export const payoutMethods = pgTable(
  "payout_methods",
  {
    partnerId: text("partner_id")
      .primaryKey()
      .references(() => partners.id),
    kind: text("kind").$type<PayoutMethodKind>().notNull(),
    /** `v1.<key id>.<iv>.<tag>.<ciphertext>`, base64url parts; the partner id is the associated data. */
    detailsEncrypted: text("details_encrypted").notNull(),
    keyId: text("key_id").notNull(),
    masked: text("masked").notNull(),
    /** The currency the partner receives (Wise, bank), when it differs from the program's. */
    currency: text("currency"),
    /**
     * SHA-256 of the Stripe Connect account id: Stripe's account events name the account, and the id itself is
     * only stored encrypted. Null for other kinds (and for Stripe methods saved before it existed, filled lazily).
     */
    stripeAccountDigest: text("stripe_account_digest"),
    /** Why the account cannot be paid now (Stripe disabled its payouts, information past due); null when it can. */
    attentionReason: text("attention_reason"),
    attentionSince: timestamp("attention_since", { withTimezone: true }),
    /** When Stripe created the last account event applied here: an older event delivered late changes nothing. */
    accountEventAt: timestamp("account_event_at", { withTimezone: true }),
    updatedBy: text("updated_by").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    index("payout_methods_key_idx").on(t.keyId),
    index("payout_methods_stripe_account_idx")
      .on(t.stripeAccountDigest)
      .where(sql`${t.stripeAccountDigest} is not null`),
  ],
);

export const taxForms = ["w9", "w8ben", "w8ben_e", "not_required"] as const;
export type TaxForm = (typeof taxForms)[number];

/** The partner's tax form on file, recorded by finance; programs that require one pay only partners with a valid one. */
export const partnerTaxForms = pgTable("partner_tax_forms", {
  partnerId: text("partner_id")
    .primaryKey()
    .references(() => partners.id),
  form: text("form").$type<TaxForm>().notNull(),
  /** W-8 forms lapse (end of the third calendar year); null: no expiry. */
  validUntil: timestamp("valid_until", { withTimezone: true }),
  note: text("note"),
  setByType: text("set_by_type").notNull(),
  setById: text("set_by_id"),
  setByLabel: text("set_by_label").notNull(),
  setAt: timestamp("set_at", { withTimezone: true }).notNull(),
});

export const payoutStatuses = ["pending", "processing", "paid", "failed"] as const;
export type PayoutStatus = (typeof payoutStatuses)[number];

/**
 * One payment to one partner in one program, made of ledger entries (`payout_items`). While a payout is not
 * failed its entries point at it (`commission_entries.payout_id`), so an entry is never in two live payouts.
 */
export const payouts = pgTable(
  "payouts",
  {
    id: text("id").primaryKey(),
    programId: text("program_id")
      .notNull()
      .references(() => programs.id),
    partnerId: text("partner_id")
      .notNull()
      .references(() => partners.id),
    amountMinor: bigint("amount_minor", { mode: "bigint" }).notNull(),
    currency: text("currency").notNull(),
    status: text("status").$type<PayoutStatus>().notNull(),
    entryCount: integer("entry_count").notNull(),
    runId: text("run_id"),
    batchId: text("batch_id"),
    /** Copied from the partner's method when the payout is batched, so a file can be downloaded again unchanged. */
    methodKind: text("method_kind").$type<PayoutMethodKind>(),
    methodDetailsEncrypted: text("method_details_encrypted"),
    methodKeyId: text("method_key_id"),
    methodMasked: text("method_masked"),
    /** Stripe transfer id or the reference finance entered when marking the payout paid. */
    externalRef: text("external_ref"),
    failureReason: text("failure_reason"),
    /** The last transient error (network) while sending; the payout stays processing and can be sent again. */
    lastError: text("last_error"),
    /**
     * How much of a paid transfer Stripe reversed (cumulative). The payout stays paid — it was — and each reversal
     * appends an approved ledger credit for the newly reversed amount, so the money is payable again exactly once.
     */
    reversedMinor: bigint("reversed_minor", { mode: "bigint" }).notNull().default(sql`0`),
    reversedAt: timestamp("reversed_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    processingAt: timestamp("processing_at", { withTimezone: true }),
    paidAt: timestamp("paid_at", { withTimezone: true }),
    failedAt: timestamp("failed_at", { withTimezone: true }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    index("payouts_program_status_idx").on(t.programId, t.status, t.createdAt),
    index("payouts_partner_idx").on(t.partnerId, t.programId, t.createdAt),
    index("payouts_batch_idx").on(t.batchId),
    index("payouts_method_key_idx").on(t.methodKeyId),
    check("payouts_amount_positive", sql`${t.amountMinor} > 0`),
  ],
);

/**
 * The entries a payout was made of, as one row per payout (entry ids and their amounts, position by position);
 * kept when a payout fails (the entries go back to the balance). One row per payout instead of one per entry: a
 * run for 10,000 partners writes 10,000 rows, not a million.
 */
export const payoutItems = pgTable(
  "payout_items",
  {
    payoutId: text("payout_id")
      .primaryKey()
      .references(() => payouts.id),
    entryIds: text("entry_ids").array().notNull(),
    amountsMinor: bigint("amounts_minor", { mode: "bigint" }).array().notNull(),
  },
  (t) => [check("payout_items_same_length", sql`cardinality(${t.entryIds}) = cardinality(${t.amountsMinor})`)],
);

export const payoutBatchStatuses = ["processing", "completed"] as const;
export type PayoutBatchStatus = (typeof payoutBatchStatuses)[number];

/** Pending payouts of one program and one method, paid together: a file to upload or Stripe transfers. */
export const payoutBatches = pgTable(
  "payout_batches",
  {
    id: text("id").primaryKey(),
    programId: text("program_id")
      .notNull()
      .references(() => programs.id),
    methodKind: text("method_kind").$type<PayoutMethodKind>().notNull(),
    status: text("status").$type<PayoutBatchStatus>().notNull(),
    payoutCount: integer("payout_count").notNull(),
    totalMinor: bigint("total_minor", { mode: "bigint" }).notNull(),
    currency: text("currency").notNull(),
    createdBy: text("created_by").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    fileDownloadedAt: timestamp("file_downloaded_at", { withTimezone: true }),
    completedAt: timestamp("completed_at", { withTimezone: true }),
  },
  (t) => [index("payout_batches_program_idx").on(t.programId, t.createdAt)],
);

/** A payout run: when it ran, for what cut-off, and what it created or skipped. */
export const payoutRuns = pgTable(
  "payout_runs",
  {
    id: text("id").primaryKey(),
    programId: text("program_id"),
    asOf: timestamp("as_of", { withTimezone: true }).notNull(),
    startedBy: text("started_by").notNull(),
    payoutsCreated: integer("payouts_created").notNull(),
    partnersSkipped: integer("partners_skipped").notNull(),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull(),
    finishedAt: timestamp("finished_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("payout_runs_started_idx").on(t.startedAt)],
);

export const payoutSkipReasons = ["tax_form_missing", "tax_form_expired", "no_payout_method", "below_minimum"] as const;
export type PayoutSkipReason = (typeof payoutSkipReasons)[number];

/**
 * A partner with a payable balance that a run did not pay, and why (shown to the partner in the portal, and to
 * the team with the run). `below_minimum`: a positive balance under the program's minimum, carried over.
 */
export const payoutSkips = pgTable(
  "payout_skips",
  {
    runId: text("run_id").notNull(),
    programId: text("program_id").notNull(),
    partnerId: text("partner_id").notNull(),
    reason: text("reason").$type<PayoutSkipReason>().notNull(),
    message: text("message").notNull(),
    amountMinor: bigint("amount_minor", { mode: "bigint" }).notNull(),
    currency: text("currency").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.runId, t.programId, t.partnerId] }),
    index("payout_skips_partner_idx").on(t.partnerId, t.programId, t.createdAt),
  ],
);

/**
 * Stripe webhook events already handled, by event id: a redelivered event finds its row and changes nothing.
 * The row is written in the same transaction as the event's effect, so an event is handled once or not at all.
 */
export const stripeEvents = pgTable("stripe_events", {
  id: text("id").primaryKey(),
  type: text("type").notNull(),
  /** The connected account the event is about, for Connect events. */
  account: text("account"),
  /** What handling it did, for support: e.g. `reversed pay_… by 500`, `ignored`, `unknown transfer tr_…`. */
  outcome: text("outcome").notNull(),
  stripeCreatedAt: timestamp("stripe_created_at", { withTimezone: true }).notNull(),
  receivedAt: timestamp("received_at", { withTimezone: true }).notNull(),
});
