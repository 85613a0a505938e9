-- Period totals are updated in place by every engine batch (a partner's month row once per batch that credits it):
-- free room in each page lets those updates be HOT (rewritten in the page, no new primary-key entry) and lets
-- the page be pruned of the versions they leave behind, without waiting for a vacuum.
ALTER TABLE "commission_monthly_totals" SET (fillfactor = 50);--> statement-breakpoint
ALTER TABLE "commission_daily_totals" SET (fillfactor = 70);
