import { CountrySelect } from "../shared/country-select.js";
import { partnerTypeLabels } from "../shared/labels.js";
import { optionsFrom, SelectField } from "../shared/select-field.js";
import { TextField } from "../shared/text-field.js";

export interface ApplicantValues {
  name: string;
  email: string;
  password: string;
  company: string;
  partnerType: string;
  country: string;
  website: string;
}

export const emptyApplicant = (email = ""): ApplicantValues => ({
  name: "",
  email,
  password: "",
  company: "",
  partnerType: "",
  country: "",
  website: "",
});

/** The request fields every applicant gives, without empty optionals. */
export const applicantBody = (values: ApplicantValues) => ({
  name: values.name.trim(),
  company: values.company.trim(),
  password: values.password,
  ...(values.partnerType ? { partnerType: values.partnerType } : {}),
  ...(values.country ? { country: values.country } : {}),
  ...(values.website.trim() ? { website: values.website.trim() } : {}),
});

export const APPLICANT_POINTERS = ["/name", "/email", "/password", "/company", "/partnerType", "/country", "/website"];

interface ApplicantFieldsProps {
  values: ApplicantValues;
  onChange: (patch: Partial<ApplicantValues>) => void;
  errors: Record<string, string>;
  emailLocked?: boolean;
}

/** "About you" and "Your organisation" on the application and invitation pages. */
export function ApplicantFields({ values, onChange, errors, emailLocked = false }: ApplicantFieldsProps) {
  return (
    <>
      <fieldset className="form-group">
        <legend className="form-group-title">About you</legend>
        <div className="form-group-body">
          <TextField
            label="Your name"
            value={values.name}
            onChange={(name) => onChange({ name })}
            autoComplete="name"
            error={errors["/name"]}
            required
          />
          <TextField
            label="Email"
            type="email"
            value={values.email}
            onChange={(email) => onChange({ email })}
            autoComplete="email"
            readOnly={emailLocked}
            hint={
              emailLocked
                ? "The invitation was sent to this address."
                : "You'll use it to sign in to the partner portal."
            }
            error={errors["/email"]}
            required
          />
          <TextField
            label="Password"
            type="password"
            value={values.password}
            onChange={(password) => onChange({ password })}
            autoComplete="new-password"
            hint="At least 10 characters. Already a partner? Use your portal password."
            error={errors["/password"]}
            required
          />
        </div>
      </fieldset>
      <fieldset className="form-group">
        <legend className="form-group-title">Your organisation</legend>
        <div className="form-group-body">
          <TextField
            label="Company"
            value={values.company}
            onChange={(company) => onChange({ company })}
            autoComplete="organization"
            error={errors["/company"]}
            required
          />
          <div className="grid-2">
            <SelectField
              label="Partner type"
              value={values.partnerType}
              onChange={(partnerType) => onChange({ partnerType })}
              options={optionsFrom(partnerTypeLabels)}
              placeholder="Select a type"
              error={errors["/partnerType"]}
              optional
            />
            <CountrySelect
              value={values.country}
              onChange={(country) => onChange({ country })}
              error={errors["/country"]}
              optional
            />
          </div>
          <TextField
            label="Website"
            type="url"
            value={values.website}
            onChange={(website) => onChange({ website })}
            placeholder="https://"
            autoComplete="url"
            error={errors["/website"]}
            optional
          />
        </div>
      </fieldset>
    </>
  );
}
