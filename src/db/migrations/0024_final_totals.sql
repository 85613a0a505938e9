CREATE TABLE "commission_final_totals" (
	"program_id" text NOT NULL,
	"partner_id" text NOT NULL,
	"currency" text NOT NULL,
	"paid_minor" bigint DEFAULT 0 NOT NULL,
	"rejected_minor" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "commission_final_totals_program_id_partner_id_currency_pk" PRIMARY KEY("program_id","partner_id","currency")
);
--> statement-breakpoint
CREATE INDEX "commission_final_totals_partner_idx" ON "commission_final_totals" USING btree ("partner_id");--> statement-breakpoint
CREATE INDEX "commission_entries_live_idx" ON "commission_entries" USING btree ("partner_id","program_id") WHERE "commission_entries"."status" in ('pending', 'approved', 'held');--> statement-breakpoint
-- Updated in place by every statement that pays or rejects entries: free room in each page keeps those updates HOT.
ALTER TABLE "commission_final_totals" SET (fillfactor = 50);--> statement-breakpoint
-- The totals are right at once on an upgraded installation: what its paid and rejected entries add up to now.
INSERT INTO "commission_final_totals" ("program_id", "partner_id", "currency", "paid_minor", "rejected_minor")
SELECT "program_id", "partner_id", "currency",
  coalesce(sum("amount_minor") FILTER (WHERE "status" = 'paid'), 0),
  coalesce(sum("amount_minor") FILTER (WHERE "status" = 'rejected'), 0)
FROM "commission_entries" WHERE "status" IN ('paid', 'rejected')
GROUP BY 1, 2, 3;--> statement-breakpoint
-- Paid and rejected are final (no use case moves an entry out of them): the database now refuses it too, since the
-- kept totals only ever add what enters those statuses. The WHEN is evaluated by the executor, so an update that
-- keeps the rule runs no function; one that does not set the status (a payout's claim) does not look at it.
CREATE FUNCTION "commission_entries_final_status"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'commission entry % is %: a paid or rejected entry keeps its status', OLD.id, OLD.status;
END $$;
--> statement-breakpoint
CREATE TRIGGER "commission_entries_final_status" BEFORE UPDATE OF "status" ON "commission_entries"
  FOR EACH ROW WHEN (OLD.status IN ('paid', 'rejected') AND NEW.status IS DISTINCT FROM OLD.status)
  EXECUTE FUNCTION "commission_entries_final_status"();
