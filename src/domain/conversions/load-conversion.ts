import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { type ConversionKind, conversionCredits, conversions, customers } from "../../db/schema/index.js";
import { namedInView, toConversionView } from "./conversion-view.js";
import type { ConversionView } from "./conversions.schemas.js";
import { displayNames } from "./display-names.js";

export async function loadConversionView(
  db: Db,
  where: { id: string } | { programId: string; kind: ConversionKind; key: string },
) {
  const condition =
    "id" in where
      ? eq(conversions.id, where.id)
      : and(
          eq(conversions.programId, where.programId),
          eq(conversions.kind, where.kind),
          eq(conversions.idempotencyKey, where.key),
        );
  const [row] = await db
    .select({ conversion: conversions, customerExternalId: customers.externalId })
    .from(conversions)
    .leftJoin(customers, eq(customers.id, conversions.customerId))
    .where(condition)
    .limit(1);
  if (!row) return undefined;
  const credits = await db
    .select()
    .from(conversionCredits)
    .where(eq(conversionCredits.conversionId, row.conversion.id));
  const names = await displayNames({ db }, namedInView(row.conversion, credits));
  return { row: row.conversion, view: toConversionView(row.conversion, credits, row.customerExternalId, names) };
}

/** Several conversions' views by id, in three statements however many: a page of items that each point at one. */
export async function loadConversionViews(db: Db, ids: readonly string[]): Promise<Map<string, ConversionView>> {
  const distinct = [...new Set(ids)];
  if (distinct.length === 0) return new Map();
  const rows = await db
    .select({ conversion: conversions, customerExternalId: customers.externalId })
    .from(conversions)
    .leftJoin(customers, eq(customers.id, conversions.customerId))
    .where(inArray(conversions.id, distinct));
  const credits = await db.select().from(conversionCredits).where(inArray(conversionCredits.conversionId, distinct));
  const creditsOf = (id: string) => credits.filter((c) => c.conversionId === id);
  const names = await displayNames(
    { db },
    rows.flatMap((r) => namedInView(r.conversion, creditsOf(r.conversion.id))),
  );
  return new Map(
    rows.map((r) => [
      r.conversion.id,
      toConversionView(r.conversion, creditsOf(r.conversion.id), r.customerExternalId, names),
    ]),
  );
}
