import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useRef, useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { api, isApiError } from "../shared/api.js";
import { Button } from "../shared/button.js";
import { FormAlert } from "../shared/form-alert.js";
import { fieldErrors } from "../shared/form-errors.js";
import { ClockIcon, CoinsIcon, PartnersIcon } from "../shared/icons.js";
import { programTypeLabels } from "../shared/labels.js";
import { PageLoading } from "../shared/loading.js";
import { QueryError } from "../shared/query-error.js";
import type { PublicProgram } from "../shared/types.js";
import { useFocusFirstError } from "../shared/use-focus-first-error.js";
import { APPLICANT_POINTERS, ApplicantFields, applicantBody, emptyApplicant } from "./applicant-fields.js";
import { PublicPageLayout } from "./public-page-layout.js";
import { answersBody, QuestionInput } from "./question-input.js";
import { TermsAcceptance } from "./terms-acceptance.js";

const STEPS = [
  { title: "Apply", text: "Tell us about you and your audience. It takes two minutes." },
  { title: "Get reviewed", text: "The partner team reviews every application, usually within a few days." },
  { title: "Start partnering", text: "Once approved, follow everything from your partner portal." },
];

function ApplicationForm({ slug, program }: { slug: string; program: PublicProgram }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [applicant, setApplicant] = useState(emptyApplicant());
  const [answers, setAnswers] = useState<Record<string, string>>({});
  const [accepted, setAccepted] = useState(false);
  const hasTerms = program.termsText.trim().length > 0;
  const submit = useMutation({
    mutationFn: () =>
      api.post(`/v1/public/programs/${encodeURIComponent(slug)}/applications`, {
        ...applicantBody(applicant),
        email: applicant.email.trim(),
        answers: answersBody(program.applicationQuestions, answers),
        acceptTerms: hasTerms ? accepted : true,
      }),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: ["portal"] });
      navigate("/portal", { replace: true });
    },
  });
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstError(formRef, submit.error);
  const errors = fieldErrors(submit.error);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    submit.mutate();
  };
  return (
    <form
      ref={formRef}
      className="apply-form stack-lg"
      onSubmit={onSubmit}
      noValidate
      aria-label={`Apply to ${program.name}`}
    >
      <FormAlert error={submit.error} shown={[...APPLICANT_POINTERS, "/answers/", "/acceptTerms"]} />
      <ApplicantFields
        values={applicant}
        onChange={(patch) => setApplicant((v) => ({ ...v, ...patch }))}
        errors={errors}
      />
      {program.applicationQuestions.length > 0 && (
        <fieldset className="form-group">
          <legend className="form-group-title">A few questions</legend>
          <div className="form-group-body">
            {program.applicationQuestions.map((question) => (
              <QuestionInput
                key={question.id}
                question={question}
                value={answers[question.id] ?? ""}
                onChange={(value) => setAnswers((current) => ({ ...current, [question.id]: value }))}
                error={errors[`/answers/${question.id}`]}
              />
            ))}
          </div>
        </fieldset>
      )}
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
      <div className="apply-submit">
        <Button type="submit" variant="primary" size="lg" className="btn-block" loading={submit.isPending}>
          Submit application
        </Button>
        <p className="muted small center">
          Already a partner? <Link to="/portal/login">Sign in to the portal</Link>
        </p>
      </div>
    </form>
  );
}

/** The public application page of one program: /apply/:slug. */
export function ApplyPage() {
  const { slug = "" } = useParams();
  const query = useQuery({
    queryKey: ["public", "program", slug],
    queryFn: () => api.get<PublicProgram>(`/v1/public/programs/${encodeURIComponent(slug)}`),
    retry: false,
  });
  if (query.isPending) return <PageLoading />;
  if (query.isError) {
    return (
      <PublicPageLayout>
        <main className="public-main narrow">
          {isApiError(query.error) && query.error.status === 404 ? (
            <div className="card center-card">
              <h1 className="page-title">This program is not open for applications</h1>
              <p className="muted">The link may be mistyped, or the program is paused or closed.</p>
            </div>
          ) : (
            <QueryError error={query.error} onRetry={() => query.refetch()} />
          )}
        </main>
      </PublicPageLayout>
    );
  }
  const program = query.data;
  return (
    <PublicPageLayout>
      <section className="apply-hero">
        <div className="apply-hero-inner">
          <p className="eyebrow">{programTypeLabels[program.type]} program</p>
          <h1 className="apply-title">{program.name}</h1>
          {program.description && <p className="apply-lead">{program.description}</p>}
          <ul className="apply-facts">
            <li>
              <CoinsIcon size={18} />
              <span>
                <strong>{program.currency}</strong> payouts
              </span>
            </li>
            <li>
              <ClockIcon size={18} />
              <span>
                <strong>{program.cookieWindowDays}-day</strong> cookie window
              </span>
            </li>
            <li>
              <PartnersIcon size={18} />
              <span>
                <strong>{programTypeLabels[program.type]}</strong> partnership
              </span>
            </li>
          </ul>
        </div>
      </section>
      <main className="public-main apply-layout">
        <aside className="apply-aside">
          <h2 className="apply-aside-title">How it works</h2>
          <ol className="steps">
            {STEPS.map((step, index) => (
              <li key={step.title} className="step">
                <span className="step-number">{index + 1}</span>
                <div>
                  <h3>{step.title}</h3>
                  <p>{step.text}</p>
                </div>
              </li>
            ))}
          </ol>
        </aside>
        <div className="card apply-card">
          <h2 className="apply-card-title">Apply to join</h2>
          <p className="muted">
            Fields marked <span className="field-required">*</span> are required.
          </p>
          <ApplicationForm slug={slug} program={program} />
        </div>
      </main>
    </PublicPageLayout>
  );
}
