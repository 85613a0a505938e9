import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { api } from "./api.js";
import { Button } from "./button.js";
import { FormAlert } from "./form-alert.js";
import { fieldErrors } from "./form-errors.js";
import { TextField } from "./text-field.js";

/** Change your own password; `endpoint` is the console or the portal one. */
export function ChangePasswordForm({
  endpoint,
  onDone,
  onCancel,
}: {
  endpoint: "/v1/auth/password" | "/v1/portal/auth/password";
  onDone: () => void;
  onCancel?: () => void;
}) {
  const [currentPassword, setCurrent] = useState("");
  const [newPassword, setNew] = useState("");
  const [confirm, setConfirm] = useState("");
  const [mismatch, setMismatch] = useState(false);
  const mutation = useMutation({
    mutationFn: () => api.post(endpoint, { currentPassword, newPassword }),
    onSuccess: () => {
      setCurrent("");
      setNew("");
      setConfirm("");
      onDone();
    },
  });
  const errors = fieldErrors(mutation.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setMismatch(newPassword !== confirm);
    if (newPassword !== confirm) return;
    mutation.mutate();
  };
  return (
    <form className="stack" onSubmit={submit} noValidate>
      <FormAlert error={mutation.error} shown={["/currentPassword", "/newPassword"]} />
      <TextField
        label="Current password"
        type="password"
        autoComplete="current-password"
        value={currentPassword}
        onChange={setCurrent}
        error={errors["/currentPassword"]}
        required
      />
      <TextField
        label="New password"
        type="password"
        autoComplete="new-password"
        value={newPassword}
        onChange={setNew}
        error={errors["/newPassword"]}
        hint="At least 10 characters. Your other signed-in sessions will end."
        required
      />
      <TextField
        label="Confirm new password"
        type="password"
        autoComplete="new-password"
        value={confirm}
        onChange={setConfirm}
        error={mismatch ? "The passwords do not match" : undefined}
        required
      />
      <div className="form-actions">
        {onCancel && (
          <Button variant="ghost" onClick={onCancel}>
            Cancel
          </Button>
        )}
        <Button type="submit" variant="primary" loading={mutation.isPending}>
          Change password
        </Button>
      </div>
    </form>
  );
}
