DROP INDEX "commission_entries_partner_idx";--> statement-breakpoint
DROP INDEX "clicks_partner_at_idx";--> statement-breakpoint
DROP INDEX "fraud_reviews_queue_idx";--> statement-breakpoint
CREATE INDEX "commission_entries_partner_program_idx" ON "commission_entries" USING btree ("partner_id","program_id","occurred_at");--> statement-breakpoint
CREATE INDEX "fraud_reviews_status_opened_idx" ON "fraud_reviews" USING btree ("status","opened_at","conversion_id");--> statement-breakpoint
CREATE INDEX "clicks_partner_at_program_idx" ON "clicks" USING btree ("partner_id","at","program_id");--> statement-breakpoint
CREATE INDEX "fraud_reviews_queue_idx" ON "fraud_reviews" USING btree ("program_id","status","opened_at","conversion_id");