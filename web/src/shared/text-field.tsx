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
      {prefix ? (
        <div className="input-group">
          <span className="input-prefix">{prefix}</span>
          {input}
        </div>
      ) : (
        input
      )}
    </FieldShell>
  );
}
