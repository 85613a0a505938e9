import { formatDateTime } from "../shared/format.js";
import { payoutMethodLabels } from "../shared/labels.js";
import type { PayoutHistoryEvent } from "../shared/types.js";

/** One line of a payout's history in words: what happened, and for a payment how and with which reference. */
function describe(event: PayoutHistoryEvent): string {
  if (event.action === "created") return "Created by a payout run";
  if (event.action === "batched") return "Added to a batch (processing)";
  if (event.action === "reversed") return "Stripe reversed the transfer";
  if (event.action === "failed") return `Transfer failed: ${event.reason ?? "no reason given"}`;
  const how = event.methodKind ? payoutMethodLabels[event.methodKind] : "an unrecorded method";
  const where = event.methodMasked ? ` (${event.methodMasked})` : "";
  return `${event.manual ? "Marked paid by hand" : "Paid"}: ${how}${where}`;
}

/** The payout's history, oldest first: who created, batched, paid or failed it, how it was paid, the reference. */
export function PayoutHistory({ events }: { events: PayoutHistoryEvent[] }) {
  if (events.length === 0) return null;
  return (
    <section aria-label="History">
      <h3 className="subheading">History</h3>
      <ol className="history-list">
        {events.map((event) => (
          <li key={`${event.at}:${event.action}`} className="history-item">
            <div className="history-text">{describe(event)}</div>
            {event.reference && (
              <div className="cell-sub">
                Reference <span className="mono">{event.reference}</span>
              </div>
            )}
            <div className="cell-sub">
              {formatDateTime(event.at)} · {event.actor}
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}
