import { SelectField } from "../shared/select-field.js";
import { useProgramsQuery } from "./admin-queries.js";

/** A "Program" select fed by the program list: a filter, or (with a placeholder to choose) a form field. */
export function ProgramFilter({
  value,
  onChange,
  placeholder = "All programs",
  error,
  className = "filter-field",
}: {
  value: string;
  onChange: (programId: string) => void;
  placeholder?: string;
  error?: string;
  className?: string;
}) {
  const programs = useProgramsQuery();
  return (
    <SelectField
      label="Program"
      value={value}
      onChange={onChange}
      placeholder={placeholder}
      options={(programs.data ?? []).map((p) => ({ value: p.id, label: p.name }))}
      error={error}
      className={className}
    />
  );
}
