import type { Contact } from "../shared/types.js";

export function ContactList({ contacts }: { contacts: Contact[] }) {
  return (
    <div className="contact-list">
      <h3 className="subheading">Contacts</h3>
      <ul>
        {contacts.map((c) => (
          <li key={`${c.email}-${c.name}`}>
            <span className="contact-name">{c.name}</span>
            {c.role && <span className="muted"> · {c.role}</span>}
            <div className="muted small">
              <a href={`mailto:${c.email}`}>{c.email}</a>
              {c.phone && <> · {c.phone}</>}
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}
