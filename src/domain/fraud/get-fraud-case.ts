import { sql } from "drizzle-orm";
import { AppError } from "../../lib/errors.js";
import type { Ctx } from "../context.js";
import { loadCases } from "./fraud-cases.js";

/** One conversion's case: status, every rule's decision and evidence, the commissions at stake. */
export async function getFraudCase(ctx: Ctx, conversionId: string) {
  const [found] = await loadCases(ctx.db, sql`r.conversion_id = ${conversionId}`, 1);
  if (!found) throw new AppError("not_found", `conversion ${conversionId} has no fraud case`);
  return found.view;
}
