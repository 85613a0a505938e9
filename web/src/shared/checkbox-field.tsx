import { type ReactNode, useId } from "react";

interface CheckboxFieldProps {
  label: ReactNode;
  checked: boolean;
  onChange: (checked: boolean) => void;
  description?: ReactNode;
  error?: string;
  disabled?: boolean;
  className?: string;
}

export function CheckboxField({
  label,
  checked,
  onChange,
  description,
  error,
  disabled,
  className,
}: CheckboxFieldProps) {
  const id = useId();
  return (
    <div className={["checkbox-field", error ? "field-invalid" : "", className ?? ""].filter(Boolean).join(" ")}>
      <input
        id={id}
        type="checkbox"
        className="checkbox"
        checked={checked}
        disabled={disabled}
        onChange={(event) => onChange(event.target.checked)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : description ? `${id}-description` : undefined}
      />
      <div>
        <label htmlFor={id} className="checkbox-label">
          {label}
        </label>
        {description && (
          <p className="field-hint" id={`${id}-description`}>
            {description}
          </p>
        )}
        {error && (
          <p className="field-error" id={`${id}-error`}>
            {error}
          </p>
        )}
      </div>
    </div>
  );
}
