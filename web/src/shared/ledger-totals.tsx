import type { ReactNode } from "react";
import { orderedTotals, TILES_FIRST_CURRENCY } from "./ledger-notes.js";
import { formatMoney } from "./money.js";
import { StatTile } from "./stat-tiles.js";
import { commissionTones } from "./status-badge.js";
import type { CommissionStatus, LedgerTotals } from "./types.js";

const TONE_COLORS: Record<string, string> = {
  warning: "var(--warning-solid)",
  info: "var(--info-solid)",
  orange: "var(--orange-solid)",
  danger: "var(--danger-solid)",
  success: "var(--success-solid)",
};

/**
 * The currencies the tiles show: each one with money in a shown status, in a stable order (the preferred one first,
 * then by code), the same in every tile so they line up; a zero in `fallback` when there is no money at all.
 */
export function tileCurrencies(totals: LedgerTotals[], statuses: CommissionStatus[], fallback: string): LedgerTotals[] {
  const shown = orderedTotals(
    totals.filter((t) => statuses.some((s) => t[s] !== 0)),
    fallback,
  );
  if (shown.length > 0) return shown;
  return [
    {
      currency: fallback,
      pending: 0,
      approved: 0,
      held: 0,
      rejected: 0,
      paid: 0,
      payable: 0,
      due: 0,
      notDue: 0,
      inPayouts: 0,
      dueFrom: null,
      pendingUntil: null,
    },
  ];
}

/**
 * Ledger totals by status, one tile each: the console's review page and partner page, and the partner's earnings.
 * Money in several currencies shows one amount per currency (never a sum across them). `notes` puts lines under a
 * status's figure (what it means to the reader).
 */
export function LedgerTotalsTiles({
  totals,
  statuses,
  labels,
  notes = {},
  currency = TILES_FIRST_CURRENCY,
}: {
  totals: LedgerTotals[] | undefined;
  statuses: CommissionStatus[];
  labels: Record<CommissionStatus, string>;
  notes?: Partial<Record<CommissionStatus, ReactNode | string[]>>;
  currency?: string;
}) {
  const shown = tileCurrencies(totals ?? [], statuses, currency);
  return (
    <dl className={`stat-tiles stat-tiles-${statuses.length}`} aria-busy={totals ? undefined : true}>
      {statuses.map((status) => {
        const note = notes[status];
        const lines = Array.isArray(note) ? note : note ? [note] : [];
        return (
          <StatTile
            key={status}
            label={labels[status]}
            value={
              shown.length === 1 ? (
                formatMoney(shown[0]![status], shown[0]!.currency)
              ) : (
                <span className="stat-value-lines">
                  {shown.map((t) => (
                    <span key={t.currency} className="stat-value-line">
                      {formatMoney(t[status], t.currency)}
                    </span>
                  ))}
                </span>
              )
            }
            color={TONE_COLORS[commissionTones[status]]}
            sub={
              lines.length > 0
                ? lines.map((line, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: computed lines in a fixed order, no identity but their place
                    <span key={i} className="stat-sub-line">
                      {line}
                    </span>
                  ))
                : undefined
            }
          />
        );
      })}
    </dl>
  );
}
