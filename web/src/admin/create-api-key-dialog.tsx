import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { api } from "../shared/api.js";
import { Button } from "../shared/button.js";
import { CheckboxField } from "../shared/checkbox-field.js";
import { CopyField } from "../shared/copy-field.js";
import { FormAlert } from "../shared/form-alert.js";
import { fieldErrors } from "../shared/form-errors.js";
import { AlertIcon } from "../shared/icons.js";
import { Modal } from "../shared/modal.js";
import { TextField } from "../shared/text-field.js";
import type { ApiKey } from "../shared/types.js";
import { adminKeys } from "./admin-queries.js";

const SCOPES = [
  { scope: "programs:read", description: "Read programs and their settings" },
  { scope: "programs:write", description: "Create and change programs" },
  { scope: "partners:read", description: "Read partners and enrollments" },
  { scope: "partners:write", description: "Add partners and change enrollments" },
  { scope: "audit:read", description: "Read the audit log" },
  { scope: "track:write", description: "Report leads, sales and refunds" },
  { scope: "commissions:read", description: "Read commissions and the ledger" },
  { scope: "commissions:write", description: "Review commissions and make adjustments" },
  { scope: "payouts:read", description: "Read payouts and statements" },
  { scope: "payouts:write", description: "Run payouts and mark them paid" },
  { scope: "fraud:read", description: "Read the fraud review queue" },
  { scope: "fraud:write", description: "Review flagged conversions and act on partners" },
  { scope: "admin", description: "Everything above" },
];

/**
 * Create a key; its secret is shown once, then only the prefix remains. The install page opens it with a name and
 * the `track:write` scope filled in, and keeps the secret for its examples (`onCreated`).
 */
export function CreateApiKeyDialog({
  onClose,
  initialName = "",
  initialScopes = [],
  onCreated,
}: {
  onClose: () => void;
  initialName?: string;
  initialScopes?: string[];
  onCreated?: (created: { secret: string; apiKey: ApiKey }) => void;
}) {
  const queryClient = useQueryClient();
  const [name, setName] = useState(initialName);
  const [scopes, setScopes] = useState<string[]>(initialScopes);
  const [missingScope, setMissingScope] = useState(false);
  const mutation = useMutation({
    mutationFn: () => api.post<{ secret: string; apiKey: ApiKey }>("/v1/api-keys", { name, scopes }),
    onSuccess: (created) => {
      queryClient.invalidateQueries({ queryKey: adminKeys.apiKeys });
      onCreated?.(created);
    },
  });
  const errors = fieldErrors(mutation.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setMissingScope(scopes.length === 0);
    if (scopes.length === 0) return;
    mutation.mutate();
  };
  if (mutation.data) {
    return (
      <Modal
        open
        onClose={onClose}
        title="Copy your new API key"
        footer={
          <Button variant="primary" onClick={onClose}>
            Done
          </Button>
        }
      >
        <div className="stack">
          <div className="alert alert-warning">
            <AlertIcon size={18} />
            <p>This is the only time the secret is shown. Store it in your secret manager now.</p>
          </div>
          <CopyField label="Secret" value={mutation.data.secret} />
          <p className="muted small">
            Key <strong>{mutation.data.apiKey.name}</strong> · scopes {mutation.data.apiKey.scopes.join(", ")}
          </p>
        </div>
      </Modal>
    );
  }
  return (
    <Modal open onClose={onClose} title="Create an API key">
      <form className="stack" onSubmit={submit} noValidate>
        <FormAlert error={mutation.error} shown={["/name", "/scopes", "/scopes/"]} />
        <TextField
          label="Key name"
          value={name}
          onChange={setName}
          placeholder="e.g. Billing webhook"
          hint="So you know later what uses it."
          error={errors["/name"]}
          required
        />
        <fieldset className="fieldset">
          <legend className="field-label">Scopes</legend>
          <div className="scope-grid">
            {SCOPES.map(({ scope, description }) => (
              <CheckboxField
                key={scope}
                label={scope}
                description={description}
                checked={scopes.includes(scope)}
                onChange={(checked) => {
                  setMissingScope(false);
                  setScopes((current) => (checked ? [...current, scope] : current.filter((s) => s !== scope)));
                }}
              />
            ))}
          </div>
          {(missingScope || errors["/scopes"]) && (
            <p className="field-error">{missingScope ? "Choose at least one scope" : errors["/scopes"]}</p>
          )}
        </fieldset>
        <div className="form-actions">
          <Button variant="ghost" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" variant="primary" loading={mutation.isPending}>
            Create key
          </Button>
        </div>
      </form>
    </Modal>
  );
}
