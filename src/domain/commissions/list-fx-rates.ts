import { and, desc, eq, gte, lte, type SQL } from "drizzle-orm";
import { fxRates } from "../../db/schema/index.js";
import type { Ctx } from "../context.js";
import type { ListFxRatesQuery } from "./commissions.schemas.js";

export async function listFxRates(ctx: Ctx, query: ListFxRatesQuery) {
  const where: SQL[] = [];
  if (query.from) where.push(eq(fxRates.fromCurrency, query.from));
  if (query.to) where.push(eq(fxRates.toCurrency, query.to));
  if (query.since) where.push(gte(fxRates.day, query.since));
  if (query.until) where.push(lte(fxRates.day, query.until));
  const rows = await ctx.db
    .select()
    .from(fxRates)
    .where(and(...where))
    .orderBy(desc(fxRates.day), fxRates.fromCurrency, fxRates.toCurrency)
    .limit(query.limit ?? 200);
  return rows.map((r) => ({
    date: r.day,
    from: r.fromCurrency,
    to: r.toCurrency,
    rate: r.rate,
    source: r.source,
    updatedAt: r.updatedAt.toISOString(),
  }));
}
