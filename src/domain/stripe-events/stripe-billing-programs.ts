import type { Db } from "../../db/client.js";
import { programs } from "../../db/schema/index.js";
import { stripeBillingEnabled, takesProducts } from "../programs/stripe-billing-setting.js";

type Program = typeof programs.$inferSelect;

/**
 * Whose lines an invoice's (or a Checkout payment's) are. Each line belongs to the program whose Stripe billing setting
 * lists its product, or lists none (every product); a line of no program's product is the vendor's other business.
 * An order of two programs' products is split: each program's lines are a sale of that program. A line that two
 * programs take (settings written before two programs could not share a product) makes the order nobody's: the
 * webhook never guesses.
 */
export type OrderPrograms<L> =
  | { kind: "split"; parts: { program: Program; lines: L[] }[] }
  | { kind: "ambiguous"; product: string; programs: Program[] };

export async function programsOfLines<L>(
  db: Db,
  lines: readonly L[],
  productOf: (line: L) => string | undefined,
): Promise<OrderPrograms<L>> {
  const enabled = (await db.select().from(programs).where(stripeBillingEnabled).orderBy(programs.id)).filter(
    (p) => p.stripeBilling,
  );
  const parts = new Map<string, { program: Program; lines: L[] }>();
  for (const line of lines) {
    const product = productOf(line);
    const owners = enabled.filter((p) => takesProducts(p.stripeBilling!, product ? [product] : []));
    if (owners.length > 1)
      return { kind: "ambiguous", product: product ?? "a line without a product", programs: owners };
    const owner = owners[0];
    if (!owner) continue;
    const part = parts.get(owner.id) ?? { program: owner, lines: [] };
    part.lines.push(line);
    parts.set(owner.id, part);
  }
  return { kind: "split", parts: [...parts.values()] };
}
