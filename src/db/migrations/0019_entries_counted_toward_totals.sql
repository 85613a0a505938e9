ALTER TABLE "commission_entries" ADD COLUMN "counted_sales" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "commission_entries" ADD COLUMN "counted_revenue_minor" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
-- A sale's commission counted the sale and its credited revenue. Sales in another currency counted the revenue
-- converted at the day's rate, which the ledger does not keep apart: those are left at the sale alone.
UPDATE "commission_entries" AS e SET "counted_sales" = 1,
  "counted_revenue_minor" = CASE WHEN c.currency = e.currency THEN coalesce(cc.amount_minor, c.amount_minor, 0) ELSE 0 END
FROM "conversions" c, "conversion_credits" cc
WHERE e.kind = 'commission' AND c.id = e.conversion_id AND c.kind = 'sale'
  AND cc.conversion_id = e.conversion_id AND cc.partner_id = e.partner_id;--> statement-breakpoint
-- Until now rejected sales stayed in the totals, and refunds took nothing out of the commission total caps read.
-- Both come out now, on the day of the sale, as they will from here on.
WITH "moves" AS (
  SELECT e.program_id, e.partner_id, (e.occurred_at AT TIME ZONE 'UTC')::date AS "day",
    -e.counted_sales AS "sales", -e.counted_revenue_minor AS "revenue", -e.amount_minor AS "commission"
  FROM "commission_entries" e WHERE e.kind = 'commission' AND e.status = 'rejected'
  UNION ALL
  SELECT e.program_id, e.partner_id, (s.occurred_at AT TIME ZONE 'UTC')::date, 0, 0, e.amount_minor
  FROM "commission_entries" e JOIN "commission_entries" s ON s.id = e.source_entry_id
  WHERE e.kind IN ('reversal', 'clawback') AND s.kind = 'commission' AND e.status <> 'rejected' AND s.status <> 'rejected'
), "by_day" AS (
  SELECT program_id, partner_id, "day", sum("sales")::int AS "sales", sum("revenue") AS "revenue",
    sum("commission") AS "commission"
  FROM "moves" GROUP BY 1, 2, 3
), "daily" AS (
  UPDATE "commission_daily_totals" t SET "sales_count" = t.sales_count + d.sales,
    "revenue_minor" = t.revenue_minor + d.revenue, "commission_minor" = t.commission_minor + d.commission
  FROM "by_day" d WHERE t.program_id = d.program_id AND t.partner_id = d.partner_id AND t.day = d.day
)
UPDATE "commission_monthly_totals" t SET "sales_count" = t.sales_count + m.sales,
  "revenue_minor" = t.revenue_minor + m.revenue, "commission_minor" = t.commission_minor + m.commission
FROM (
  SELECT program_id, partner_id, date_trunc('month', "day")::date AS "month", sum("sales")::int AS "sales",
    sum("revenue") AS "revenue", sum("commission") AS "commission"
  FROM "by_day" GROUP BY 1, 2, 3
) m WHERE t.program_id = m.program_id AND t.partner_id = m.partner_id AND t.month = m.month;
