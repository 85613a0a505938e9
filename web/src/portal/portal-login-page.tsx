import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { api } from "../shared/api.js";
import { AuthLayout } from "../shared/auth-layout.js";
import { Button } from "../shared/button.js";
import { FormAlert } from "../shared/form-alert.js";
import { fieldErrors } from "../shared/form-errors.js";
import { safeNext } from "../shared/safe-next.js";
import { TextField } from "../shared/text-field.js";
import type { PortalMe } from "../shared/types.js";
import { portalKeys } from "./portal-queries.js";

export function PortalLoginPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const mutation = useMutation({
    mutationFn: () => api.post<PortalMe>("/v1/portal/auth/login", { email, password }),
    onSuccess: (me) => {
      queryClient.removeQueries({ queryKey: ["portal"] });
      queryClient.setQueryData(portalKeys.me, me);
      navigate(safeNext(params.get("next"), "/portal"), { replace: true });
    },
  });
  const errors = fieldErrors(mutation.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    mutation.mutate();
  };
  return (
    <AuthLayout
      title="Partner sign in"
      subtitle="Follow your applications and manage your partnership."
      badge="Partner portal"
      footer={
        <>
          Work for the vendor? <Link to="/admin/login">Sign in to the console</Link>
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
