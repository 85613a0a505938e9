import { AppError } from "../../lib/errors.js";
import type { Ctx } from "../context.js";
import { payoutRuntime } from "./payout-runtime.js";

/** How long a trip to Stripe's onboarding may take before its way back is refused (start again then). */
const STATE_TTL_MS = 7 * 24 * 3600_000;
/** Bound into the encryption with the partner id, so a state cannot pass for any other sealed value. */
const PURPOSE = "stripe-onboarding";

/**
 * The account an onboarding is about travels with the partner to Stripe and back, in the return and refresh
 * URLs: sealed (AES-256-GCM) with the partner id as associated data, so nothing is stored until the account is
 * complete, and only the partner who started it can bring it back (another partner's state does not open).
 */
export function sealOnboardingState(ctx: Pick<Ctx, "payouts" | "clock">, partnerId: string, accountId: string) {
  const { keyring } = payoutRuntime(ctx);
  return keyring.seal(JSON.stringify({ accountId, at: ctx.clock.now().toISOString() }), `${PURPOSE}:${partnerId}`);
}

export function openOnboardingState(ctx: Pick<Ctx, "payouts" | "clock">, partnerId: string, state: string): string {
  const { keyring } = payoutRuntime(ctx);
  let parsed: { accountId?: unknown; at?: unknown };
  try {
    parsed = JSON.parse(keyring.open(state, `${PURPOSE}:${partnerId}`)) as typeof parsed;
  } catch {
    throw new AppError("validation", "this Stripe link is not yours or is damaged: connect with Stripe again", {
      fields: [{ field: "querystring/state", message: "not a Stripe onboarding of this partner" }],
    });
  }
  const at = typeof parsed.at === "string" ? Date.parse(parsed.at) : Number.NaN;
  if (typeof parsed.accountId !== "string" || !(ctx.clock.now().getTime() - at <= STATE_TTL_MS))
    throw new AppError("validation", "this Stripe link has expired: connect with Stripe again", {
      fields: [{ field: "querystring/state", message: "expired" }],
    });
  return parsed.accountId;
}
