import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { type ConversionKind, conversionCredits, conversions, customers } from "../../db/schema/index.js";
import { namedInView, toConversionView } from "./conversion-view.js";
import type { ConversionView } from "./conversions.schemas.js";
import { displayNames } from "./display-names.js";

type Conversion = typeof conversions.$inferSelect;
type ConversionCredit = typeof conversionCredits.$inferSelect;

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
  const loaded = await loadConversions(db, ids);
  return new Map([...loaded].map(([id, { view }]) => [id, view]));
}

/** Several conversions by id, each with its row and its view, in three statements however many. */
export async function loadConversions(db: Db, ids: readonly string[]) {
  const distinct = [...new Set(ids)];
  if (distinct.length === 0) return new Map<string, { row: Conversion; view: ConversionView }>();
  const rows = await db
    .select({ conversion: conversions, customerExternalId: customers.externalId })
    .from(conversions)
    .leftJoin(customers, eq(customers.id, conversions.customerId))
    .where(inArray(conversions.id, distinct));
  const credits = await db.select().from(conversionCredits).where(inArray(conversionCredits.conversionId, distinct));
  const creditsOf = new Map<string, ConversionCredit[]>();
  for (const c of credits) creditsOf.set(c.conversionId, [...(creditsOf.get(c.conversionId) ?? []), c]);
  const names = await displayNames(
    { db },
    rows.flatMap((r) => namedInView(r.conversion, creditsOf.get(r.conversion.id) ?? [])),
  );
  return new Map(
    rows.map((r) => [
      r.conversion.id,
      {
        row: r.conversion,
        view: toConversionView(r.conversion, creditsOf.get(r.conversion.id) ?? [], r.customerExternalId, names),
      },
    ]),
  );
}
