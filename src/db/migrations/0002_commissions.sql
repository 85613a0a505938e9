CREATE TABLE "commission_daily_totals" (
	"program_id" text NOT NULL,
	"partner_id" text NOT NULL,
	"day" date NOT NULL,
	"sales_count" integer DEFAULT 0 NOT NULL,
	"revenue_minor" bigint DEFAULT 0 NOT NULL,
	"commission_minor" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "commission_daily_totals_program_id_partner_id_day_pk" PRIMARY KEY("program_id","partner_id","day")
);
--> statement-breakpoint
CREATE TABLE "commission_entries" (
	"id" text PRIMARY KEY NOT NULL,
	"program_id" text NOT NULL,
	"partner_id" text NOT NULL,
	"enrollment_id" text,
	"kind" text NOT NULL,
	"amount_minor" bigint NOT NULL,
	"currency" text NOT NULL,
	"status" text NOT NULL,
	"status_reason" text,
	"conversion_id" text,
	"source_entry_id" text,
	"plan_version_id" text,
	"rule_id" text,
	"explanation" jsonb NOT NULL,
	"dedupe_key" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"hold_until" timestamp with time zone,
	"payout_id" text,
	"created_by" text,
	"created_at" timestamp with time zone NOT NULL,
	"status_changed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "commission_plan_versions" (
	"id" text PRIMARY KEY NOT NULL,
	"plan_id" text NOT NULL,
	"program_id" text NOT NULL,
	"version" integer NOT NULL,
	"definition" jsonb NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "commission_plans" (
	"id" text PRIMARY KEY NOT NULL,
	"program_id" text NOT NULL,
	"name" text NOT NULL,
	"scope" text NOT NULL,
	"scope_value" text,
	"current_version" integer NOT NULL,
	"archived_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "commission_plans_scope_value" CHECK (("commission_plans"."scope" = 'program') = ("commission_plans"."scope_value" is null))
);
--> statement-breakpoint
CREATE TABLE "fx_rates" (
	"day" date NOT NULL,
	"from_currency" text NOT NULL,
	"to_currency" text NOT NULL,
	"rate" text NOT NULL,
	"source" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "fx_rates_day_from_currency_to_currency_pk" PRIMARY KEY("day","from_currency","to_currency"),
	CONSTRAINT "fx_rates_rate_positive" CHECK ("fx_rates"."rate"::numeric > 0)
);
--> statement-breakpoint
CREATE TABLE "partner_badges" (
	"program_id" text NOT NULL,
	"partner_id" text NOT NULL,
	"badge_id" text NOT NULL,
	"name" text NOT NULL,
	"benefits" text[] NOT NULL,
	"awarded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "partner_badges_program_id_partner_id_badge_id_pk" PRIMARY KEY("program_id","partner_id","badge_id")
);
--> statement-breakpoint
CREATE TABLE "referral_rewards" (
	"id" text PRIMARY KEY NOT NULL,
	"program_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"partner_id" text NOT NULL,
	"conversion_id" text NOT NULL,
	"kind" text NOT NULL,
	"value" bigint NOT NULL,
	"currency" text,
	"code" text NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	"redeemed_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "enrollments" ADD COLUMN "tier" text;--> statement-breakpoint
ALTER TABLE "partners" ADD COLUMN "recruited_by_partner_id" text;--> statement-breakpoint
ALTER TABLE "programs" ADD COLUMN "holding_days" integer DEFAULT 30 NOT NULL;--> statement-breakpoint
ALTER TABLE "programs" ADD COLUMN "rule_selection" text DEFAULT 'first_match' NOT NULL;--> statement-breakpoint
ALTER TABLE "conversion_credits" ADD COLUMN "commission_state" text DEFAULT 'queued' NOT NULL;--> statement-breakpoint
ALTER TABLE "conversions" ADD COLUMN "country" text;--> statement-breakpoint
ALTER TABLE "commission_entries" ADD CONSTRAINT "commission_entries_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commission_plan_versions" ADD CONSTRAINT "commission_plan_versions_plan_id_commission_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."commission_plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commission_plans" ADD CONSTRAINT "commission_plans_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "commission_entries_dedupe_key" ON "commission_entries" USING btree ("program_id","dedupe_key");--> statement-breakpoint
CREATE INDEX "commission_entries_partner_idx" ON "commission_entries" USING btree ("program_id","partner_id","occurred_at");--> statement-breakpoint
CREATE INDEX "commission_entries_status_idx" ON "commission_entries" USING btree ("program_id","status","hold_until");--> statement-breakpoint
CREATE INDEX "commission_entries_conversion_idx" ON "commission_entries" USING btree ("conversion_id");--> statement-breakpoint
CREATE INDEX "commission_entries_source_idx" ON "commission_entries" USING btree ("source_entry_id");--> statement-breakpoint
CREATE INDEX "commission_entries_payout_idx" ON "commission_entries" USING btree ("payout_id");--> statement-breakpoint
CREATE UNIQUE INDEX "commission_plan_versions_key" ON "commission_plan_versions" USING btree ("plan_id","version");--> statement-breakpoint
CREATE UNIQUE INDEX "commission_plans_scope_key" ON "commission_plans" USING btree ("program_id","scope",coalesce("scope_value", '')) WHERE "commission_plans"."archived_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "referral_rewards_customer_key" ON "referral_rewards" USING btree ("program_id","customer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "referral_rewards_code_key" ON "referral_rewards" USING btree ("code");--> statement-breakpoint
CREATE INDEX "conversion_credits_queued_idx" ON "conversion_credits" USING btree ("conversion_id") WHERE "conversion_credits"."commission_state" = 'queued';--> statement-breakpoint
CREATE INDEX "conversion_credits_waiting_fx_idx" ON "conversion_credits" USING btree ("program_id") WHERE "conversion_credits"."commission_state" = 'waiting_fx';--> statement-breakpoint
CREATE FUNCTION "commission_entries_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'commission entries are append-only: % cannot be deleted', OLD.id;
  END IF;
  IF NEW.amount_minor IS DISTINCT FROM OLD.amount_minor OR NEW.currency IS DISTINCT FROM OLD.currency
     OR NEW.partner_id IS DISTINCT FROM OLD.partner_id OR NEW.program_id IS DISTINCT FROM OLD.program_id
     OR NEW.kind IS DISTINCT FROM OLD.kind OR NEW.conversion_id IS DISTINCT FROM OLD.conversion_id THEN
    RAISE EXCEPTION 'commission entries are append-only: the amount of % cannot change', OLD.id;
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER "commission_entries_append_only" BEFORE UPDATE OR DELETE ON "commission_entries"
  FOR EACH ROW EXECUTE FUNCTION "commission_entries_append_only"();
