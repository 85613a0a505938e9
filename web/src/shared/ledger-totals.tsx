import type { ReactNode } from "react";
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

/** The amount in the first currency; the others on the line under it. */
function amounts(totals: LedgerTotals[], status: CommissionStatus, fallback: string) {
  const rows = totals.filter((t) => t[status] !== 0);
  const first = rows[0];
  return {
    value: first ? formatMoney(first[status], first.currency) : formatMoney(0, fallback),
    more: rows
      .slice(1)
      .map((t) => formatMoney(t[status], t.currency))
      .join(" + "),
  };
}

/**
 * Ledger totals by status, one tile each, per currency: the console's review page and the partner's earnings.
 * `notes` puts a line under a status's figure (what it means to the reader).
 */
export function LedgerTotalsTiles({
  totals,
  statuses,
  labels,
  notes = {},
  currency = "USD",
}: {
  totals: LedgerTotals[] | undefined;
  statuses: CommissionStatus[];
  labels: Record<CommissionStatus, string>;
  notes?: Partial<Record<CommissionStatus, ReactNode>>;
  currency?: string;
}) {
  return (
    <dl className={`stat-tiles stat-tiles-${statuses.length}`} aria-busy={totals ? undefined : true}>
      {statuses.map((status) => {
        const { value, more } = amounts(totals ?? [], status, totals?.[0]?.currency ?? currency);
        return (
          <StatTile
            key={status}
            label={labels[status]}
            value={value}
            color={TONE_COLORS[commissionTones[status]]}
            sub={
              more || notes[status] ? (
                <>
                  {more && <span className="stat-sub-line">+ {more}</span>}
                  {notes[status] && <span className="stat-sub-line">{notes[status]}</span>}
                </>
              ) : undefined
            }
          />
        );
      })}
    </dl>
  );
}
