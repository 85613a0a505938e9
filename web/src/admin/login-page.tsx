import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Link, Navigate, useNavigate, useSearchParams } from "react-router";
import { api } from "../shared/api.js";
import { AuthLayout } from "../shared/auth-layout.js";
import { Button } from "../shared/button.js";
import { FormAlert } from "../shared/form-alert.js";
import { fieldErrors } from "../shared/form-errors.js";
import { safeNext } from "../shared/safe-next.js";
import { TextField } from "../shared/text-field.js";
import type { Me } from "../shared/types.js";
import { adminKeys, useSetupQuery } from "./admin-queries.js";

export function LoginPage() {
  const [params] = useSearchParams();
  const setup = useSetupQuery();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const mutation = useMutation({
    mutationFn: () => api.post<Me>("/v1/auth/login", { email, password }),
    onSuccess: (me) => {
      queryClient.removeQueries({ queryKey: ["admin"] });
      queryClient.setQueryData(adminKeys.me, me);
      queryClient.setQueryData(adminKeys.setup, { needsOwner: false });
      navigate(safeNext(params.get("next"), "/admin"), { replace: true });
    },
  });
  if (setup.data?.needsOwner) return <Navigate to="/admin/setup" replace />;
  const errors = fieldErrors(mutation.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    mutation.mutate();
  };
  return (
    <AuthLayout
      title="Sign in to the console"
      subtitle="Manage your partner programs, applications and team."
      footer={
        <>
          Are you a partner? <Link to="/portal/login">Sign in to the partner portal</Link>
        </>
      }
    >
      <form className="stack" onSubmit={submit} noValidate>
        <FormAlert error={mutation.error} shown={["/email", "/password"]} />
        <TextField
          label="Email"
          type="email"
          value={email}
          onChange={setEmail}
          autoComplete="username"
          error={errors["/email"]}
          required
        />
        <TextField
          label="Password"
          type="password"
          value={password}
          onChange={setPassword}
          autoComplete="current-password"
          error={errors["/password"]}
          required
        />
        <Button type="submit" variant="primary" size="lg" className="btn-block" loading={mutation.isPending}>
          Sign in
        </Button>
      </form>
    </AuthLayout>
  );
}
