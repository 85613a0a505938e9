import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { api } from "../shared/api.js";
import { Badge } from "../shared/badge.js";
import { ConversionKindBadge } from "../shared/conversion-kind-badge.js";
import { CopyButton } from "../shared/copy-button.js";
import { Drawer } from "../shared/drawer.js";
import { formatDateTime, formatRelative } from "../shared/format.js";
import { CheckIcon, XIcon } from "../shared/icons.js";
import {
  couponOutcomeLabels,
  decisionModelDescriptions,
  decisionModelLabels,
  labelOf,
  rejectedClickIdLabels,
  touchpointReasonLabels,
  touchpointSourceLabels,
} from "../shared/labels.js";
import { PageLoading } from "../shared/loading.js";
import { formatMoney } from "../shared/money.js";
import { QueryError } from "../shared/query-error.js";
import type { Attribution, Conversion } from "../shared/types.js";
import { adminKeys } from "./admin-queries.js";
import { ConversionSourceBadge } from "./conversion-badges.js";
import { readableSummary } from "./readable-summary.js";
import { ShareBar } from "./share-bar.js";

interface ExplanationProps {
  conversion: Conversion;
  attribution: Attribution;
  /** Opens another conversion in the drawer: a refund's sale. */
  onOpenConversion?: ((id: string) => void) | undefined;
}

