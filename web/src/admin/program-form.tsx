import { type FormEvent, useRef, useState } from "react";
import { Link } from "react-router";
import { Button } from "../shared/button.js";
import { FormAlert } from "../shared/form-alert.js";
import { fieldErrors } from "../shared/form-errors.js";
import { FormSection } from "../shared/form-section.js";
import { slugify } from "../shared/format.js";
import { programStatusLabels, programTypeLabels } from "../shared/labels.js";
import { optionsFrom, SelectField } from "../shared/select-field.js";
import { TextField } from "../shared/text-field.js";
import { TextAreaField } from "../shared/textarea-field.js";
import type { ProgramInput, ProgramStatus, ProgramType } from "../shared/types.js";
import { useFocusFirstError } from "../shared/use-focus-first-error.js";
import { errorAt, type ProgramDraft, programInput } from "./program-draft.js";
import { QuestionsEditor } from "./questions-editor.js";

const CURRENCIES = "USD EUR GBP CAD AUD NZD CHF SEK NOK DKK PLN CZK JPY SGD HKD INR BRL MXN ZAR".split(" ");
const currencyNames = new Intl.DisplayNames(["en"], { type: "currency" });

const SHOWN = [
  "/name",
  "/slug",
  "/type",
  "/status",
  "/description",
  "/currency",
  "/cookieWindowDays",
  "/allowedDomains",
  "/allowedDomains/",
  "/defaultLandingUrl",
  "/termsText",
  "/applicationQuestions",
  "/applicationQuestions/",
];

interface ProgramFormProps {
  initial: ProgramDraft;
  mode: "create" | "edit";
  error: unknown;
  saving: boolean;
  cancelTo: string;
  onSubmit: (input: ProgramInput) => void;
}

export function ProgramForm({ initial, mode, error, saving, cancelTo, onSubmit }: ProgramFormProps) {
  const [draft, setDraft] = useState(initial);
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstError(formRef, error);
  const errors = fieldErrors(error);
  const set = <K extends keyof ProgramDraft>(key: K, value: ProgramDraft[K]) =>
    setDraft((d) => ({ ...d, [key]: value }));
  const currencies = CURRENCIES.includes(draft.currency) ? CURRENCIES : [draft.currency, ...CURRENCIES];
  const termsChanged = mode === "edit" && draft.termsText !== initial.termsText;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit(programInput(draft));
  };
  return (
    <form ref={formRef} className="program-form" onSubmit={submit} noValidate>
      <FormAlert error={error} shown={SHOWN} />
      <FormSection title="Basics" description="What partners see on the application page and in their portal.">
        <TextField
          label="Program name"
          value={draft.name}
          onChange={(name) => setDraft((d) => ({ ...d, name, slug: d.slugEdited ? d.slug : slugify(name) }))}
          placeholder="Acme Affiliates"
          error={errors["/name"]}
          maxLength={120}
          required
        />
        <TextField
          label="Public page address"
          prefix="/apply/"
          value={draft.slug}
          onChange={(slug) => setDraft((d) => ({ ...d, slug, slugEdited: true }))}
          hint="Lowercase letters, digits and dashes."
          error={errors["/slug"]}
          required
        />
        <div className="grid-2">
          <SelectField
            label="Program type"
            value={draft.type}
            onChange={(type) => set("type", type as ProgramType)}
            options={optionsFrom(programTypeLabels)}
            error={errors["/type"]}
          />
          <SelectField
            label="Status"
            value={draft.status}
            onChange={(status) => set("status", status as ProgramStatus)}
            options={optionsFrom(programStatusLabels)}
            hint="Only active programs accept applications."
            error={errors["/status"]}
          />
        </div>
        <TextAreaField
          label="Description"
          value={draft.description}
          onChange={(description) => set("description", description)}
          placeholder="What partners earn and why they should join."
          rows={3}
          error={errors["/description"]}
          optional
        />
      </FormSection>

      <FormSection title="Tracking" description="Currency for commissions, and how long a click stays attributed.">
        <div className="grid-2">
          <SelectField
            label="Currency"
            value={draft.currency}
            onChange={(currency) => set("currency", currency)}
            options={currencies.map((code) => ({ value: code, label: `${code} — ${currencyNames.of(code) ?? code}` }))}
            error={errors["/currency"]}
          />
          <TextField
            label="Cookie window (days)"
            type="number"
            inputMode="numeric"
            min={1}
            max={3650}
            value={draft.cookieWindowDays}
            onChange={(days) => set("cookieWindowDays", days)}
            error={errors["/cookieWindowDays"]}
            required
          />
        </div>
        <TextAreaField
          label="Allowed destination domains"
          value={draft.allowedDomains}
          onChange={(domains) => set("allowedDomains", domains)}
          placeholder={"acme.example\nshop.acme.example"}
          hint="One per line. Partner links may only point at these domains and their subdomains."
          rows={3}
          error={errorAt(errors, "/allowedDomains")}
          optional
        />
        <TextField
          label="Default landing page"
          type="url"
          value={draft.defaultLandingUrl}
          onChange={(url) => set("defaultLandingUrl", url)}
          placeholder="https://acme.example/"
          error={errors["/defaultLandingUrl"]}
          optional
        />
      </FormSection>

      <FormSection
        title="Application questions"
        description="Extra questions on the public application page, shown to reviewers next to each answer."
      >
        <QuestionsEditor
          questions={draft.questions}
          onChange={(questions) => set("questions", questions)}
          errors={errors}
        />
      </FormSection>

      <FormSection
        title="Terms"
        description="The agreement applicants accept. Editing it publishes a new version that active partners accept again."
      >
        <TextAreaField
          label="Program terms"
          value={draft.termsText}
          onChange={(terms) => set("termsText", terms)}
          rows={10}
          placeholder="1. Promote us honestly…"
          hint={termsChanged ? "Saving publishes a new terms version." : undefined}
          error={errors["/termsText"]}
          optional
        />
      </FormSection>

      <div className="form-footer">
        <Link to={cancelTo} className="btn btn-ghost">
          Cancel
        </Link>
        <Button type="submit" variant="primary" loading={saving}>
          {mode === "create" ? "Create program" : "Save changes"}
        </Button>
      </div>
    </form>
  );
}
