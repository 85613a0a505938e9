import type Stripe from "stripe";

/** Stripe's `requirements.disabled_reason` codes, said the way a partner can act on them. */
const DISABLED_REASONS: Record<string, string> = {
  "requirements.past_due": "information Stripe asked for is past due",
  "requirements.pending_verification": "Stripe is verifying the information provided",
  "action_required.requested_capabilities": "the account must accept the capabilities requested for it",
  listed: "the account is on a prohibited list and under review by Stripe",
  platform_paused: "the platform has paused the account",
  "rejected.fraud": "Stripe rejected the account (suspected fraud)",
  "rejected.incomplete_verification": "Stripe rejected the account (verification not completed)",
  "rejected.listed": "Stripe rejected the account (prohibited list)",
  "rejected.other": "Stripe rejected the account",
  "rejected.platform_fraud": "the platform rejected the account (suspected fraud)",
  "rejected.platform_other": "the platform rejected the account",
  "rejected.platform_terms_of_service": "the platform rejected the account (terms of service)",
  "rejected.terms_of_service": "Stripe rejected the account (terms of service)",
  under_review: "Stripe is reviewing the account",
  other: "Stripe disabled the account",
};

const MAX_FIELDS_NAMED = 5;

/** `individual.verification.document` → `individual verification document`. */
const readableField = (field: string) => field.replace(/[._]+/g, " ").trim();

/**
 * Why a connected account cannot receive transfers now, in words for the partner and the program team; null
 * when it can. It cannot when Stripe has turned its payouts off or information it asked for is past due
 * (Stripe disables the account at that deadline, so a transfer sent now would not reach the partner).
 */
export function accountAttention(account: Pick<Stripe.Account, "payouts_enabled" | "requirements">): string | null {
  const disabledReason = account.requirements?.disabled_reason ?? null;
  const pastDue = account.requirements?.past_due ?? [];
  if (account.payouts_enabled !== false && !disabledReason && pastDue.length === 0) return null;
  const head =
    account.payouts_enabled === false
      ? "Stripe has paused payouts to this account"
      : "Stripe needs information for this account";
  const details: string[] = [];
  if (disabledReason) details.push(DISABLED_REASONS[disabledReason] ?? `Stripe's reason: ${disabledReason}`);
  if (pastDue.length > 0) {
    const named = pastDue.slice(0, MAX_FIELDS_NAMED).map(readableField).join(", ");
    const more = pastDue.length > MAX_FIELDS_NAMED ? ` and ${pastDue.length - MAX_FIELDS_NAMED} more` : "";
    details.push(`overdue: ${named}${more}`);
  }
  const why = details.length > 0 ? `: ${details.join("; ")}` : "";
  return `${head}${why}. Update the account in Stripe; payouts resume once Stripe enables it again.`.slice(0, 500);
}
