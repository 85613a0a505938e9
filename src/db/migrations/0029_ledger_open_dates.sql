-- The commission list filtered by an open status (pending, approved, held) and by date reads a program's range of
-- them newest first; paid and rejected entries are common in any range and found at once through
-- (program_id, occurred_at). Builds an index of commission_entries (writes wait while it builds): see the README.
CREATE INDEX "commission_entries_open_occurred_idx" ON "commission_entries" USING btree ("program_id","status","occurred_at") WHERE "commission_entries"."status" in ('pending', 'approved', 'held');
