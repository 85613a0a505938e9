import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useRef, useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { APPLICANT_POINTERS, ApplicantFields, applicantBody, emptyApplicant } from "../apply/applicant-fields.js";
import { TermsAcceptance } from "../apply/terms-acceptance.js";
import { api, isApiError } from "../shared/api.js";
import { AuthLayout } from "../shared/auth-layout.js";
import { Button } from "../shared/button.js";
import { FormAlert } from "../shared/form-alert.js";
import { fieldErrors } from "../shared/form-errors.js";
import { formatDate } from "../shared/format.js";
import { programTypeLabels } from "../shared/labels.js";
import { PageLoading } from "../shared/loading.js";
import type { PublicInvitation, PublicProgram } from "../shared/types.js";
import { useFocusFirstError } from "../shared/use-focus-first-error.js";

function AcceptForm({ token, email, program }: { token: string; email: string; program: PublicProgram }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [applicant, setApplicant] = useState(emptyApplicant(email));
  const [accepted, setAccepted] = useState(false);
  const hasTerms = program.termsText.trim().length > 0;
  const accept = useMutation({
    mutationFn: () =>
      api.post(`/v1/public/invitations/${encodeURIComponent(token)}/accept`, {
        ...applicantBody(applicant),
        acceptTerms: hasTerms ? accepted : true,
      }),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: ["portal"] });
      navigate("/portal", { replace: true });
    },
  });
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstError(formRef, accept.error);
  const errors = fieldErrors(accept.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    accept.mutate();
  };
  return (
    <form ref={formRef} className="stack-lg" onSubmit={submit} noValidate>
      <FormAlert error={accept.error} shown={[...APPLICANT_POINTERS, "/acceptTerms"]} />
      <ApplicantFields
        values={applicant}
        onChange={(patch) => setApplicant((v) => ({ ...v, ...patch }))}
        errors={errors}
        emailLocked
      />
      {hasTerms && (
        <TermsAcceptance
          programName={program.name}
          termsText={program.termsText}
          termsVersion={program.termsVersion}
          accepted={accepted}
          onChange={setAccepted}
          error={errors["/acceptTerms"]}
        />
      )}
      <Button type="submit" variant="primary" size="lg" className="btn-block" loading={accept.isPending}>
        Accept invitation
      </Button>
    </form>
  );
}

/** /portal/invite/:token — join a program you were invited to. */
export function InvitePage() {
  const { token = "" } = useParams();
  const query = useQuery({
    queryKey: ["public", "invitation", token],
    queryFn: () => api.get<PublicInvitation>(`/v1/public/invitations/${encodeURIComponent(token)}`),
    retry: false,
  });
  if (query.isPending) return <PageLoading />;
  if (query.isError) {
    const gone = isApiError(query.error) && [404, 409, 410, 422].includes(query.error.status);
    return (
      <AuthLayout
        title={gone ? "This invitation can't be used" : "Something went wrong"}
        subtitle={query.error.message}
        footer={<Link to="/portal/login">Sign in to the partner portal</Link>}
      >
        <p className="muted">Ask the partner team for a new invitation link.</p>
      </AuthLayout>
    );
  }
  const { program, email, expiresAt } = query.data;
  return (
    <AuthLayout
      wide
      badge="Invitation"
      title={`Join ${program.name}`}
      subtitle={
        <>
          You're invited to the {programTypeLabels[program.type].toLowerCase()} program. {program.description} This
          invitation expires on {formatDate(expiresAt)}.
        </>
      }
      footer={
        <>
          Already have a portal account? Use its password below, or <Link to="/portal/login">sign in</Link>.
        </>
      }
    >
      <AcceptForm token={token} email={email} program={program} />
    </AuthLayout>
  );
}
