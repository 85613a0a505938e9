import { useQuery } from "@tanstack/react-query";
import { api } from "../shared/api.js";
import type { PortalEnrollment, PortalMe } from "../shared/types.js";

export const portalKeys = {
  me: ["portal", "me"] as const,
  enrollments: ["portal", "enrollments"] as const,
};

export const usePortalMeQuery = () =>
  useQuery({ queryKey: portalKeys.me, queryFn: () => api.get<PortalMe>("/v1/portal/me"), retry: false });

export const usePortalEnrollmentsQuery = () =>
  useQuery({
    queryKey: portalKeys.enrollments,
    queryFn: () => api.get<{ items: PortalEnrollment[] }>("/v1/portal/enrollments").then((r) => r.items),
  });
