import { useQuery } from "@tanstack/react-query";
import { api } from "../shared/api.js";
import { SelectField } from "../shared/select-field.js";
import type { EnrollmentStatus, Page, Partner } from "../shared/types.js";
import { adminKeys, useProgramEnrollmentsQuery } from "./admin-queries.js";

const EARNING: EnrollmentStatus[] = ["approved", "active", "suspended"];

/**
 * A partner picker. With a program: its enrolled partners (by default those who can earn); without one: the
 * first 200 partners by name, for filters across programs.
 */
export function PartnerSelect({
  programId,
  value,
  onChange,
  label = "Partner",
  placeholder,
  statuses = EARNING,
  error,
  hint,
  required,
  className,
}: {
  programId?: string;
  value: string;
  onChange: (partnerId: string) => void;
  label?: string;
  placeholder?: string;
  statuses?: EnrollmentStatus[];
  error?: string;
  hint?: string;
  required?: boolean;
  className?: string;
}) {
  const enrollments = useProgramEnrollmentsQuery(programId);
  const all = useQuery({
    queryKey: [...adminKeys.partners, "picker"],
    queryFn: () => api.get<Page<Partner>>("/v1/partners?limit=200").then((r) => r.items),
    enabled: !programId,
    staleTime: 60_000,
  });
  const options = programId
    ? (enrollments.data ?? [])
        .filter((e) => statuses.includes(e.status))
        .map((e) => ({ value: e.partnerId, label: e.partner?.name ?? e.partnerId }))
    : (all.data ?? []).map((p) => ({ value: p.id, label: p.name }));
  options.sort((a, b) => a.label.localeCompare(b.label));
  const loading = programId ? enrollments.isPending : all.isPending;
  return (
    <SelectField
      label={label}
      value={value}
      onChange={onChange}
      options={options}
      placeholder={loading ? "Loading…" : (placeholder ?? "Choose a partner")}
      error={error}
      hint={hint}
      required={required}
      className={className}
    />
  );
}
