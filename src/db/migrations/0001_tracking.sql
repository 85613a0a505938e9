CREATE TABLE "clicks" (
	"id" text PRIMARY KEY NOT NULL,
	"program_id" text NOT NULL,
	"partner_id" text NOT NULL,
	"link_id" text,
	"at" timestamp with time zone NOT NULL,
	"source" text NOT NULL,
	"ip_hash" text,
	"country" text,
	"device_type" text,
	"browser" text,
	"os" text,
	"referrer" text,
	"sub1" text,
	"sub2" text,
	"sub3" text,
	"sub4" text,
	"sub5" text
);
--> statement-breakpoint
CREATE TABLE "conversion_credits" (
	"conversion_id" text NOT NULL,
	"program_id" text NOT NULL,
	"partner_id" text NOT NULL,
	"enrollment_id" text,
	"weight_bps" integer NOT NULL,
	"amount_minor" bigint,
	"occurred_at" timestamp with time zone NOT NULL,
	CONSTRAINT "conversion_credits_conversion_id_partner_id_pk" PRIMARY KEY("conversion_id","partner_id")
);
--> statement-breakpoint
CREATE TABLE "conversions" (
	"id" text PRIMARY KEY NOT NULL,
	"program_id" text NOT NULL,
	"kind" text NOT NULL,
	"idempotency_key" text NOT NULL,
	"customer_id" text,
	"event_name" text,
	"amount_minor" bigint,
	"currency" text,
	"refunded_minor" bigint DEFAULT 0 NOT NULL,
	"sale_id" text,
	"products" jsonb,
	"recurring" boolean,
	"click_id" text,
	"coupon_code" text,
	"attributed" boolean DEFAULT false NOT NULL,
	"partner_sourced" boolean,
	"decision" jsonb NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "coupon_codes" (
	"id" text PRIMARY KEY NOT NULL,
	"program_id" text NOT NULL,
	"partner_id" text NOT NULL,
	"enrollment_id" text NOT NULL,
	"code" text NOT NULL,
	"disabled_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "customer_touchpoints" (
	"customer_id" text NOT NULL,
	"click_id" text NOT NULL,
	"program_id" text NOT NULL,
	"partner_id" text NOT NULL,
	"link_id" text,
	"clicked_at" timestamp with time zone NOT NULL,
	CONSTRAINT "customer_touchpoints_customer_id_click_id_pk" PRIMARY KEY("customer_id","click_id")
);
--> statement-breakpoint
CREATE TABLE "customers" (
	"id" text PRIMARY KEY NOT NULL,
	"program_id" text NOT NULL,
	"external_id" text NOT NULL,
	"email_hash" text,
	"email_domain" text,
	"bound_partner_id" text,
	"bound_enrollment_id" text,
	"bound_at" timestamp with time zone,
	"first_seen_via" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "links" (
	"id" text PRIMARY KEY NOT NULL,
	"program_id" text NOT NULL,
	"partner_id" text NOT NULL,
	"enrollment_id" text NOT NULL,
	"slug" text NOT NULL,
	"destination_url" text,
	"is_default" boolean DEFAULT false NOT NULL,
	"disabled_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "programs" ADD COLUMN "attribution_model" text DEFAULT 'last_click' NOT NULL;--> statement-breakpoint
ALTER TABLE "programs" ADD COLUMN "time_decay_half_life_days" integer DEFAULT 7 NOT NULL;--> statement-breakpoint
ALTER TABLE "programs" ADD COLUMN "lifetime_binding" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "programs" ADD COLUMN "coupon_precedence" text DEFAULT 'coupon_over_cookie' NOT NULL;--> statement-breakpoint
ALTER TABLE "programs" ADD COLUMN "click_id_param" text DEFAULT 'tb_click' NOT NULL;--> statement-breakpoint
ALTER TABLE "programs" ADD COLUMN "utm_params" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "conversion_credits" ADD CONSTRAINT "conversion_credits_conversion_id_conversions_id_fk" FOREIGN KEY ("conversion_id") REFERENCES "public"."conversions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversions" ADD CONSTRAINT "conversions_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coupon_codes" ADD CONSTRAINT "coupon_codes_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coupon_codes" ADD CONSTRAINT "coupon_codes_partner_id_partners_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."partners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coupon_codes" ADD CONSTRAINT "coupon_codes_enrollment_id_enrollments_id_fk" FOREIGN KEY ("enrollment_id") REFERENCES "public"."enrollments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_touchpoints" ADD CONSTRAINT "customer_touchpoints_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customers" ADD CONSTRAINT "customers_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "links" ADD CONSTRAINT "links_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "links" ADD CONSTRAINT "links_partner_id_partners_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."partners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "links" ADD CONSTRAINT "links_enrollment_id_enrollments_id_fk" FOREIGN KEY ("enrollment_id") REFERENCES "public"."enrollments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "clicks_program_at_idx" ON "clicks" USING btree ("program_id","at");--> statement-breakpoint
CREATE INDEX "clicks_partner_at_idx" ON "clicks" USING btree ("partner_id","at");--> statement-breakpoint
CREATE INDEX "conversion_credits_partner_idx" ON "conversion_credits" USING btree ("partner_id","occurred_at");--> statement-breakpoint
CREATE UNIQUE INDEX "conversions_idempotency_key" ON "conversions" USING btree ("program_id","kind","idempotency_key");--> statement-breakpoint
CREATE INDEX "conversions_program_occurred_idx" ON "conversions" USING btree ("program_id","occurred_at");--> statement-breakpoint
CREATE INDEX "conversions_customer_idx" ON "conversions" USING btree ("customer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "coupon_codes_program_code_key" ON "coupon_codes" USING btree ("program_id",lower("code"));--> statement-breakpoint
CREATE INDEX "coupon_codes_partner_idx" ON "coupon_codes" USING btree ("partner_id");--> statement-breakpoint
CREATE UNIQUE INDEX "customers_program_external_key" ON "customers" USING btree ("program_id","external_id");--> statement-breakpoint
CREATE UNIQUE INDEX "links_slug_key" ON "links" USING btree (lower("slug"));--> statement-breakpoint
CREATE INDEX "links_program_partner_idx" ON "links" USING btree ("program_id","partner_id");--> statement-breakpoint
CREATE UNIQUE INDEX "links_default_per_enrollment_key" ON "links" USING btree ("enrollment_id") WHERE "links"."is_default";