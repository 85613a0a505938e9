import { eq } from "drizzle-orm";
import { partners, payoutMethods } from "../../db/schema/index.js";
import { AppError } from "../../lib/errors.js";
import type { Ctx } from "../context.js";
import { recordAudit } from "../governance/record-audit.js";
import { actingPartnerId } from "./partner-of.js";
import type { PayoutMethodDetails } from "./payout-method-details.js";
import { payoutRuntime } from "./payout-runtime.js";
import { confirmPassword } from "./set-payout-method.js";
import { stripeCall } from "./stripe-call.js";
import { sealOnboardingState } from "./stripe-onboarding-state.js";

/** Where Stripe sends the partner: back to finish (`return`), or for a fresh link when one expired (`refresh`). */
export interface OnboardingUrls {
  returnUrl: (state: string) => string;
  refreshUrl: (state: string) => string;
}

export const STRIPE_NOT_CONFIGURED =
  "Stripe Connect is not available: the program team has not configured Stripe (STRIPE_SECRET_KEY)";

/** An onboarding link for the account: Stripe's hosted form collects what Stripe needs (identity, bank account). */
export async function onboardingLink(ctx: Ctx, partnerId: string, accountId: string, urls: OnboardingUrls) {
  const stripe = payoutRuntime(ctx).stripe;
  if (!stripe) throw new AppError("invalid_state", STRIPE_NOT_CONFIGURED);
  const state = sealOnboardingState(ctx, partnerId, accountId);
  const link = await stripeCall("open its onboarding", () =>
    stripe.accountLinks.create({
      account: accountId,
      type: "account_onboarding",
      return_url: urls.returnUrl(state),
      refresh_url: urls.refreshUrl(state),
    }),
  );
  return { url: link.url, expiresAt: new Date(link.expires_at * 1000).toISOString() };
}

/**
 * "Connect with Stripe": the partner confirms its password (where the money goes changes only with it), the
 * platform creates a Stripe Express account for it — or reuses the one already connected, to finish or update
 * it — and answers the link to Stripe's hosted onboarding. Nothing is saved here: the method is saved when the
 * partner comes back and Stripe says the details were submitted (finishStripeOnboarding).
 */
export async function startStripeOnboarding(ctx: Ctx, input: { currentPassword: string }, urls: OnboardingUrls) {
  const partnerId = actingPartnerId(ctx.actor);
  await confirmPassword(ctx, input.currentPassword);
  const runtime = payoutRuntime(ctx);
  if (!runtime.stripe) throw new AppError("invalid_state", STRIPE_NOT_CONFIGURED);
  const [method] = await ctx.db.select().from(payoutMethods).where(eq(payoutMethods.partnerId, partnerId));
  let accountId: string | undefined;
  if (method?.kind === "stripe_connect") {
    const details = JSON.parse(runtime.keyring.open(method.detailsEncrypted, partnerId)) as PayoutMethodDetails;
    accountId = details.accountId;
  }
  const created = !accountId;
  if (!accountId) {
    const [partner] = await ctx.db.select().from(partners).where(eq(partners.id, partnerId));
    const stripe = runtime.stripe;
    const account = await stripeCall("create a Stripe account", () =>
      stripe.accounts.create({
        type: "express",
        email: ctx.actor.label,
        ...(partner?.country ? { country: partner.country } : {}),
        capabilities: { transfers: { requested: true } },
        metadata: { tributary_partner_id: partnerId },
      }),
    );
    accountId = account.id;
  }
  const link = await onboardingLink(ctx, partnerId, accountId, urls);
  await ctx.db.transaction((tx) =>
    recordAudit(tx, ctx, {
      action: "payout_method.stripe_onboarding_started",
      entityType: "payout_method",
      entityId: partnerId,
      partnerId,
      after: { accountCreated: created, account: `acct_••••${accountId.slice(-4)}` },
    }),
  );
  return link;
}
