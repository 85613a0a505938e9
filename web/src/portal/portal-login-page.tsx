import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate, useSearchParams } from "react-router";
import { api } from "../shared/api.js";
import { AuthLayout } from "../shared/auth-layout.js";
import { safeNext } from "../shared/safe-next.js";
import { type Credentials, SignInForm } from "../shared/sign-in-form.js";
import type { PortalMe } from "../shared/types.js";
import { portalKeys } from "./portal-queries.js";

export function PortalLoginPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: (credentials: Credentials) => api.post<PortalMe>("/v1/portal/auth/login", credentials),
    onSuccess: (me) => {
      queryClient.removeQueries({ queryKey: ["portal"] });
      queryClient.setQueryData(portalKeys.me, me);
      navigate(safeNext(params.get("next"), "/portal"), { replace: true });
    },
  });
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
      <SignInForm onSubmit={(c) => mutation.mutate(c)} error={mutation.error} pending={mutation.isPending} />
    </AuthLayout>
  );
}
