import { and, ne, sql } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { programs, type StripeBillingSetting } from "../../db/schema/index.js";
import type { FieldError } from "../../lib/errors.js";

/** Programs whose sales come from Stripe: the rows the webhook reads to find an invoice's program. */
export const stripeBillingEnabled = sql`coalesce((${programs.stripeBilling}->>'enabled')::boolean, false)`;

/** Whether a program's setting takes an invoice with these products: every product when it lists none. */
export const takesProducts = (setting: StripeBillingSetting, productIds: readonly string[]) =>
  setting.enabled && (setting.productIds.length === 0 || productIds.some((id) => setting.productIds.includes(id)));

/**
 * The setting as stored: product ids trimmed, repeats dropped, each one an id (no spaces or commas, which only a
 * pasted list would bring). Undefined when the input leaves it unchanged.
 */
export function normalizeStripeBilling(
  input: StripeBillingSetting | undefined,
  errors: FieldError[],
): StripeBillingSetting | undefined {
  if (input === undefined) return undefined;
  const productIds: string[] = [];
  input.productIds.forEach((raw, i) => {
    const id = raw.trim();
    if (!/^[^\s,]+$/.test(id))
      errors.push({
        field: `/stripeBilling/productIds/${i}`,
        message: `"${raw}" is not a Stripe product id like prod_NWjs8kKbJWmuuc`,
      });
    else if (!productIds.includes(id)) productIds.push(id);
  });
  return { enabled: input.enabled, productIds };
}

/** Why a program's setting cannot share Stripe's invoices with another program's, or undefined when it does not. */
function overlap(mine: StripeBillingSetting, name: string, theirs: StripeBillingSetting): string | undefined {
  if (theirs.productIds.length === 0)
    return `program "${name}" takes the Stripe invoices of every product: list its products there first`;
  if (mine.productIds.length === 0)
    return `program "${name}" takes the Stripe invoices of ${theirs.productIds.join(", ")}: list this program's products instead of every product`;
  const shared = mine.productIds.filter((id) => theirs.productIds.includes(id));
  if (shared.length > 0) return `program "${name}" already takes the Stripe invoices of ${shared.join(", ")}`;
  return undefined;
}

/**
 * An invoice must belong to one program: a setting that would share products with another program's (every product
 * counts as all of them) is refused, naming that program. The webhook still refuses to guess when two programs
 * match an invoice (two settings saved at the same moment).
 */
export async function checkStripeBillingOverlap(
  db: Db,
  programId: string | null,
  setting: StripeBillingSetting | null | undefined,
  errors: FieldError[],
) {
  if (!setting?.enabled) return;
  const others = await db
    .select({ name: programs.name, stripeBilling: programs.stripeBilling })
    .from(programs)
    .where(programId ? and(stripeBillingEnabled, ne(programs.id, programId)) : stripeBillingEnabled);
  for (const other of others) {
    const reason = other.stripeBilling && overlap(setting, other.name, other.stripeBilling);
    if (!reason) continue;
    errors.push({
      field: "/stripeBilling/productIds",
      message: `${reason}, so that each invoice belongs to one program`,
    });
    return;
  }
}
