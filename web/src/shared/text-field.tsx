import { type InputHTMLAttributes, type ReactNode, useId } from "react";
import { describedBy, FieldShell } from "./field-shell.js";

interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, "onChange" | "value" | "id" | "prefix"> {
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  error?: string;
  hint?: ReactNode;
  optional?: boolean;
  prefix?: ReactNode;
  /** A unit after the input ("%", "months"). */
  suffix?: ReactNode;
  className?: string;
}

export function TextField({
  label,
  value,
  onChange,
  error,
  hint,
  required,
  optional,
  prefix,
  suffix,
  className,
  type = "text",
  ...rest
}: TextFieldProps) {
  const id = useId();
  const input = (
    <input
      id={id}
      className="input"
      type={type}
      value={value}
      onChange={(event) => onChange(event.target.value)}
      aria-invalid={error ? true : undefined}
      aria-required={required || undefined}
      aria-describedby={describedBy(id, hint, error)}
      {...rest}
    />
  );
  return (
    <FieldShell
      id={id}
      label={label}
      required={required}
      optional={optional}
      hint={hint}
      error={error}
      className={className}
    >
      {prefix || suffix ? (
        <div
          className={
            suffix ? (prefix ? "input-group input-group-both" : "input-group input-group-suffix") : "input-group"
          }
        >
          {prefix && <span className="input-prefix">{prefix}</span>}
          {input}
          {suffix && <span className="input-suffix">{suffix}</span>}
        </div>
      ) : (
        input
      )}
    </FieldShell>
  );
}
