import { formatDate } from "./format.js";
import { AlertIcon } from "./icons.js";
import type { PayoutMethod } from "./types.js";

/**
 * Stripe's word that the connected account cannot receive payouts, shown where the method is (the partner's
 * payout method card and the console's partner finance panel): what to fix, and that payouts wait meanwhile.
 */
export function PayoutMethodAttention({ method, audience }: { method: PayoutMethod; audience: "partner" | "team" }) {
  if (!method.attention) return null;
  return (
    <div className="alert alert-warning" role="status">
      <AlertIcon size={18} />
      <div>
        <p>
          <strong>Needs attention since {formatDate(method.attention.since)}.</strong> {method.attention.reason}
        </p>
        <p className="small">
          {audience === "partner"
            ? "Your payouts are held, not lost: your balance is kept and paid once Stripe enables the account."
            : "Payouts to this account are held out of Stripe batches until Stripe enables it again."}
        </p>
      </div>
    </div>
  );
}
