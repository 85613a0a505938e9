import { and, eq } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { type ConversionKind, conversionCredits, conversions, customers } from "../../db/schema/index.js";
import { namedInView, toConversionView } from "./conversion-view.js";
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
