CREATE TABLE "stripe_events" (
	"id" text PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"account" text,
	"outcome" text NOT NULL,
	"stripe_created_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "payout_methods" ADD COLUMN "stripe_account_digest" text;--> statement-breakpoint
ALTER TABLE "payout_methods" ADD COLUMN "attention_reason" text;--> statement-breakpoint
ALTER TABLE "payout_methods" ADD COLUMN "attention_since" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "payout_methods" ADD COLUMN "account_event_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "payouts" ADD COLUMN "reversed_minor" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "payouts" ADD COLUMN "reversed_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "payout_methods_stripe_account_idx" ON "payout_methods" USING btree ("stripe_account_digest") WHERE "payout_methods"."stripe_account_digest" is not null;