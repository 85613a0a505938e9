ALTER TABLE "customers" ADD COLUMN "sourced_by_partner_id" text;--> statement-breakpoint
-- A partner-sourced customer's sourcing partner is the top credit of the conversion it was first seen with (the
-- first received: ids are ordered by the time received), read through the customer's index. Customers an instance
-- of the previous version creates after this runs keep none, and are treated as before (see record-conversion.ts).
UPDATE "customers" AS c SET "sourced_by_partner_id" = (
  SELECT v.decision->'credits'->0->>'partnerId'
  FROM "conversions" v
  WHERE v.customer_id = c.id AND v.kind <> 'refund'
  ORDER BY v.id
  LIMIT 1
)
WHERE c.first_seen_via = 'partner';
