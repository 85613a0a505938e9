import { SelectField } from "../shared/select-field.js";
import { useProgramsQuery } from "./admin-queries.js";

/** A "Program" select fed by the program list. */
export function ProgramFilter({ value, onChange }: { value: string; onChange: (programId: string) => void }) {
  const programs = useProgramsQuery();
  return (
    <SelectField
      label="Program"
      value={value}
      onChange={onChange}
      placeholder="All programs"
      options={(programs.data ?? []).map((p) => ({ value: p.id, label: p.name }))}
      className="filter-field"
    />
  );
}
