DROP INDEX "commission_entries_source_idx";--> statement-breakpoint
DROP INDEX "commission_entries_payout_idx";--> statement-breakpoint
CREATE INDEX "commission_entries_source_idx" ON "commission_entries" USING btree ("source_entry_id") WHERE "commission_entries"."source_entry_id" is not null;--> statement-breakpoint
CREATE INDEX "commission_entries_payout_idx" ON "commission_entries" USING btree ("payout_id") WHERE "commission_entries"."payout_id" is not null;