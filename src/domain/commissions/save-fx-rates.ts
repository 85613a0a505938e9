import { sql } from "drizzle-orm";
import { fxRates } from "../../db/schema/index.js";
import { isCurrencyCode } from "../../lib/currency-digits.js";
import { AppError, type FieldError } from "../../lib/errors.js";
import type { Ctx } from "../context.js";
import { recordAudit } from "../governance/record-audit.js";
import type { FxRateInput } from "./commissions.schemas.js";
import { isValidRate } from "./fx.js";

/** 2025-02-28, not 2025-02-31 (which Date.parse rolls into March) nor year 0 (which PostgreSQL has not). */
function isCalendarDate(date: string): boolean {
  const year = Number(date.slice(0, 4));
  const parsed = new Date(`${date}T00:00:00Z`);
  return year >= 1900 && !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === date;
}

/** Checks what the schema cannot: real ISO codes, a positive rate, two different currencies. */
export function fxRateProblems(rate: FxRateInput, pointer: string): FieldError[] {
  const problems: FieldError[] = [];
  for (const side of ["from", "to"] as const) {
    if (!isCurrencyCode(rate[side]))
      problems.push({ field: `${pointer}/${side}`, message: `${rate[side]} is not an ISO 4217 currency code` });
  }
  if (rate.from === rate.to) problems.push({ field: `${pointer}/to`, message: "from and to must differ" });
  if (!isValidRate(rate.rate))
    problems.push({
      field: `${pointer}/rate`,
      message: "must be a positive decimal with at most 12 digits after the point",
    });
  if (!isCalendarDate(rate.date))
    problems.push({ field: `${pointer}/date`, message: "not a calendar date from 1900 to 9999" });
  return problems;
}

/**
 * Records rates (a new rate for the same day and pair replaces the old one: entries already computed keep the
 * rate written in their explanation) and sends conversions that were waiting for a rate back to the engine.
 * All rows or none.
 */
export async function saveFxRates(ctx: Ctx, rates: FxRateInput[], source: "api" | "csv") {
  const problems = rates.flatMap((r, i) =>
    fxRateProblems(r, source === "csv" ? `/rows/${i + 1}` : rates.length === 1 ? "" : `/${i}`),
  );
  if (problems.length > 0) throw new AppError("validation", problems[0]!.message, { fields: problems });
  // The same day and pair twice in one upload: the later line wins, as a later upload would (one statement
  // cannot write a row twice).
  const unique = [...new Map(rates.map((r) => [`${r.date}|${r.from}|${r.to}`, r])).values()];
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    await tx
      .insert(fxRates)
      .values(
        unique.map((r) => ({
          day: r.date,
          fromCurrency: r.from,
          toCurrency: r.to,
          rate: r.rate,
          source,
          createdAt: now,
          updatedAt: now,
        })),
      )
      .onConflictDoUpdate({
        target: [fxRates.day, fxRates.fromCurrency, fxRates.toCurrency],
        set: { rate: sql`excluded.rate`, source: sql`excluded.source`, updatedAt: now },
      });
    // Cheap and always right: credits still missing a rate simply go back to waiting.
    await tx.execute(sql`update commission_queue set state = 'queued' where state = 'waiting_fx'`);
    await recordAudit(tx, ctx, {
      action: "fx_rates.save",
      entityType: "fx_rate",
      entityId: rates.length === 1 ? `${rates[0]!.date}:${rates[0]!.from}${rates[0]!.to}` : `${rates.length} rates`,
      after: rates.length <= 50 ? rates : { count: rates.length, source },
    });
    return { saved: unique.length };
  });
}
