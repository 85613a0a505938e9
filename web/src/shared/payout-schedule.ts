import type { PayoutSchedule } from "./types.js";

const DAY_MS = 86_400_000;
const NET_DAYS: Record<Exclude<PayoutSchedule, "monthly">, number> = { net_15: 15, net_30: 30, net_60: 60 };

/**
 * When a payout run first pays a credit approved (monthly) or earned (NET-N) at `dated`, all in UTC: the server's
 * rule (src/domain/payouts/payout-rules.ts, payableFrom), which a test holds this copy to. Approved on 12 March,
 * monthly → 1 April; earned in January, NET-15 → 16 February.
 */
export function payableFrom(schedule: PayoutSchedule, dated: Date): Date {
  const monthAfter = new Date(Date.UTC(dated.getUTCFullYear(), dated.getUTCMonth() + 1, 1));
  if (schedule === "monthly") return monthAfter;
  return new Date(monthAfter.getTime() + NET_DAYS[schedule] * DAY_MS);
}
