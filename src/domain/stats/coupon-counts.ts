import { eq, sql } from "drizzle-orm";
import { selectRows } from "../../db/client.js";
import { couponCodes } from "../../db/schema/index.js";
import { fieldError } from "../../lib/errors.js";
import type { Ctx } from "../context.js";

export interface CouponCounts {
  couponId: string;
  leads: number;
  sales: number;
  /** The sales' amounts net of what was refunded of them, per currency, minor units. */
  revenue: Record<string, number>;
}

/**
 * How each of a program's coupon codes was used over a window: the leads and sales that gave it (as written in any
 * case), and those sales' amounts net of refunds — the code's use, whoever was credited (a program where the click
 * wins credits the click's partner for a sale made with a code). A row for every code of the program, zeros
 * included. Read from the program's conversions of the window, (program_id, occurred_at).
 */
export async function couponCounts(
  ctx: Ctx,
  query: { programId: string; from: Date; to: Date },
): Promise<{ rows: CouponCounts[] }> {
  if (query.to <= query.from) throw fieldError("querystring:/to", "must be after from");
  const coupons = await ctx.db
    .select({ id: couponCodes.id, code: couponCodes.code })
    .from(couponCodes)
    .where(eq(couponCodes.programId, query.programId))
    .orderBy(couponCodes.id);
  if (coupons.length === 0) return { rows: [] };
  const used = await selectRows<{ code: string; kind: string; currency: string | null; n: number; net: string | null }>(
    ctx.db,
    sql`select lower(coupon_code) as code, kind, currency, count(*)::int as n,
          sum(amount_minor - refunded_minor)::text as net
        from conversions
        where program_id = ${query.programId} and occurred_at >= ${query.from.toISOString()}::timestamptz
          and occurred_at < ${query.to.toISOString()}::timestamptz
          and coupon_code is not null and kind in ('lead', 'sale')
        group by 1, 2, 3`,
  );
  const rows = new Map<string, CouponCounts>(
    coupons.map((c) => [c.code.toLowerCase(), { couponId: c.id, leads: 0, sales: 0, revenue: {} }]),
  );
  for (const u of used) {
    const row = rows.get(u.code);
    if (!row) continue;
    if (u.kind === "lead") row.leads += u.n;
    else {
      row.sales += u.n;
      if (u.currency) row.revenue[u.currency] = (row.revenue[u.currency] ?? 0) + Number(u.net ?? 0);
    }
  }
  return { rows: [...rows.values()] };
}
