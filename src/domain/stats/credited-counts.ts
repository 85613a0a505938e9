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
