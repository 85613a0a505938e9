DROP INDEX "conversions_customer_idx";--> statement-breakpoint
CREATE INDEX "conversions_customer_occurred_idx" ON "conversions" USING btree ("customer_id","occurred_at");