import { useQueries } from "@tanstack/react-query";
import { api } from "../shared/api.js";
import type { PartnerDetail } from "../shared/types.js";
import { adminKeys, useProgramEnrollmentsQuery } from "./admin-queries.js";

/**
 * Partner names for rows that carry only partner ids (links, coupons, clicks, credits). Within a program one
 * enrollment list answers for everyone; ids it does not know are looked up one by one (and cached).
 */
export function usePartnerNames(partnerIds: readonly string[], programId?: string): (partnerId: string) => string {
  const enrollments = useProgramEnrollmentsQuery(programId);
  const known = new Map<string, string>();
  for (const e of enrollments.data ?? []) if (e.partner) known.set(e.partnerId, e.partner.name);
  const waiting = Boolean(programId) && enrollments.isPending;
  const missing = waiting ? [] : [...new Set(partnerIds)].filter((id) => !known.has(id));
  const details = useQueries({
    queries: missing.map((id) => ({
      queryKey: adminKeys.partner(id),
      queryFn: () => api.get<PartnerDetail>(`/v1/partners/${encodeURIComponent(id)}`),
      staleTime: 300_000,
    })),
  });
  details.forEach((query, i) => {
    const id = missing[i];
    if (id && query.data) known.set(id, query.data.name);
  });
  return (partnerId) => known.get(partnerId) ?? "…";
}
