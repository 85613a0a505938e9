CREATE TABLE "conversion_intake" (
	"id" text PRIMARY KEY NOT NULL,
	"program_id" text NOT NULL,
	"kind" text NOT NULL,
	"idempotency_key" text NOT NULL,
	"input" jsonb NOT NULL,
	"actor" jsonb NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"conversion_id" text,
	"refusal" jsonb,
	"attempts" integer DEFAULT 0 NOT NULL,
	"processed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE UNIQUE INDEX "conversion_intake_key" ON "conversion_intake" USING btree ("program_id","kind","idempotency_key");--> statement-breakpoint
CREATE INDEX "conversion_intake_queued_idx" ON "conversion_intake" USING btree ("received_at","id") WHERE "conversion_intake"."status" = 'queued';--> statement-breakpoint
CREATE INDEX "conversion_intake_processed_idx" ON "conversion_intake" USING btree ("processed_at") WHERE "conversion_intake"."processed_at" is not null;