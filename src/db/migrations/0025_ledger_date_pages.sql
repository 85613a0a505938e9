-- The holding release, a payout run's balances and a program's ledger totals read only pending, approved and held
-- entries through this index: paid and rejected ones, most of a ledger, leave it (no index entry to write when an
-- entry is inserted in or moves to a final status).
DROP INDEX "commission_entries_status_idx";--> statement-breakpoint
-- The commission list filtered by date reads a program's entries newest first by when they happened, up to a page.
CREATE INDEX "commission_entries_program_occurred_idx" ON "commission_entries" USING btree ("program_id","occurred_at");--> statement-breakpoint
CREATE INDEX "commission_entries_status_idx" ON "commission_entries" USING btree ("program_id","status","hold_until") WHERE "commission_entries"."status" in ('pending', 'approved', 'held');
