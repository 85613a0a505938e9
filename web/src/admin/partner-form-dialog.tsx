import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useNavigate } from "react-router";
import { api } from "../shared/api.js";
import { Button } from "../shared/button.js";
import { type ContactDraft, ContactsEditor, contactDrafts, contactsInput } from "../shared/contacts-editor.js";
import { CountrySelect } from "../shared/country-select.js";
import { FormAlert } from "../shared/form-alert.js";
import { fieldErrors } from "../shared/form-errors.js";
import { partnerTypeLabels } from "../shared/labels.js";
import { Modal } from "../shared/modal.js";
import { optionsFrom, SelectField } from "../shared/select-field.js";
import { TextField } from "../shared/text-field.js";
import { useToast } from "../shared/toast.js";
import type { Partner, PartnerType } from "../shared/types.js";
import { adminKeys, useProgramsQuery } from "./admin-queries.js";

/** Add a partner by hand, or edit one (`partner` given). */
export function PartnerFormDialog({ partner, onClose }: { partner?: Partner; onClose: () => void }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const toast = useToast();
  const programs = useProgramsQuery();
  const [name, setName] = useState(partner?.name ?? "");
  const [type, setType] = useState<PartnerType>(partner?.type ?? "affiliate");
  const [country, setCountry] = useState(partner?.country ?? "");
  const [website, setWebsite] = useState(partner?.website ?? "");
  const [contacts, setContacts] = useState<ContactDraft[]>(
    contactDrafts(partner?.contacts ?? [{ name: "", email: "" }]),
  );
  const [programId, setProgramId] = useState("");
  const mutation = useMutation({
    mutationFn: () => {
      const body = {
        name: name.trim(),
        type,
        country: country || null,
        website: website.trim() || null,
        contacts: contactsInput(contacts),
      };
      return partner
        ? api.patch<Partner>(`/v1/partners/${partner.id}`, body)
        : api.post<Partner>("/v1/partners", { ...body, ...(programId ? { enrollInProgramId: programId } : {}) });
    },
    onSuccess: (saved) => {
      queryClient.invalidateQueries({ queryKey: adminKeys.partners });
      toast.success(partner ? "Partner updated" : `${saved.name} added`);
      onClose();
      if (!partner) navigate(`/admin/partners/${saved.id}`);
    },
  });
  const errors = fieldErrors(mutation.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    mutation.mutate();
  };
  return (
    <Modal open onClose={onClose} title={partner ? "Edit partner" : "Add a partner"} size="lg">
      <form className="stack" onSubmit={submit} noValidate>
        <FormAlert
          error={mutation.error}
          shown={["/name", "/type", "/country", "/website", "/contacts/", "/enrollInProgramId"]}
        />
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
        {!partner && (
          <SelectField
            label="Enroll in program"
            value={programId}
            onChange={setProgramId}
            placeholder="Don't enroll yet"
            options={(programs.data ?? []).map((p) => ({ value: p.id, label: p.name }))}
            error={errors["/enrollInProgramId"]}
            optional
          />
        )}
        <h3 className="subheading">Contacts</h3>
        <ContactsEditor contacts={contacts} onChange={setContacts} errors={errors} />
        <div className="form-actions">
          <Button variant="ghost" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" variant="primary" loading={mutation.isPending}>
            {partner ? "Save changes" : "Add partner"}
          </Button>
        </div>
      </form>
    </Modal>
  );
}
