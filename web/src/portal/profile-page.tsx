import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { api } from "../shared/api.js";
import { Button } from "../shared/button.js";
import { ChangePasswordForm } from "../shared/change-password-form.js";
import { type ContactDraft, ContactsEditor, contactDrafts, contactsInput } from "../shared/contacts-editor.js";
import { CountrySelect } from "../shared/country-select.js";
import { FormAlert } from "../shared/form-alert.js";
import { fieldErrors } from "../shared/form-errors.js";
import { partnerTypeLabels } from "../shared/labels.js";
import { PageHeader } from "../shared/page-header.js";
import { optionsFrom, SelectField } from "../shared/select-field.js";
import { TextField } from "../shared/text-field.js";
import { useToast } from "../shared/toast.js";
import type { Partner, PartnerType, PortalMe } from "../shared/types.js";
import { usePortalMe } from "./portal-context.js";
import { portalKeys } from "./portal-queries.js";

function OrganisationForm({ partner }: { partner: Partner }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const [name, setName] = useState(partner.name);
  const [type, setType] = useState<PartnerType>(partner.type);
  const [country, setCountry] = useState(partner.country ?? "");
  const [website, setWebsite] = useState(partner.website ?? "");
  const [contacts, setContacts] = useState<ContactDraft[]>(contactDrafts(partner.contacts));
  const save = useMutation({
    mutationFn: () =>
      api.patch<Partner>("/v1/portal/partner", {
        name: name.trim(),
        type,
        country: country || null,
        website: website.trim() || null,
        contacts: contactsInput(contacts),
      }),
    onSuccess: (updated) => {
      queryClient.setQueryData<PortalMe>(portalKeys.me, (me) => (me ? { ...me, partner: updated } : me));
      toast.success("Profile saved");
    },
  });
  const errors = fieldErrors(save.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <form className="stack" onSubmit={submit} noValidate>
      <FormAlert error={save.error} shown={["/name", "/type", "/country", "/website", "/contacts/"]} />
      <div className="grid-2">
        <TextField label="Organisation name" value={name} onChange={setName} error={errors["/name"]} required />
        <SelectField
          label="Partner type"
          value={type}
          onChange={(v) => setType(v as PartnerType)}
          options={optionsFrom(partnerTypeLabels)}
          error={errors["/type"]}
        />
        <CountrySelect value={country} onChange={setCountry} error={errors["/country"]} optional />
        <TextField
          label="Website"
          type="url"
          value={website}
          onChange={setWebsite}
          placeholder="https://"
          error={errors["/website"]}
          optional
        />
      </div>
      <h3 className="subheading">Contacts</h3>
      <p className="muted small">Who the partner team should reach about payouts, deals and program news.</p>
      <ContactsEditor contacts={contacts} onChange={setContacts} errors={errors} />
      <div className="form-actions">
        <Button type="submit" variant="primary" loading={save.isPending}>
          Save profile
        </Button>
      </div>
    </form>
  );
}

export function ProfilePage() {
  const me = usePortalMe();
  const toast = useToast();
  return (
    <div className="portal-page">
      <PageHeader title="Profile" description="Your organisation's details and your sign-in." />
      <div className="detail-grid">
        <section className="card">
          <h2 className="card-title">Organisation</h2>
          <OrganisationForm partner={me.partner} />
        </section>
        <aside className="stack-lg">
          <section className="card">
            <h2 className="card-title">Your account</h2>
            <dl className="details details-stacked">
              <dt>Name</dt>
              <dd>{me.user.name}</dd>
              <dt>Email</dt>
              <dd>{me.user.email}</dd>
            </dl>
          </section>
          <section className="card">
            <h2 className="card-title">Change password</h2>
            <ChangePasswordForm
              endpoint="/v1/portal/auth/password"
              onDone={() => toast.success("Password changed. Other sessions were signed out.")}
            />
          </section>
        </aside>
      </div>
    </div>
  );
}
