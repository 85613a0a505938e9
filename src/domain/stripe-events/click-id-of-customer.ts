import { and, eq } from "drizzle-orm";
import type Stripe from "stripe";
import { customers } from "../../db/schema/index.js";
import type { Ctx } from "../context.js";
import { stripeClient } from "../payouts/payout-runtime.js";
import { verifyClickId } from "../tracking/click-id.js";
import { missing, type StripeBillingRuntime } from "./stripe-billing-runtime.js";

/** The customer metadata key a vendor that creates its Stripe customers itself puts the click id under. */
export const CLICK_ID_METADATA = "tributary_click_id";

/**
 * The click id of a customer the program does not know yet, as Stripe holds it: the customer's
 * `metadata.tributary_click_id` (vendors that create their customers themselves), else the `client_reference_id` of
 * the customer's latest completed Checkout session when it is a click of this program (the invoice's event can come
 * before the session's: Stripe does not keep events in order). A customer the program knows already has its
 * touches stored, so Stripe is asked about a customer's first invoice only.
 */
export async function clickIdOfNewCustomer(
  ctx: Ctx,
  billing: StripeBillingRuntime,
  programId: string,
  customerId: string,
): Promise<{ clickId: string; from: string } | undefined> {
  const [known] = await ctx.db
    .select({ id: customers.id })
    .from(customers)
    .where(and(eq(customers.programId, programId), eq(customers.externalId, customerId)))
    .limit(1);
  if (known) return undefined;
  const stripe = stripeClient(ctx);
  let customer: Stripe.Customer | Stripe.DeletedCustomer | undefined;
  try {
    customer = await stripe.customers.retrieve(customerId);
  } catch (error) {
    if (!missing(error)) throw error;
  }
  const fromMetadata = customer && !customer.deleted ? customer.metadata?.[CLICK_ID_METADATA]?.trim() : undefined;
  if (fromMetadata && fromMetadata.length <= 200) return { clickId: fromMetadata, from: "the customer's metadata" };
  const sessions = await stripe.checkout.sessions.list({ customer: customerId, limit: 10 });
  for (const session of sessions.data) {
    const reference = session.client_reference_id;
    if (session.status !== "complete" || !reference) continue;
    const verified = verifyClickId(billing.keys, reference);
    if (verified.ok && verified.claims.programId === programId)
      return { clickId: reference, from: `checkout session ${session.id}` };
  }
  return undefined;
}
