import type { Db } from "../../db/client.js";
import { programs } from "../../db/schema/index.js";
import { stripeBillingEnabled, takesProducts } from "../programs/stripe-billing-setting.js";

type Program = typeof programs.$inferSelect;

export type InvoiceProgram =
  | { kind: "one"; program: Program }
  | { kind: "none" }
  | { kind: "several"; programs: Program[] };

/**
 * The program an invoice of these products belongs to: the one whose Stripe billing setting lists one of them, or
 * lists none (every product). None, or more than one, and the invoice is nobody's: the webhook never guesses.
 */
export async function programOfInvoice(db: Db, productIds: readonly string[]): Promise<InvoiceProgram> {
  const enabled = await db.select().from(programs).where(stripeBillingEnabled).orderBy(programs.id);
  const matching = enabled.filter((p) => p.stripeBilling && takesProducts(p.stripeBilling, productIds));
  if (matching.length === 1) return { kind: "one", program: matching[0]! };
  return matching.length === 0 ? { kind: "none" } : { kind: "several", programs: matching };
}
