CREATE TABLE "partner_tax_forms" (
	"partner_id" text PRIMARY KEY NOT NULL,
	"form" text NOT NULL,
	"valid_until" timestamp with time zone,
	"note" text,
	"set_by_type" text NOT NULL,
	"set_by_id" text,
	"set_by_label" text NOT NULL,
	"set_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "payout_batches" (
	"id" text PRIMARY KEY NOT NULL,
	"program_id" text NOT NULL,
	"method_kind" text NOT NULL,
	"status" text NOT NULL,
	"payout_count" integer NOT NULL,
	"total_minor" bigint NOT NULL,
	"currency" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"file_downloaded_at" timestamp with time zone,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "payout_items" (
	"payout_id" text NOT NULL,
	"entry_id" text NOT NULL,
	"amount_minor" bigint NOT NULL,
	CONSTRAINT "payout_items_payout_id_entry_id_pk" PRIMARY KEY("payout_id","entry_id")
);
--> statement-breakpoint
CREATE TABLE "payout_methods" (
	"partner_id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"details_encrypted" text NOT NULL,
	"key_id" text NOT NULL,
	"masked" text NOT NULL,
	"currency" text,
	"updated_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "payout_runs" (
	"id" text PRIMARY KEY NOT NULL,
	"program_id" text,
	"as_of" timestamp with time zone NOT NULL,
	"started_by" text NOT NULL,
	"payouts_created" integer NOT NULL,
	"partners_skipped" integer NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "payout_skips" (
	"run_id" text NOT NULL,
	"program_id" text NOT NULL,
	"partner_id" text NOT NULL,
	"reason" text NOT NULL,
	"message" text NOT NULL,
	"amount_minor" bigint NOT NULL,
	"currency" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "payout_skips_run_id_program_id_partner_id_pk" PRIMARY KEY("run_id","program_id","partner_id")
);
--> statement-breakpoint
CREATE TABLE "payouts" (
	"id" text PRIMARY KEY NOT NULL,
	"program_id" text NOT NULL,
	"partner_id" text NOT NULL,
	"amount_minor" bigint NOT NULL,
	"currency" text NOT NULL,
	"status" text NOT NULL,
	"entry_count" integer NOT NULL,
	"run_id" text,
	"batch_id" text,
	"method_kind" text,
	"method_details_encrypted" text,
	"method_key_id" text,
	"method_masked" text,
	"external_ref" text,
	"failure_reason" text,
	"last_error" text,
	"created_at" timestamp with time zone NOT NULL,
	"processing_at" timestamp with time zone,
	"paid_at" timestamp with time zone,
	"failed_at" timestamp with time zone,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "payouts_amount_positive" CHECK ("payouts"."amount_minor" > 0)
);
--> statement-breakpoint
ALTER TABLE "programs" ADD COLUMN "payout_schedule" text DEFAULT 'monthly' NOT NULL;--> statement-breakpoint
ALTER TABLE "programs" ADD COLUMN "payout_minimum_minor" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "programs" ADD COLUMN "require_tax_form" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "partner_tax_forms" ADD CONSTRAINT "partner_tax_forms_partner_id_partners_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."partners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payout_batches" ADD CONSTRAINT "payout_batches_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payout_items" ADD CONSTRAINT "payout_items_payout_id_payouts_id_fk" FOREIGN KEY ("payout_id") REFERENCES "public"."payouts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payout_methods" ADD CONSTRAINT "payout_methods_partner_id_partners_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."partners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payouts" ADD CONSTRAINT "payouts_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payouts" ADD CONSTRAINT "payouts_partner_id_partners_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."partners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "payout_batches_program_idx" ON "payout_batches" USING btree ("program_id","created_at");--> statement-breakpoint
CREATE INDEX "payout_items_entry_idx" ON "payout_items" USING btree ("entry_id");--> statement-breakpoint
CREATE INDEX "payout_methods_key_idx" ON "payout_methods" USING btree ("key_id");--> statement-breakpoint
CREATE INDEX "payout_runs_started_idx" ON "payout_runs" USING btree ("started_at");--> statement-breakpoint
CREATE INDEX "payout_skips_partner_idx" ON "payout_skips" USING btree ("partner_id","program_id","created_at");--> statement-breakpoint
CREATE INDEX "payouts_program_status_idx" ON "payouts" USING btree ("program_id","status","created_at");--> statement-breakpoint
CREATE INDEX "payouts_partner_idx" ON "payouts" USING btree ("partner_id","program_id","created_at");--> statement-breakpoint
CREATE INDEX "payouts_batch_idx" ON "payouts" USING btree ("batch_id");--> statement-breakpoint
CREATE INDEX "payouts_method_key_idx" ON "payouts" USING btree ("method_key_id");--> statement-breakpoint
ALTER TABLE "programs" ADD CONSTRAINT "programs_payout_minimum" CHECK ("programs"."payout_minimum_minor" >= 0);