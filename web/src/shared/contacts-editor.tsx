import { Button } from "./button.js";
import { PlusIcon, TrashIcon } from "./icons.js";
import { TextField } from "./text-field.js";
import type { Contact } from "./types.js";

export interface ContactDraft {
  key: string;
  name: string;
  email: string;
  role: string;
  phone: string;
}

let seq = 0;
export const contactDrafts = (contacts: Contact[]): ContactDraft[] =>
  contacts.map((c) => ({ key: `c${++seq}`, name: c.name, email: c.email, role: c.role ?? "", phone: c.phone ?? "" }));

export const contactsInput = (drafts: ContactDraft[]): Contact[] =>
  drafts
    .filter((c) => c.name.trim() || c.email.trim())
    .map((c) => ({
      name: c.name.trim(),
      email: c.email.trim(),
      ...(c.role.trim() ? { role: c.role.trim() } : {}),
      ...(c.phone.trim() ? { phone: c.phone.trim() } : {}),
    }));

/** People at the partner organisation: name and email, with an optional role and phone. */
export function ContactsEditor({
  contacts,
  onChange,
  errors,
}: {
  contacts: ContactDraft[];
  onChange: (contacts: ContactDraft[]) => void;
  errors: Record<string, string>;
}) {
  const update = (index: number, patch: Partial<ContactDraft>) =>
    onChange(contacts.map((c, i) => (i === index ? { ...c, ...patch } : c)));
  return (
    <div className="contacts-editor">
      {contacts.map((contact, index) => {
        const base = `/contacts/${index}`;
        return (
          <fieldset key={contact.key} className="contact-item">
            <legend className="visually-hidden">Contact {index + 1}</legend>
            <div className="grid-2">
              <TextField
                label="Contact name"
                value={contact.name}
                onChange={(name) => update(index, { name })}
                error={errors[`${base}/name`]}
                required
              />
              <TextField
                label="Contact email"
                type="email"
                value={contact.email}
                onChange={(email) => update(index, { email })}
                error={errors[`${base}/email`]}
                required
              />
              <TextField
                label="Role"
                value={contact.role}
                onChange={(role) => update(index, { role })}
                placeholder="e.g. Partnerships lead"
                error={errors[`${base}/role`]}
                optional
              />
              <TextField
                label="Phone"
                type="tel"
                value={contact.phone}
                onChange={(phone) => update(index, { phone })}
                error={errors[`${base}/phone`]}
                optional
              />
            </div>
            <Button
              variant="ghost"
              size="sm"
              icon={<TrashIcon size={14} />}
              onClick={() => onChange(contacts.filter((_, i) => i !== index))}
              aria-label={`Remove contact ${index + 1}`}
            >
              Remove
            </Button>
          </fieldset>
        );
      })}
      <Button
        size="sm"
        icon={<PlusIcon size={14} />}
        onClick={() => onChange([...contacts, { key: `c${++seq}`, name: "", email: "", role: "", phone: "" }])}
      >
        Add contact
      </Button>
    </div>
  );
}
