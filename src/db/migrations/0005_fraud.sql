CREATE TABLE "click_landings" (
	"click_id" text PRIMARY KEY NOT NULL,
	"program_id" text NOT NULL,
	"partner_id" text NOT NULL,
	"clicked_at" timestamp with time zone NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "conversion_screens" (
	"conversion_id" text PRIMARY KEY NOT NULL,
	"program_id" text NOT NULL,
	"partner_id" text NOT NULL,
	"kind" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"ip_hash" text,
	"device_hash" text,
	"device_type" text,
	"browser" text,
	"os" text,
	"click_id" text,
	"clicked_at" timestamp with time zone,
	"ctit_seconds" integer,
	"swept_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "fraud_decisions" (
	"id" text PRIMARY KEY NOT NULL,
	"program_id" text NOT NULL,
	"conversion_id" text NOT NULL,
	"partner_id" text,
	"rule" text NOT NULL,
	"action" text NOT NULL,
	"evidence" jsonb NOT NULL,
	"source" text NOT NULL,
	"decided_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "fraud_reports" (
	"id" text PRIMARY KEY NOT NULL,
	"program_id" text,
	"partner_id" text NOT NULL,
	"kind" text NOT NULL,
	"description" text NOT NULL,
	"evidence" jsonb NOT NULL,
	"status" text NOT NULL,
	"resolution" text,
	"reported_by_type" text NOT NULL,
	"reported_by_id" text,
	"reported_by_label" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"resolved_at" timestamp with time zone,
	"resolved_by_label" text
);
--> statement-breakpoint
CREATE TABLE "fraud_reviews" (
	"conversion_id" text PRIMARY KEY NOT NULL,
	"program_id" text NOT NULL,
	"partner_id" text NOT NULL,
	"action" text NOT NULL,
	"status" text NOT NULL,
	"rules" text[] NOT NULL,
	"reason" text,
	"reviewed_by_id" text,
	"reviewed_by_label" text,
	"reviewed_at" timestamp with time zone,
	"opened_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "fraud_rule_settings" (
	"program_id" text NOT NULL,
	"rule" text NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"action" text NOT NULL,
	"thresholds" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"updated_by" text NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "fraud_rule_settings_program_id_rule_pk" PRIMARY KEY("program_id","rule")
);
--> statement-breakpoint
CREATE TABLE "partner_actions" (
	"id" text PRIMARY KEY NOT NULL,
	"partner_id" text NOT NULL,
	"kind" text NOT NULL,
	"reason" text NOT NULL,
	"message" text,
	"enrollment_ids" text[] NOT NULL,
	"report_id" text,
	"created_by_type" text NOT NULL,
	"created_by_id" text,
	"created_by_label" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "partner_identifiers" (
	"partner_id" text NOT NULL,
	"kind" text NOT NULL,
	"value_hash" text NOT NULL,
	"first_seen_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	CONSTRAINT "partner_identifiers_partner_id_kind_value_hash_pk" PRIMARY KEY("partner_id","kind","value_hash")
);
--> statement-breakpoint
ALTER TABLE "fraud_reports" ADD CONSTRAINT "fraud_reports_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fraud_reports" ADD CONSTRAINT "fraud_reports_partner_id_partners_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."partners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fraud_rule_settings" ADD CONSTRAINT "fraud_rule_settings_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partner_actions" ADD CONSTRAINT "partner_actions_partner_id_partners_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."partners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "click_landings_program_idx" ON "click_landings" USING btree ("program_id","clicked_at");--> statement-breakpoint
CREATE INDEX "conversion_screens_ip_idx" ON "conversion_screens" USING btree ("program_id","ip_hash","occurred_at") WHERE "conversion_screens"."ip_hash" is not null;--> statement-breakpoint
CREATE INDEX "conversion_screens_device_idx" ON "conversion_screens" USING btree ("program_id","device_hash","occurred_at") WHERE "conversion_screens"."device_hash" is not null;--> statement-breakpoint
CREATE INDEX "conversion_screens_program_idx" ON "conversion_screens" USING btree ("program_id","occurred_at");--> statement-breakpoint
CREATE INDEX "conversion_screens_partner_idx" ON "conversion_screens" USING btree ("partner_id","occurred_at");--> statement-breakpoint
CREATE INDEX "conversion_screens_unswept_idx" ON "conversion_screens" USING btree ("program_id","occurred_at") WHERE "conversion_screens"."swept_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "fraud_decisions_conversion_rule_key" ON "fraud_decisions" USING btree ("conversion_id","rule");--> statement-breakpoint
CREATE INDEX "fraud_decisions_program_idx" ON "fraud_decisions" USING btree ("program_id","decided_at");--> statement-breakpoint
CREATE INDEX "fraud_reports_status_idx" ON "fraud_reports" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "fraud_reports_partner_idx" ON "fraud_reports" USING btree ("partner_id");--> statement-breakpoint
CREATE INDEX "fraud_reviews_queue_idx" ON "fraud_reviews" USING btree ("program_id","status","partner_id");--> statement-breakpoint
CREATE INDEX "fraud_reviews_partner_idx" ON "fraud_reviews" USING btree ("partner_id","status");--> statement-breakpoint
CREATE INDEX "partner_actions_partner_idx" ON "partner_actions" USING btree ("partner_id","created_at");--> statement-breakpoint
CREATE INDEX "customers_program_email_idx" ON "customers" USING btree ("program_id","email_hash") WHERE "customers"."email_hash" is not null;