import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { useNavigate } from "react-router";
import { api } from "../shared/api.js";
import { ChangePasswordForm } from "../shared/change-password-form.js";
import { initials } from "../shared/format.js";
import { ChevronDownIcon, LockIcon, LogOutIcon } from "../shared/icons.js";
import { teamRoleLabels } from "../shared/labels.js";
import { Modal } from "../shared/modal.js";
import { useToast } from "../shared/toast.js";
import type { TeamUser } from "../shared/types.js";

/** Who is signed in, with change password and sign out. */
export function AccountMenu({ user }: { user: TeamUser }) {
  const [open, setOpen] = useState(false);
  const [changing, setChanging] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const toast = useToast();
  const signOut = useMutation({
    mutationFn: () => api.post("/v1/auth/logout"),
    onSettled: () => {
      queryClient.removeQueries({ queryKey: ["admin"] });
      navigate("/admin/login", { replace: true });
    },
  });
  useEffect(() => {
    if (!open) return;
    const close = (event: MouseEvent) => {
      if (!ref.current?.contains(event.target as Node)) setOpen(false);
    };
    const closeOnEscape = (event: KeyboardEvent) => {
      if (event.key === "Escape") setOpen(false);
    };
    document.addEventListener("mousedown", close);
    document.addEventListener("keydown", closeOnEscape);
    return () => {
      document.removeEventListener("mousedown", close);
      document.removeEventListener("keydown", closeOnEscape);
    };
  }, [open]);
  return (
    <div className="account-menu" ref={ref}>
      {open && (
        <div className="account-popover">
          <div className="account-popover-head">
            <strong>{user.name}</strong>
            <span>{user.email}</span>
          </div>
          <button
            type="button"
            className="menu-item"
            onClick={() => {
              setOpen(false);
              setChanging(true);
            }}
          >
            <LockIcon size={16} /> Change password
          </button>
          <button type="button" className="menu-item" onClick={() => signOut.mutate()} disabled={signOut.isPending}>
            <LogOutIcon size={16} /> Sign out
          </button>
        </div>
      )}
      <button
        type="button"
        className="account-button"
        aria-expanded={open}
        aria-label={`Account: ${user.name}`}
        onClick={() => setOpen((v) => !v)}
      >
        <span className="avatar">{initials(user.name)}</span>
        <span className="account-text">
          <span className="account-name">{user.name}</span>
          <span className="account-role">{teamRoleLabels[user.role]}</span>
        </span>
        <ChevronDownIcon size={16} />
      </button>
      <Modal open={changing} onClose={() => setChanging(false)} title="Change password" size="sm">
        <ChangePasswordForm
          endpoint="/v1/auth/password"
          onCancel={() => setChanging(false)}
          onDone={() => {
            setChanging(false);
            toast.success("Password changed. Other sessions were signed out.");
          }}
        />
      </Modal>
    </div>
  );
}
