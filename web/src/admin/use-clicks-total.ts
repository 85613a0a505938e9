import { useQuery, useQueryClient } from "@tanstack/react-query";
import { api, queryString } from "../shared/api.js";
import type { Click, Page } from "../shared/types.js";
import { adminKeys } from "./admin-queries.js";

/** What the clicks list is filtered by, as it asks the API. */
type ClickListFilters = Record<string, string | undefined>;

/** The key of the clicks list's page at `cursor` (undefined: the first page). */
export const clicksPageKey = (filters: ClickListFilters, cursor: string | undefined) =>
  [...adminKeys.clicks, filters, cursor] as const;

/**
 * How many clicks the list holds with its filters (`GET /v1/clicks/count`). It is counted again when the newest
 * click of the list's first page changes (a click came in), not at every refresh of a list that did not: a
 * partner's or a link's total is counted click by click. It is asked once the list's page for these filters has
 * arrived, so it is never counted for the newest click of other filters.
 */
export function useClicksTotal(filters: ClickListFilters, list: { isPlaceholderData: boolean; enabled: boolean }) {
  const queryClient = useQueryClient();
  const firstPage = queryClient.getQueryData<Page<Click>>(clicksPageKey(filters, undefined));
  const newest = firstPage?.items[0]?.id ?? null;
  const sameFilters = JSON.stringify(filters);
  return useQuery({
    queryKey: [...adminKeys.clicks, "count", filters, newest],
    queryFn: () => api.get<{ count: number }>(`/v1/clicks/count${queryString(filters)}`),
    // The same filters' last total stays while they are counted again; another filter's total would be wrong.
    placeholderData: (previous, previousQuery) =>
      previousQuery && JSON.stringify(previousQuery.queryKey[3]) === sameFilters ? previous : undefined,
    enabled: list.enabled && !list.isPlaceholderData,
  });
}
