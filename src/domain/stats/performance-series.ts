import { and, eq, gte, lt, type SQL, sql } from "drizzle-orm";
import { selectRows } from "../../db/client.js";
import { clicks, conversionCredits, conversions } from "../../db/schema/index.js";
import { fieldError } from "../../lib/errors.js";
import type { Ctx } from "../context.js";

export interface SeriesQuery {
  programId?: string | undefined;
  partnerId?: string | undefined;
  from: Date;
  to: Date;
  interval: "hour" | "day";
}

export interface SeriesPoint {
  bucket: string;
  clicks: number;
  leads: number;
  sales: number;
  /** Credited revenue (a partner's share when filtered by partner), net of refunds, per currency, minor units. */
  revenue: Record<string, number>;
}

const MAX_BUCKETS = 1_000;

/**
 * Clicks, leads, sales and revenue per hour or day. Leads and sales count credited conversions once each (a sale
 * split between two partners is one sale); revenue sums the credited shares, so a partner's series shows its share
 * and a program's the whole amount.
 */
export async function performanceSeries(ctx: Ctx, query: SeriesQuery) {
  const step = query.interval === "hour" ? 3_600_000 : 86_400_000;
  if (query.to <= query.from) throw fieldError("querystring:/to", "must be after from");
  if ((query.to.getTime() - query.from.getTime()) / step > MAX_BUCKETS) {
    throw fieldError("querystring:/interval", `too many ${query.interval}s in the range (at most ${MAX_BUCKETS})`);
  }
  const unit = sql.raw(`'${query.interval}'`);
  const clickWhere: SQL[] = [gte(clicks.at, query.from), lt(clicks.at, query.to)];
  if (query.programId) clickWhere.push(eq(clicks.programId, query.programId));
  if (query.partnerId) clickWhere.push(eq(clicks.partnerId, query.partnerId));
  const creditWhere: SQL[] = [
    gte(conversionCredits.occurredAt, query.from),
    lt(conversionCredits.occurredAt, query.to),
  ];
  if (query.programId) creditWhere.push(eq(conversionCredits.programId, query.programId));
  if (query.partnerId) creditWhere.push(eq(conversionCredits.partnerId, query.partnerId));

  const clickRows = await selectRows<{ bucket: Date | string; n: number }>(
    ctx.db,
    sql`select date_trunc(${unit}, ${clicks.at}, 'UTC') as bucket, count(*)::int as n from ${clicks} where ${and(...clickWhere)} group by 1`,
  );
  const creditRows = await selectRows<{
    bucket: Date | string;
    kind: string;
    currency: string | null;
    n: number;
    amount: string | null;
  }>(
    ctx.db,
    sql`select date_trunc(${unit}, ${conversionCredits.occurredAt}, 'UTC') as bucket, ${conversions.kind} as kind, ${conversions.currency} as currency,
          count(distinct ${conversionCredits.conversionId})::int as n, sum(${conversionCredits.amountMinor})::text as amount
        from ${conversionCredits} join ${conversions} on ${conversions.id} = ${conversionCredits.conversionId}
        where ${and(...creditWhere)} group by 1, 2, 3`,
  );

  const points = new Map<number, SeriesPoint>();
  const start = Math.floor(query.from.getTime() / step) * step;
  for (let t = start; t < query.to.getTime(); t += step)
    points.set(t, { bucket: new Date(t).toISOString(), clicks: 0, leads: 0, sales: 0, revenue: {} });
  const at = (b: Date | string) => points.get(new Date(b).getTime());
  for (const r of clickRows) {
    const p = at(r.bucket);
    if (p) p.clicks += r.n;
  }
  for (const r of creditRows) {
    const p = at(r.bucket);
    if (!p) continue;
    if (r.kind === "lead") p.leads += r.n;
    if (r.kind === "sale") p.sales += r.n;
    if ((r.kind === "sale" || r.kind === "refund") && r.currency && r.amount !== null) {
      p.revenue[r.currency] = (p.revenue[r.currency] ?? 0) + Number(r.amount);
    }
  }
  const series = [...points.values()];
  const totals = series.reduce(
    (t, p) => {
      t.clicks += p.clicks;
      t.leads += p.leads;
      t.sales += p.sales;
      for (const [c, v] of Object.entries(p.revenue)) t.revenue[c] = (t.revenue[c] ?? 0) + v;
      return t;
    },
    { clicks: 0, leads: 0, sales: 0, revenue: {} as Record<string, number> },
  );
  return { interval: query.interval, from: query.from.toISOString(), to: query.to.toISOString(), series, totals };
}
