import type { ReactNode } from "react";
import { countries } from "./countries.js";
import { SelectField } from "./select-field.js";

const options = countries.map((c) => ({ value: c.code, label: c.name }));

export function CountrySelect({
  label = "Country",
  value,
  onChange,
  error,
  optional,
  placeholder = "Select a country",
  hint,
}: {
  label?: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
  optional?: boolean;
  placeholder?: string;
  hint?: ReactNode;
}) {
  return (
    <SelectField
      label={label}
      value={value}
      onChange={onChange}
      options={options}
      placeholder={placeholder}
      error={error}
      optional={optional}
      hint={hint}
      autoComplete="country"
    />
  );
}
