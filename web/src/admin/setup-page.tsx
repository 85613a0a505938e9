import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Navigate, useNavigate } from "react-router";
import { api } from "../shared/api.js";
import { AuthLayout } from "../shared/auth-layout.js";
import { Button } from "../shared/button.js";
import { FormAlert } from "../shared/form-alert.js";
import { fieldErrors } from "../shared/form-errors.js";
import { PageLoading } from "../shared/loading.js";
import { TextField } from "../shared/text-field.js";
import { useToast } from "../shared/toast.js";
import type { Me } from "../shared/types.js";
import { adminKeys, useSetupQuery } from "./admin-queries.js";

/** First run: nobody can sign in yet, so the first visitor creates the owner account. */
export function SetupPage() {
  const setup = useSetupQuery();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const mutation = useMutation({
    mutationFn: () => api.post<Me>("/v1/setup/owner", { name, email, password }),
    onSuccess: (me) => {
      queryClient.setQueryData(adminKeys.me, me);
      queryClient.setQueryData(adminKeys.setup, { needsOwner: false });
      toast.success(`Welcome, ${me.user.name}. Your owner account is ready.`);
      navigate("/admin/programs", { replace: true });
    },
  });
  if (setup.isPending) return <PageLoading />;
  if (setup.data && !setup.data.needsOwner && !mutation.isSuccess) return <Navigate to="/admin/login" replace />;
  const errors = fieldErrors(mutation.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    mutation.mutate();
  };
  return (
    <AuthLayout
      title="Create the owner account"
      subtitle="Welcome to Tributary. This first account owns the workspace: it can invite your team, create programs and approve partners."
      badge="First run"
    >
      <form className="stack" onSubmit={submit} noValidate>
        <FormAlert error={mutation.error} shown={["/name", "/email", "/password"]} />
        <TextField
          label="Your name"
          value={name}
          onChange={setName}
          autoComplete="name"
          error={errors["/name"]}
          required
        />
        <TextField
          label="Work email"
          type="email"
          value={email}
          onChange={setEmail}
          autoComplete="email"
          error={errors["/email"]}
          required
        />
        <TextField
          label="Password"
          type="password"
          value={password}
          onChange={setPassword}
          autoComplete="new-password"
          hint="At least 10 characters. A passphrase works well."
          error={errors["/password"]}
          required
        />
        <Button type="submit" variant="primary" size="lg" className="btn-block" loading={mutation.isPending}>
          Create owner account
        </Button>
      </form>
    </AuthLayout>
  );
}
