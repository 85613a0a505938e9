import type { Ctx } from "../context.js";
import { actingPartnerId } from "./partner-of.js";
import { type OnboardingUrls, onboardingLink } from "./start-stripe-onboarding.js";
import { openOnboardingState } from "./stripe-onboarding-state.js";

/**
 * A fresh onboarding link for the same account: Stripe's links are single-use and expire within minutes, and
 * Stripe sends the partner to the refresh URL when one did; the partner also resumes here after leaving early.
 */
export async function resumeStripeOnboarding(ctx: Ctx, state: string, urls: OnboardingUrls) {
  const partnerId = actingPartnerId(ctx.actor);
  return onboardingLink(ctx, partnerId, openOnboardingState(ctx, partnerId, state), urls);
}
