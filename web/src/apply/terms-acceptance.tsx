import { CheckboxField } from "../shared/checkbox-field.js";

/** The terms in a scrollable box and the "I accept" checkbox. */
export function TermsAcceptance({
  programName,
  termsText,
  termsVersion,
  accepted,
  onChange,
  error,
}: {
  programName: string;
  termsText: string;
  termsVersion: number;
  accepted: boolean;
  onChange: (accepted: boolean) => void;
  error?: string;
}) {
  return (
    <fieldset className="form-group">
      <legend className="form-group-title">Program terms</legend>
      <div className="form-group-body">
        <section className="terms-box" aria-label={`${programName} terms`}>
          {termsText}
        </section>
        <CheckboxField
          label={`I accept the ${programName} terms`}
          description={`Version ${termsVersion}. Your acceptance is recorded with your application.`}
          checked={accepted}
          onChange={onChange}
          error={error}
        />
      </div>
    </fieldset>
  );
}
