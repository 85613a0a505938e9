import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link, Navigate, useNavigate, useSearchParams } from "react-router";
import { api } from "../shared/api.js";
import { AuthLayout } from "../shared/auth-layout.js";
import { safeNext } from "../shared/safe-next.js";
import { type Credentials, SignInForm } from "../shared/sign-in-form.js";
import type { Me } from "../shared/types.js";
import { adminKeys, useSetupQuery } from "./admin-queries.js";

export function LoginPage() {
  const [params] = useSearchParams();
  const setup = useSetupQuery();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: (credentials: Credentials) => api.post<Me>("/v1/auth/login", credentials),
    onSuccess: (me) => {
      queryClient.removeQueries({ queryKey: ["admin"] });
      queryClient.setQueryData(adminKeys.me, me);
      queryClient.setQueryData(adminKeys.setup, { needsOwner: false });
      navigate(safeNext(params.get("next"), "/admin"), { replace: true });
    },
  });
  if (setup.data?.needsOwner) return <Navigate to="/admin/setup" replace />;
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
      <SignInForm onSubmit={(c) => mutation.mutate(c)} error={mutation.error} pending={mutation.isPending} />
    </AuthLayout>
  );
}
