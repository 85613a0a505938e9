ALTER TABLE "customers" ADD COLUMN "sourced_by_partner_id" text;--> statement-breakpoint
-- A partner-sourced customer's sourcing partner is the top credit of the conversion it was first seen with (the
-- conversion that created it, the first received: ids are ordered by the time received).
UPDATE "customers" AS c SET "sourced_by_partner_id" = f.partner_id
FROM (
  SELECT DISTINCT ON (v.customer_id) v.customer_id, v.decision->'credits'->0->>'partnerId' AS partner_id
  FROM "conversions" v
  WHERE v.customer_id IS NOT NULL AND v.kind <> 'refund'
  ORDER BY v.customer_id, v.id
) AS f
WHERE c.id = f.customer_id AND c.first_seen_via = 'partner';
