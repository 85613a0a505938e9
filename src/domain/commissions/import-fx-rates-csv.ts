import { parse } from "csv-parse/sync";
import { AppError } from "../../lib/errors.js";
import type { Ctx } from "../context.js";
import type { FxRateInput } from "./commissions.schemas.js";
import { saveFxRates } from "./save-fx-rates.js";

const COLUMNS = ["date", "from", "to", "rate"] as const;
const MAX_ROWS = 50_000;

/** A CSV upload with the header `date,from,to,rate` (one rate per line); every line is checked before any is saved. */
export async function importFxRatesCsv(ctx: Ctx, csv: string) {
  let records: Record<string, string>[];
  try {
    records = parse(csv, {
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
      skip_empty_lines: true,
      trim: true,
      bom: true,
    });
  } catch (error) {
    throw new AppError("validation", `the CSV cannot be read: ${(error as Error).message}`, {
      fields: [{ field: "/", message: "not valid CSV" }],
    });
  }
  if (records.length === 0)
    throw new AppError("validation", "the CSV has no rates", { fields: [{ field: "/", message: "no rows" }] });
  if (records.length > MAX_ROWS)
    throw new AppError("validation", `at most ${MAX_ROWS} rates per upload`, {
      fields: [{ field: "/", message: "too many rows" }],
    });
  const missing = COLUMNS.filter((c) => !(c in records[0]!));
  if (missing.length > 0) {
    throw new AppError("validation", `the header must be date,from,to,rate (missing ${missing.join(", ")})`, {
      fields: [{ field: "/header", message: `missing ${missing.join(", ")}` }],
    });
  }
  const rates: FxRateInput[] = records.map((r) => ({
    date: r.date ?? "",
    from: (r.from ?? "").toUpperCase(),
    to: (r.to ?? "").toUpperCase(),
    rate: r.rate ?? "",
  }));
  const malformed = rates.flatMap((r, i) =>
    /^\d{4}-\d{2}-\d{2}$/.test(r.date)
      ? []
      : [{ field: `/rows/${i + 1}/date`, message: `line ${i + 2}: date must be YYYY-MM-DD` }],
  );
  if (malformed.length > 0) throw new AppError("validation", malformed[0]!.message, { fields: malformed });
  return saveFxRates(ctx, rates, "csv");
}
