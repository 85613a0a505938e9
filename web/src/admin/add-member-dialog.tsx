import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { api } from "../shared/api.js";
import { Button } from "../shared/button.js";
import { FormAlert } from "../shared/form-alert.js";
import { fieldErrors } from "../shared/form-errors.js";
import { teamRoleDescriptions, teamRoleLabels } from "../shared/labels.js";
import { Modal } from "../shared/modal.js";
import { SelectField } from "../shared/select-field.js";
import { TextField } from "../shared/text-field.js";
import { useToast } from "../shared/toast.js";
import type { TeamRole, TeamUser } from "../shared/types.js";
import { adminKeys } from "./admin-queries.js";

export function AddMemberDialog({ onClose }: { onClose: () => void }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<TeamRole>("manager");
  const [password, setPassword] = useState("");
  const mutation = useMutation({
    mutationFn: () => api.post<TeamUser>("/v1/team/users", { name, email, role, password }),
    onSuccess: (user) => {
      queryClient.invalidateQueries({ queryKey: adminKeys.team });
      toast.success(`${user.name} added as ${teamRoleLabels[user.role].toLowerCase()}`);
      onClose();
    },
  });
  const errors = fieldErrors(mutation.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    mutation.mutate();
  };
  return (
    <Modal
      open
      onClose={onClose}
      title="Add a team member"
      description="Share the temporary password with them; they can change it after signing in."
    >
      <form className="stack" onSubmit={submit} noValidate>
        <FormAlert error={mutation.error} shown={["/name", "/email", "/role", "/password"]} />
        <TextField label="Name" value={name} onChange={setName} error={errors["/name"]} required />
        <TextField label="Email" type="email" value={email} onChange={setEmail} error={errors["/email"]} required />
        <SelectField
          label="Role"
          value={role}
          onChange={(v) => setRole(v as TeamRole)}
          options={Object.entries(teamRoleLabels).map(([value, label]) => ({ value, label }))}
          hint={teamRoleDescriptions[role]}
          error={errors["/role"]}
        />
        <TextField
          label="Temporary password"
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={setPassword}
          hint="At least 10 characters."
          error={errors["/password"]}
          required
        />
        <div className="form-actions">
          <Button variant="ghost" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" variant="primary" loading={mutation.isPending}>
            Add member
          </Button>
        </div>
      </form>
    </Modal>
  );
}
