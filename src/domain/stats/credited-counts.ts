/** Credited conversions of one kind and currency, as the reports' SQL groups them. */
export interface CreditGroup {
  kind: string;
  currency: string | null;
  /** Distinct conversions. */
  n: number;
  /** Sum of the credited amounts (a refund's negative), minor units, as text. */
  amount: string | null;
}

export interface CreditedCounts {
  leads: number;
  sales: number;
  revenue: Record<string, number>;
}

/** Adds a group to a report's figures: leads and sales counted once each, revenue net of refunds per currency. */
export function addCredits(into: CreditedCounts, group: CreditGroup): void {
  if (group.kind === "lead") into.leads += group.n;
  if (group.kind === "sale") into.sales += group.n;
  if ((group.kind === "sale" || group.kind === "refund") && group.currency && group.amount !== null)
    into.revenue[group.currency] = (into.revenue[group.currency] ?? 0) + Number(group.amount);
}

/** A report row's figures: its clicks, and what addCredits adds. */
export interface ReportCounts extends CreditedCounts {
  clicks: number;
}

/**
 * A report's rows by key, each made the first time its key is seen, with nothing counted yet: `identify` gives what
 * names the row (its partner, its link or sub-id value). Clicks and credited conversions are added by key, in any
 * order; `rows` keeps the order keys were first seen.
 */
export function reportRows<K, Id extends object>(identify: (key: K) => Id) {
  const rows = new Map<K, Id & ReportCounts>();
  const rowOf = (key: K) => {
    const found = rows.get(key);
    if (found) return found;
    const fresh = { ...identify(key), clicks: 0, leads: 0, sales: 0, revenue: {} };
    rows.set(key, fresh);
    return fresh;
  };
  return {
    rows,
    addClicks: (key: K, n: number) => {
      rowOf(key).clicks += n;
    },
    addCredits: (key: K, group: CreditGroup) => addCredits(rowOf(key), group),
  };
}
