import type { ReactNode } from "react";
import { Badge } from "./badge.js";
import { formatDate, formatDateTime } from "./format.js";
import { commissionKindLabels, labelOf, payoutMethodLabels } from "./labels.js";
import { formatMoney } from "./money.js";
import { readableNote, withPageMoney } from "./note-text.js";
import { PayoutStatusBadge } from "./status-badge.js";
import type { Payout, PayoutDetail } from "./types.js";

/** What happens after a failed transfer, said to whoever reads it. */
export const failedNextStep = (audience: "team" | "partner") =>
  audience === "team"
    ? "The amount is back in the partner's balance: the next payout run pays it again."
    : "The amount is back in your balance and is paid at the next payout run. Check your payout method if the reason points to it.";

/**
 * Where a payout stands, in a few words: "Paid 3 Nov", "Transfer failed: account closed", "Held: …". A failed
 * payout is one whose transfer did not go through: the reason and what comes next are said with it, so it does
 * not read as if the partner's money were lost.
 */
export function PayoutStatusCell({ payout, audience = "team" }: { payout: Payout; audience?: "team" | "partner" }) {
  return (
    <>
      {payout.status === "failed" ? (
        <Badge tone="danger">Transfer failed</Badge>
      ) : (
        <PayoutStatusBadge status={payout.status} />
      )}
      {payout.status === "paid" && payout.paidAt && <div className="cell-sub">{formatDate(payout.paidAt)}</div>}
      {payout.status === "failed" && (
        <>
          <div className="cell-sub reason-text summary-line" title={payout.failureReason ?? undefined}>
            {payout.failureReason ?? "No reason recorded"}
          </div>
          <div className="cell-sub next-step">{failedNextStep(audience)}</div>
        </>
      )}
      {payout.heldReason && (
        <div className="cell-sub amount-negative summary-line" title={payout.heldReason}>
          Held: {payout.heldReason}
        </div>
      )}
      {payout.reversedAmount > 0 && (
        <div className="cell-sub reason-text summary-line">
          Stripe reversed {formatMoney(payout.reversedAmount, payout.currency)}: credited back, held for review
        </div>
      )}
      {payout.lastError && !payout.heldReason && payout.status === "processing" && (
        <div className="cell-sub amount-negative summary-line" title={withPageMoney(payout.lastError)}>
          Not sent yet (temporary error): {withPageMoney(payout.lastError)}. Send the batch again.
        </div>
      )}
    </>
  );
}

/** A payout's facts and the ledger entries it pays: the console's and the portal's payout drawer. */
export function PayoutDetailView({
  payout,
  extra,
  audience = "team",
}: {
  payout: PayoutDetail;
  extra?: ReactNode;
  audience?: "team" | "partner";
}) {
  return (
    <div className="stack-lg">
      <section>
        <dl className="details details-compact">
          <dt>Status</dt>
          <dd>
            <PayoutStatusCell payout={payout} audience={audience} />
          </dd>
          <dt>Method</dt>
          <dd>
            {payout.methodMasked ??
              (payout.methodKind ? labelOf(payoutMethodLabels, payout.methodKind) : "Chosen when it is sent")}
          </dd>
          {payout.bankReference && (
            <>
              <dt>Bank reference</dt>
              <dd className="mono">{payout.bankReference}</dd>
            </>
          )}
          {payout.externalRef && (
            <>
              <dt>Reference</dt>
              <dd className="mono">{payout.externalRef}</dd>
            </>
          )}
          <dt>Created</dt>
          <dd>{formatDateTime(payout.createdAt)}</dd>
          {payout.processingAt && (
            <>
              <dt>Sent</dt>
              <dd>{formatDateTime(payout.processingAt)}</dd>
            </>
          )}
          {payout.paidAt && (
            <>
              <dt>Paid</dt>
              <dd>{formatDateTime(payout.paidAt)}</dd>
            </>
          )}
          {payout.failedAt && (
            <>
              <dt>Transfer failed</dt>
              <dd>{formatDateTime(payout.failedAt)}</dd>
            </>
          )}
          {payout.reversedAt && (
            <>
              <dt>Reversed</dt>
              <dd>
                {formatMoney(payout.reversedAmount, payout.currency)} on {formatDateTime(payout.reversedAt)}
              </dd>
            </>
          )}
          {extra}
          <dt>Payout id</dt>
          <dd className="mono">{payout.id}</dd>
        </dl>
      </section>
      <section>
        <h3 className="subheading">
          {payout.items.length} {payout.items.length === 1 ? "entry" : "entries"}
        </h3>
        <div className="table-frame">
          <table className="table table-compact">
            <thead>
              <tr>
                <th scope="col">Earned</th>
                <th scope="col">What</th>
                <th scope="col" className="col-amount">
                  Amount
                </th>
              </tr>
            </thead>
            <tbody>
              {payout.items.map((item) => (
                <tr key={item.entryId}>
                  <td className="nowrap">{formatDate(item.occurredAt)}</td>
                  <td>
                    <div>{labelOf(commissionKindLabels, item.kind)}</div>
                    <div className="cell-sub">{readableNote(item.summary)}</div>
                  </td>
                  <td className="col-amount nowrap">
                    <span className={item.amount < 0 ? "amount amount-negative" : "amount"}>
                      {formatMoney(item.amount, payout.currency)}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row" colSpan={2}>
                  Total
                </th>
                <td className="col-amount amount">{formatMoney(payout.amount, payout.currency)}</td>
              </tr>
            </tfoot>
          </table>
        </div>
      </section>
    </div>
  );
}
