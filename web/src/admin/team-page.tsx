import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { api } from "../shared/api.js";
import { Badge } from "../shared/badge.js";
import { Button } from "../shared/button.js";
import { formatDate, initials } from "../shared/format.js";
import { PlusIcon } from "../shared/icons.js";
import { teamRoleLabels } from "../shared/labels.js";
import { SkeletonRows } from "../shared/loading.js";
import { PageHeader } from "../shared/page-header.js";
import { QueryError } from "../shared/query-error.js";
import { useToast } from "../shared/toast.js";
import type { TeamRole, TeamUser } from "../shared/types.js";
import { AddMemberDialog } from "./add-member-dialog.js";
import { adminKeys } from "./admin-queries.js";
import { useMe } from "./use-me.js";

function RoleSelect({
  user,
  onChange,
  disabled,
}: {
  user: TeamUser;
  onChange: (role: TeamRole) => void;
  disabled: boolean;
}) {
  const id = useId();
  return (
    <>
      <label htmlFor={id} className="visually-hidden">
        Role for {user.name}
      </label>
      <select
        id={id}
        className="input select input-sm"
        value={user.role}
        disabled={disabled}
        onChange={(event) => onChange(event.target.value as TeamRole)}
      >
        {Object.entries(teamRoleLabels).map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
    </>
  );
}

export function TeamPage() {
  const { can, user: me } = useMe();
  const manage = can("team:manage");
  const queryClient = useQueryClient();
  const toast = useToast();
  const [adding, setAdding] = useState(false);
  const team = useQuery({
    queryKey: adminKeys.team,
    queryFn: () => api.get<{ items: TeamUser[] }>("/v1/team/users").then((r) => r.items),
  });
  const update = useMutation({
    mutationFn: ({ id, patch }: { id: string; patch: { role?: TeamRole; disabled?: boolean } }) =>
      api.patch<TeamUser>(`/v1/team/users/${id}`, patch),
    onSuccess: (user, { patch }) => {
      queryClient.invalidateQueries({ queryKey: adminKeys.team });
      toast.success(
        patch.role
          ? `${user.name} is now ${teamRoleLabels[user.role].toLowerCase()}`
          : `${user.name} ${user.disabled ? "disabled" : "re-enabled"}`,
      );
    },
    onError: (error) => toast.error(error.message),
  });
  return (
    <div className="page">
      <PageHeader
        title="Team"
        description="People who can sign in to this console, and what their role lets them do."
        actions={
          manage && (
            <Button variant="primary" icon={<PlusIcon size={16} />} onClick={() => setAdding(true)}>
              Add team member
            </Button>
          )
        }
      />
      <div className="card card-flush">
        {team.isPending ? (
          <SkeletonRows columns={4} />
        ) : team.isError ? (
          <QueryError error={team.error} onRetry={() => team.refetch()} />
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Member</th>
                <th scope="col">Role</th>
                <th scope="col">Status</th>
                <th scope="col">Added</th>
                {manage && (
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {team.data.map((user) => (
                <tr key={user.id} className={user.disabled ? "row-muted" : undefined}>
                  <td>
                    <div className="member">
                      <span className="avatar avatar-sm">{initials(user.name)}</span>
                      <div>
                        <div className="cell-title">
                          {user.name}
                          {user.id === me.id && <span className="tag">You</span>}
                        </div>
                        <div className="cell-sub">{user.email}</div>
                      </div>
                    </div>
                  </td>
                  <td>
                    {manage && user.id !== me.id ? (
                      <RoleSelect
                        user={user}
                        disabled={update.isPending}
                        onChange={(role) => update.mutate({ id: user.id, patch: { role } })}
                      />
                    ) : (
                      teamRoleLabels[user.role]
                    )}
                  </td>
                  <td>{user.disabled ? <Badge tone="muted">Disabled</Badge> : <Badge tone="success">Active</Badge>}</td>
                  <td>{formatDate(user.createdAt)}</td>
                  {manage && (
                    <td className="cell-actions">
                      {user.id !== me.id && (
                        <Button
                          size="sm"
                          variant="secondary"
                          disabled={update.isPending}
                          onClick={() => update.mutate({ id: user.id, patch: { disabled: !user.disabled } })}
                          aria-label={`${user.disabled ? "Enable" : "Disable"} ${user.name}`}
                        >
                          {user.disabled ? "Enable" : "Disable"}
                        </Button>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      {adding && <AddMemberDialog onClose={() => setAdding(false)} />}
    </div>
  );
}
