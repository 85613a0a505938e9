import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { api, queryString } from "../shared/api.js";
import { REFRESH_MS } from "../shared/performance-series.js";
import type {
  ConversionKind,
  Coupon,
  Page,
  PortalConversion,
  PortalEnrollment,
  PortalMe,
  PortalNotice,
  TrackingLink,
} from "../shared/types.js";

export const portalKeys = {
  me: ["portal", "me"] as const,
  enrollments: ["portal", "enrollments"] as const,
  links: ["portal", "links"] as const,
  coupons: ["portal", "coupons"] as const,
  conversions: ["portal", "conversions"] as const,
  earnings: ["portal", "earnings"] as const,
  payouts: ["portal", "payouts"] as const,
  notices: ["portal", "notices"] as const,
};

export const usePortalMeQuery = () =>
  useQuery({ queryKey: portalKeys.me, queryFn: () => api.get<PortalMe>("/v1/portal/me"), retry: false });

export const usePortalEnrollmentsQuery = () =>
  useQuery({
    queryKey: portalKeys.enrollments,
    queryFn: () => api.get<{ items: PortalEnrollment[] }>("/v1/portal/enrollments").then((r) => r.items),
  });

export const usePortalLinksQuery = () =>
  useQuery({
    queryKey: portalKeys.links,
    queryFn: () => api.get<{ items: TrackingLink[] }>("/v1/portal/links").then((r) => r.items),
  });

export const usePortalCouponsQuery = () =>
  useQuery({
    queryKey: portalKeys.coupons,
    queryFn: () => api.get<{ items: Coupon[] }>("/v1/portal/coupons").then((r) => r.items),
  });

/** The partner's latest conversions, newest first, a page at a time; refreshed like the performance chart. */
export const usePortalConversionsQuery = (filters: { programId?: string; kind?: ConversionKind }, limit: number) =>
  useInfiniteQuery({
    queryKey: [...portalKeys.conversions, filters, limit],
    queryFn: ({ pageParam }) =>
      api.get<Page<PortalConversion>>(`/v1/portal/conversions${queryString({ ...filters, limit, cursor: pageParam })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: REFRESH_MS,
    placeholderData: (previous) => previous,
  });

/** Messages from the program team about the account (warnings, suspension, ban, reinstatement), newest first. */
export const usePortalNoticesQuery = () =>
  useQuery({
    queryKey: portalKeys.notices,
    queryFn: () => api.get<{ items: PortalNotice[] }>("/v1/portal/notices").then((r) => r.items),
  });
