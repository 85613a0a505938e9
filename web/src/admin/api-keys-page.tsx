import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "../shared/api.js";
import { Badge } from "../shared/badge.js";
import { Button } from "../shared/button.js";
import { ConfirmDialog } from "../shared/confirm-dialog.js";
import { EmptyState } from "../shared/empty-state.js";
import { formatDate, formatRelative } from "../shared/format.js";
import { KeyIcon, PlusIcon } from "../shared/icons.js";
import { SkeletonRows } from "../shared/loading.js";
import { PageHeader } from "../shared/page-header.js";
import { QueryError } from "../shared/query-error.js";
import { useToast } from "../shared/toast.js";
import type { ApiKey } from "../shared/types.js";
import { adminKeys } from "./admin-queries.js";
import { CreateApiKeyDialog } from "./create-api-key-dialog.js";

export function ApiKeysPage() {
  const queryClient = useQueryClient();
  const toast = useToast();
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ApiKey>();
  const keys = useQuery({
    queryKey: adminKeys.apiKeys,
    queryFn: () => api.get<{ items: ApiKey[] }>("/v1/api-keys").then((r) => r.items),
  });
  const revoke = useMutation({
    mutationFn: (key: ApiKey) => api.delete<ApiKey>(`/v1/api-keys/${key.id}`),
    onSuccess: (key) => {
      queryClient.invalidateQueries({ queryKey: adminKeys.apiKeys });
      toast.success(`${key.name} revoked`);
      setRevoking(undefined);
    },
    onError: (error) => toast.error(error.message),
  });
  const newButton = (
    <Button variant="primary" icon={<PlusIcon size={16} />} onClick={() => setCreating(true)}>
      Create API key
    </Button>
  );
  return (
    <div className="page">
      <PageHeader
        title="API keys"
        description={
          <>
            Keys let your own systems call the API with <code>Authorization: Bearer …</code>. See the{" "}
            <a href="/docs" target="_blank" rel="noreferrer">
              API reference
            </a>
            .
          </>
        }
        actions={keys.data?.length ? newButton : undefined}
      />
      <div className="card card-flush">
        {keys.isPending ? (
          <SkeletonRows columns={5} />
        ) : keys.isError ? (
          <QueryError error={keys.error} onRetry={() => keys.refetch()} />
        ) : keys.data.length === 0 ? (
          <EmptyState icon={<KeyIcon size={28} />} title="No API keys yet" action={newButton}>
            Create a key for your billing system, CRM or website backend. Give it only the scopes it needs.
          </EmptyState>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Key</th>
                <th scope="col">Scopes</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.data.map((key) => (
                <tr key={key.id} className={key.revokedAt ? "row-muted" : undefined}>
                  <td className="cell-title">
                    {key.name}
                    {key.revokedAt && (
                      <div className="cell-sub">
                        <Badge tone="muted">Revoked {formatDate(key.revokedAt)}</Badge>
                      </div>
                    )}
                  </td>
                  <td>
                    <code className="mono">{key.prefix}…</code>
                  </td>
                  <td>
                    <div className="chip-list">
                      {key.scopes.map((scope) => (
                        <span key={scope} className="scope">
                          {scope}
                        </span>
                      ))}
                    </div>
                  </td>
                  <td>{formatDate(key.createdAt)}</td>
                  <td>{key.lastUsedAt ? formatRelative(key.lastUsedAt) : "Never"}</td>
                  <td className="cell-actions">
                    {!key.revokedAt && (
                      <Button
                        size="sm"
                        variant="ghost"
                        onClick={() => setRevoking(key)}
                        aria-label={`Revoke ${key.name}`}
                      >
                        Revoke
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      {creating && <CreateApiKeyDialog onClose={() => setCreating(false)} />}
      <ConfirmDialog
        open={Boolean(revoking)}
        onClose={() => setRevoking(undefined)}
        title={`Revoke ${revoking?.name ?? "key"}?`}
        description="Requests using this key will fail immediately. This cannot be undone."
        confirmLabel="Revoke key"
        pending={revoke.isPending}
        onConfirm={() => revoking && revoke.mutate(revoking)}
      >
        <p className="muted">
          Key <code className="mono">{revoking?.prefix}…</code>
        </p>
      </ConfirmDialog>
    </div>
  );
}
