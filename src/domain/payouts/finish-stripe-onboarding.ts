import { AppError } from "../../lib/errors.js";
import type { Ctx } from "../context.js";
import { accountAttention } from "../stripe-events/account-attention.js";
import { actingPartnerId } from "./partner-of.js";
import { payoutRuntime } from "./payout-runtime.js";
import { savePayoutMethod } from "./set-payout-method.js";
import { STRIPE_NOT_CONFIGURED } from "./start-stripe-onboarding.js";
import { stripeCall } from "./stripe-call.js";
import { openOnboardingState } from "./stripe-onboarding-state.js";

export type OnboardingOutcome =
  | { outcome: "connected"; masked: string; attention: string | null }
  | { outcome: "incomplete" };

/**
 * The partner is back from Stripe's onboarding. Coming back says nothing (Stripe sends the user back when it
 * leaves early too), so the account is read from Stripe: once its details are submitted it becomes the
 * partner's payout method, with Stripe's word on it (payouts enabled, or what Stripe still needs, in which case
 * its payouts are held until Stripe enables it, as for any connected account). Not submitted: nothing changes.
 */
export async function finishStripeOnboarding(ctx: Ctx, state: string): Promise<OnboardingOutcome> {
  const partnerId = actingPartnerId(ctx.actor);
  const accountId = openOnboardingState(ctx, partnerId, state);
  const stripe = payoutRuntime(ctx).stripe;
  if (!stripe) throw new AppError("invalid_state", STRIPE_NOT_CONFIGURED);
  const account = await stripeCall("read the account", () => stripe.accounts.retrieve(accountId));
  if (!account.details_submitted) return { outcome: "incomplete" };
  const attention = accountAttention(account);
  const method = await savePayoutMethod(
    ctx,
    partnerId,
    "stripe_connect",
    { accountId: account.id },
    { attention, readAt: ctx.clock.now() },
  );
  return { outcome: "connected", masked: method.masked, attention };
}
