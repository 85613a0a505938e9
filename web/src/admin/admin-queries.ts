import { useQuery } from "@tanstack/react-query";
import { api, queryString } from "../shared/api.js";
import type { Enrollment, Me, Page, Program } from "../shared/types.js";

export const adminKeys = {
  setup: ["admin", "setup"] as const,
  me: ["admin", "me"] as const,
  programs: ["admin", "programs"] as const,
  program: (id: string) => ["admin", "programs", id] as const,
  invitations: (programId: string) => ["admin", "programs", programId, "invitations"] as const,
  enrollments: ["admin", "enrollments"] as const,
  partners: ["admin", "partners"] as const,
  partner: (id: string) => ["admin", "partners", id] as const,
  team: ["admin", "team"] as const,
  apiKeys: ["admin", "api-keys"] as const,
  audit: ["admin", "audit"] as const,
  links: ["admin", "links"] as const,
  coupons: ["admin", "coupons"] as const,
  conversions: ["admin", "conversions"] as const,
  attribution: (conversionId: string) => ["admin", "conversions", conversionId, "attribution"] as const,
  clicks: ["admin", "clicks"] as const,
  programEnrollments: (programId: string) => ["admin", "enrollments", "program", programId] as const,
  fraudRules: (programId: string) => ["admin", "programs", programId, "fraud-rules"] as const,
  plans: (programId: string) => ["admin", "programs", programId, "plans"] as const,
  plan: (planId: string) => ["admin", "plans", planId] as const,
  commissions: ["admin", "commissions"] as const,
  fxRates: ["admin", "fx-rates"] as const,
  payouts: ["admin", "payouts"] as const,
  partnerFinance: (partnerId: string) => ["admin", "partners", partnerId, "finance"] as const,
};

export const useSetupQuery = () =>
  useQuery({ queryKey: adminKeys.setup, queryFn: () => api.get<{ needsOwner: boolean }>("/v1/setup"), staleTime: 0 });

export const useMeQuery = (enabled: boolean) =>
  useQuery({ queryKey: adminKeys.me, queryFn: () => api.get<Me>("/v1/auth/me"), enabled, retry: false });

export const useProgramsQuery = () =>
  useQuery({
    queryKey: adminKeys.programs,
    queryFn: () => api.get<{ items: Program[] }>("/v1/programs").then((r) => r.items),
  });

export const useProgramQuery = (id: string | undefined) =>
  useQuery({
    queryKey: adminKeys.program(id ?? ""),
    queryFn: () => api.get<Program>(`/v1/programs/${encodeURIComponent(id ?? "")}`),
    enabled: Boolean(id),
  });

/** Up to 200 enrollments of a program with their partner names: pickers and partner-name lookups. */
export const useProgramEnrollmentsQuery = (programId: string | undefined) =>
  useQuery({
    queryKey: adminKeys.programEnrollments(programId ?? ""),
    queryFn: () =>
      api.get<Page<Enrollment>>(`/v1/enrollments${queryString({ programId, limit: 200 })}`).then((r) => r.items),
    enabled: Boolean(programId),
    staleTime: 60_000,
  });
