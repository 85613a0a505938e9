import { useQuery } from "@tanstack/react-query";
import { api } from "../shared/api.js";
import type { Coupon, PortalEnrollment, PortalMe, TrackingLink } from "../shared/types.js";

export const portalKeys = {
  me: ["portal", "me"] as const,
  enrollments: ["portal", "enrollments"] as const,
  links: ["portal", "links"] as const,
  coupons: ["portal", "coupons"] as const,
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
