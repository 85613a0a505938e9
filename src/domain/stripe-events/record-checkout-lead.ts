import { eq } from "drizzle-orm";
import { programs } from "../../db/schema/index.js";
import type { Ctx } from "../context.js";
import { trackLead } from "../conversions/track-lead.js";
import { verifyClickId } from "../tracking/click-id.js";
import {
  type CheckoutSessionObject,
  fromSeconds,
  recordedText,
  type StripeBillingRuntime,
} from "./stripe-billing-runtime.js";

/** The name leads from Stripe Checkout are recorded under (the Conversion API's `eventName`). */
export const STRIPE_CHECKOUT_EVENT = "stripe_checkout";

/** A plausible address only: Stripe checked it; the fraud rules compare it with partners' addresses. */
export const usableEmail = (email: string | null | undefined) =>
  email && email.length <= 254 && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) ? email : undefined;

/**
 * `checkout.session.completed` with a click id as `client_reference_id` (what `Tributary.clickId()` gave the page,
 * as Rewardful has it) and a Stripe customer: a lead of the click's program, for that customer, so that the
 * customer's invoices are attributed by the program's rules (window, lifetime binding, model). The session id is
 * its idempotency key. Anything else in `client_reference_id` (sites use it for their own ids) is not a click of
 * a program taking Stripe billing, and is ignored. Returns what was done, for the event log.
 */
export async function recordCheckoutLead(
  ctx: Ctx,
  billing: StripeBillingRuntime,
  session: CheckoutSessionObject,
  completedAt: number,
): Promise<string> {
  const clickId = session.client_reference_id;
  if (!clickId) return `ignored: checkout session ${session.id} has no client_reference_id`;
  if (!session.customer)
    return `ignored: checkout session ${session.id} made no Stripe customer (Checkout creates one for subscriptions, or with customer_creation: always)`;
  const verified = verifyClickId(billing.keys, clickId);
  if (!verified.ok)
    return `ignored: the client_reference_id of checkout session ${session.id} is not a Tributary click id (${verified.reason})`;
  const [program] = await ctx.db.select().from(programs).where(eq(programs.id, verified.claims.programId));
  if (!program?.stripeBilling?.enabled)
    return `ignored: the click of checkout session ${session.id} is of ${program ? `"${program.name}"` : "a program no longer here"}, which does not take Stripe billing`;
  const result = await trackLead(
    ctx,
    billing.keys,
    {
      programId: program.id,
      customerExternalId: session.customer,
      clickId,
      email: usableEmail(session.customer_details?.email),
      eventName: STRIPE_CHECKOUT_EVENT,
      eventId: session.id,
      occurredAt: fromSeconds(completedAt),
    },
    billing.programs,
    billing.conversions,
  );
  if (!result.replayed) billing.recorded();
  return recordedText(`lead of ${session.customer}`, program, result);
}
