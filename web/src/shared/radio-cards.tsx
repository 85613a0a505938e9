import { type ReactNode, useId } from "react";

export interface RadioCardOption<T extends string> {
  value: T;
  label: string;
  description: ReactNode;
  /** Shown but not choosable (e.g. a method with nothing to pay). */
  disabled?: boolean;
}

/** A choice among a few options that each need a sentence of explanation. */
export function RadioCards<T extends string>({
  legend,
  value,
  options,
  onChange,
  error,
  columns = 1,
}: {
  legend: string;
  value: T;
  options: RadioCardOption<T>[];
  onChange: (value: T) => void;
  error?: string;
  columns?: 1 | 2;
}) {
  const name = useId();
  return (
    <fieldset className={error ? "fieldset field-invalid" : "fieldset"}>
      <legend className="field-label">{legend}</legend>
      <div className={columns === 2 ? "radio-cards radio-cards-2" : "radio-cards"}>
        {options.map((option) => (
          <label key={option.value} className={option.disabled ? "radio-card radio-card-disabled" : "radio-card"}>
            <input
              type="radio"
              name={name}
              value={option.value}
              checked={option.value === value}
              onChange={() => onChange(option.value)}
              disabled={option.disabled}
              className="radio"
            />
            <span className="radio-card-text">
              <span className="radio-card-label">{option.label}</span>
              <span className="radio-card-description">{option.description}</span>
            </span>
          </label>
        ))}
      </div>
      {error && <p className="field-error">{error}</p>}
    </fieldset>
  );
}
