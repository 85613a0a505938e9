import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { api } from "../shared/api.js";
import { Button } from "../shared/button.js";
import { CopyField } from "../shared/copy-field.js";
import { FormAlert } from "../shared/form-alert.js";
import { fieldErrors } from "../shared/form-errors.js";
import { absoluteUrl, formatRelative } from "../shared/format.js";
import { MailIcon } from "../shared/icons.js";
import { Spinner } from "../shared/spinner.js";
import { InvitationStatusBadge } from "../shared/status-badge.js";
import { TextField } from "../shared/text-field.js";
import { useToast } from "../shared/toast.js";
import type { Invitation } from "../shared/types.js";
import { adminKeys } from "./admin-queries.js";

interface Created {
  invitation: Invitation;
  token: string;
  url: string;
}

/** Invite a partner directly (skips the review); the link is shown once. */
export function InvitationsPanel({ programId, canInvite }: { programId: string; canInvite: boolean }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const [email, setEmail] = useState("");
  const [created, setCreated] = useState<Created>();
  const list = useQuery({
    queryKey: adminKeys.invitations(programId),
    queryFn: () => api.get<{ items: Invitation[] }>(`/v1/programs/${programId}/invitations`).then((r) => r.items),
  });
  const invite = useMutation({
    mutationFn: () => api.post<Created>(`/v1/programs/${programId}/invitations`, { email }),
    onSuccess: (result) => {
      setCreated(result);
      setEmail("");
      toast.success(`Invitation created for ${result.invitation.email}`);
      queryClient.invalidateQueries({ queryKey: adminKeys.invitations(programId) });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setCreated(undefined);
    invite.mutate();
  };
  return (
    <section className="card">
      <h2 className="card-title">Invitations</h2>
      {canInvite && (
        <form className="stack-sm" onSubmit={submit} noValidate>
          <p className="muted small">Invited partners skip the review and join once they accept the terms.</p>
          <FormAlert error={invite.error} shown={["/email"]} />
          <TextField
            label="Partner email"
            type="email"
            value={email}
            onChange={setEmail}
            placeholder="partner@company.com"
            error={fieldErrors(invite.error)["/email"]}
          />
          <Button type="submit" icon={<MailIcon size={16} />} loading={invite.isPending}>
            Create invitation
          </Button>
        </form>
      )}
      {created && (
        <div className="secret-box">
          <CopyField
            label="Invitation link"
            value={absoluteUrl(created.url)}
            stacked
            hint="Send this link to the partner. It is shown only once."
          />
        </div>
      )}
      <div className="mini-list">
        {list.isPending ? (
          <Spinner label="Loading invitations" />
        ) : list.isError ? (
          <p className="field-error">{list.error.message}</p>
        ) : list.data.length === 0 ? (
          <p className="muted small">No invitations sent yet.</p>
        ) : (
          <ul>
            {list.data.map((inv) => (
              <li key={inv.id} className="mini-list-item">
                <div>
                  <div className="mini-list-title">{inv.email}</div>
                  <div className="mini-list-meta">
                    {inv.status === "pending"
                      ? `Expires ${formatRelative(inv.expiresAt)}`
                      : `Sent ${formatRelative(inv.createdAt)}`}
                  </div>
                </div>
                <InvitationStatusBadge status={inv.status} />
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}