function Explanation({ conversion, attribution, onOpenConversion }: ExplanationProps) {
  // A refund credits nobody: it takes back, in the sale's proportions, what the sale credited.
  const refund = conversion.kind === "refund";
  // A refund's decision names no partner: its credits (negative) are the sale's, in the same proportions.
  const credits = refund ? conversion.credits : attribution.credits;
  const amountOf = (partnerId: string) => conversion.credits.find((c) => c.partnerId === partnerId)?.amount ?? null;
  return (
    <div className="stack-lg">
      <section className={attribution.attributed && !refund ? "verdict verdict-credited" : "verdict verdict-none"}>
        <div className="verdict-head">
          {refund ? (
            <strong>Reversal</strong>
          ) : (
            <>
              <span className="verdict-icon" aria-hidden="true">
                {attribution.attributed ? <CheckIcon size={16} /> : <XIcon size={16} />}
              </span>
              <strong>{attribution.attributed ? "Credited" : "Not credited"}</strong>
            </>
          )}
          {attribution.model && (
            <span title={labelOf(decisionModelDescriptions, attribution.model)}>
              <Badge tone="neutral" dot={false}>
                {labelOf(decisionModelLabels, attribution.model)}
              </Badge>
            </span>
          )}
          {!refund && attribution.source && <ConversionSourceBadge source={attribution.source} />}
        </div>
        <p className="verdict-summary">{readableSummary(attribution.summary)}</p>
        {attribution.reason && <p className="verdict-reason">{labelOf(touchpointReasonLabels, attribution.reason)}</p>}
        {refund && conversion.saleId && onOpenConversion && (
          <button type="button" className="link-button" onClick={() => onOpenConversion(conversion.saleId!)}>
            Open the refunded sale
          </button>
        )}
      </section>

      {credits.length > 0 && (
        <section>
          <h3 className="subheading">{refund ? "Reversed from" : "Credit"}</h3>
          <ul className="credit-list">
            {credits.map((credit) => {
              const amount = amountOf(credit.partnerId);
              return (
                <li key={credit.partnerId} className="credit-item">
                  <Link to={`/admin/partners/${credit.partnerId}`} className="credit-name">
                    {credit.partnerName}
                  </Link>
                  <ShareBar bps={credit.weightBps} />
                  <span className="credit-amount">
                    {amount !== null && conversion.currency ? formatMoney(amount, conversion.currency) : ""}
                  </span>
                </li>
              );
            })}
          </ul>
        </section>
      )}

      {attribution.coupon && (
        <section>
          <h3 className="subheading">Coupon</h3>
          <p className="coupon-outcome">
            <span className="coupon-code">{attribution.coupon.code}</span> belongs to{" "}
            <Link to={`/admin/partners/${attribution.coupon.partnerId}`}>{attribution.coupon.partnerName}</Link>
            <Badge tone={attribution.coupon.outcome === "applied" ? "success" : "muted"}>
              {labelOf(couponOutcomeLabels, attribution.coupon.outcome)}
            </Badge>
          </p>
        </section>
      )}

      {!refund && (
        <section>
          <h3 className="subheading">Touchpoints</h3>
          {attribution.touchpoints.length === 0 ? (
            <p className="muted">
              {attribution.rejectedClickIds.length > 0
                ? "No valid click was sent with this conversion (see the refused click ids below) or found for this customer."
                : "No clicks were sent with this conversion or found for this customer."}
            </p>
          ) : (
            <div className="table-frame">
              {/* On a phone each touchpoint is a card of its own, its weight included (the table scrolled it away). */}
              <table className="table table-stacks touchpoint-table">
                <thead>
                  <tr>
                    <th scope="col">Click</th>
                    <th scope="col">Partner</th>
                    <th scope="col">Counted</th>
                    <th scope="col">Weight</th>
                  </tr>
                </thead>
                <tbody>
                  {attribution.touchpoints.map((t) => (
                    <tr key={t.clickId} className={t.included ? undefined : "row-muted"}>
                      <td>
                        <div className="cell-title" title={formatDateTime(t.at)}>
                          {formatRelative(t.at)}
                        </div>
                        <div className="cell-sub">
                          {formatDateTime(t.at)} · {labelOf(touchpointSourceLabels, t.source)}
                        </div>
                      </td>
                      <td className="nowrap" data-label="Partner">
                        <Link className="cell-link" to={`/admin/partners/${t.partnerId}`}>
                          {t.partnerName}
                        </Link>
                      </td>
                      <td data-label="Counted">
                        {t.included ? <Badge tone="success">Included</Badge> : <Badge tone="muted">Excluded</Badge>}
                        {t.reason && <div className="cell-sub">{labelOf(touchpointReasonLabels, t.reason)}</div>}
                        <div className="cell-sub touchpoint-explanation">{readableSummary(t.explanation)}</div>
                      </td>
                      <td data-label="Weight">
                        {t.weightBps !== null ? <ShareBar bps={t.weightBps} muted={!t.included} /> : "—"}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      )}

      {attribution.rejectedClickIds.length > 0 && (
        <section>
          <h3 className="subheading">Click ids that were refused</h3>
          <ul className="rejected-list">
            {/* Whole, and copyable: the developer compares it with what its backend sent. */}
            {attribution.rejectedClickIds.map((r, i) => (
              <li key={r.clickId}>
                <code className="mono rejected-click-id">{r.clickId === "" ? "(empty)" : r.clickId}</code>
                <span className="muted nowrap">{labelOf(rejectedClickIdLabels, r.reason)}</span>
                {r.clickId !== "" && (
                  <CopyButton value={r.clickId} label={`refused click id ${i + 1}`} variant="ghost" iconOnly />
                )}
              </li>
            ))}
          </ul>
        </section>
      )}

      <section>
        <h3 className="subheading">Details</h3>
        <dl className="details details-compact">
          <dt>{conversion.kind === "lead" ? "Event id" : conversion.kind === "refund" ? "Refund id" : "Order id"}</dt>
          <dd className="mono">{conversion.idempotencyKey}</dd>
          <dt>Customer</dt>
          <dd className="mono">{conversion.customerExternalId ?? "—"}</dd>
          {conversion.eventName && (
            <>
              <dt>Event</dt>
              <dd>{conversion.eventName}</dd>
            </>
          )}
          {/* A coupon that counted has its own section above. */}
          {attribution.couponCode && !attribution.coupon && (
            <>
              <dt>Coupon code</dt>
              <dd className="mono">{attribution.couponCode}</dd>
            </>
          )}
          <dt>Happened</dt>
          <dd>{formatDateTime(conversion.occurredAt)}</dd>
          <dt>Received</dt>
          <dd>{formatDateTime(conversion.receivedAt)}</dd>
          <dt>Conversion id</dt>
          <dd className="mono">{conversion.id}</dd>
        </dl>
      </section>
    </div>
  );
}

/** Why a conversion was credited the way it was: the engine's decision, touch by touch. */
export function AttributionDrawer({
  conversion,
  loadError,
  onRetry,
  onClose,
  onOpenConversion,
}: {
  conversion: Conversion | undefined;
  /** Why the conversion asked for (a link to it) could not be loaded: the drawer opens to say so. */
  loadError?: unknown;
  onRetry?: () => void;
  onClose: () => void;
  onOpenConversion?: (id: string) => void;
}) {
  const attribution = useQuery({
    queryKey: adminKeys.attribution(conversion?.id ?? ""),
    queryFn: () => api.get<Attribution>(`/v1/conversions/${conversion?.id}/attribution`),
    enabled: Boolean(conversion),
  });
  const amount =
    conversion?.amount !== null && conversion?.amount !== undefined && conversion.currency
      ? formatMoney(conversion.amount, conversion.currency)
      : null;
  return (
    <Drawer
      open={Boolean(conversion) || Boolean(loadError)}
      onClose={onClose}
      title={
        conversion ? (
          <span className="drawer-title-row">
            <ConversionKindBadge kind={conversion.kind} />
            {amount ?? conversion.eventName ?? conversion.idempotencyKey}
          </span>
        ) : (
          "Conversion"
        )
      }
      // The date first: it is the conversion's (when it happened), not the explanation's.
      description={conversion ? `${formatDateTime(conversion.occurredAt)} · who got the credit, and why` : undefined}
    >
      {!conversion ? (
        loadError ? (
          <QueryError error={loadError} onRetry={onRetry} />
        ) : null
      ) : attribution.isPending ? (
        <PageLoading label="Loading attribution" />
      ) : attribution.isError ? (
        <QueryError error={attribution.error} onRetry={() => attribution.refetch()} />
      ) : (
        <Explanation conversion={conversion} attribution={attribution.data} onOpenConversion={onOpenConversion} />
      )}
    </Drawer>
  );
}
