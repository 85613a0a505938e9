CREATE TABLE "commission_queue" (
	"conversion_id" text NOT NULL,
	"partner_id" text NOT NULL,
	"program_id" text NOT NULL,
	"state" text DEFAULT 'queued' NOT NULL,
	CONSTRAINT "commission_queue_conversion_id_partner_id_pk" PRIMARY KEY("conversion_id","partner_id")
);
--> statement-breakpoint
INSERT INTO "commission_queue" ("conversion_id", "partner_id", "program_id", "state")
  SELECT "conversion_id", "partner_id", "program_id", "commission_state" FROM "conversion_credits"
  WHERE "commission_state" IN ('queued', 'waiting_fx');--> statement-breakpoint
DROP INDEX "conversion_credits_queued_idx";--> statement-breakpoint
DROP INDEX "conversion_credits_waiting_fx_idx";--> statement-breakpoint
ALTER TABLE "conversion_credits" DROP COLUMN "commission_state";--> statement-breakpoint
DROP INDEX "commission_entries_payout_idx";--> statement-breakpoint
ALTER TABLE "commission_entries" SET (fillfactor = 50);--> statement-breakpoint
DROP TRIGGER "commission_entries_append_only" ON "commission_entries";--> statement-breakpoint
CREATE TRIGGER "commission_entries_append_only"
  BEFORE UPDATE OF "amount_minor", "currency", "partner_id", "program_id", "kind", "conversion_id" OR DELETE
  ON "commission_entries" FOR EACH ROW EXECUTE FUNCTION "commission_entries_append_only"();--> statement-breakpoint
CREATE TABLE "payout_items_v2" (
	"payout_id" text PRIMARY KEY NOT NULL,
	"entry_ids" text[] NOT NULL,
	"amounts_minor" bigint[] NOT NULL,
	CONSTRAINT "payout_items_same_length" CHECK (cardinality("payout_items_v2"."entry_ids") = cardinality("payout_items_v2"."amounts_minor"))
);
--> statement-breakpoint
INSERT INTO "payout_items_v2" ("payout_id", "entry_ids", "amounts_minor")
  SELECT "payout_id", array_agg("entry_id" ORDER BY "entry_id"), array_agg("amount_minor" ORDER BY "entry_id")
  FROM "payout_items" GROUP BY "payout_id";--> statement-breakpoint
DROP TABLE "payout_items";--> statement-breakpoint
ALTER TABLE "payout_items_v2" RENAME TO "payout_items";--> statement-breakpoint
ALTER TABLE "payout_items" RENAME CONSTRAINT "payout_items_v2_pkey" TO "payout_items_pkey";--> statement-breakpoint
ALTER TABLE "payout_items" ADD CONSTRAINT "payout_items_payout_id_payouts_id_fk" FOREIGN KEY ("payout_id") REFERENCES "public"."payouts"("id") ON DELETE no action ON UPDATE no action DEFERRABLE INITIALLY DEFERRED;--> statement-breakpoint
CREATE TABLE "commission_monthly_totals" (
	"program_id" text NOT NULL,
	"partner_id" text NOT NULL,
	"month" date NOT NULL,
	"sales_count" integer DEFAULT 0 NOT NULL,
	"revenue_minor" bigint DEFAULT 0 NOT NULL,
	"commission_minor" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "commission_monthly_totals_program_id_partner_id_month_pk" PRIMARY KEY("program_id","partner_id","month")
);
--> statement-breakpoint
INSERT INTO "commission_monthly_totals" ("program_id", "partner_id", "month", "sales_count", "revenue_minor", "commission_minor")
  SELECT "program_id", "partner_id", date_trunc('month', "day")::date, sum("sales_count"), sum("revenue_minor"), sum("commission_minor")
  FROM "commission_daily_totals" GROUP BY 1, 2, 3;
