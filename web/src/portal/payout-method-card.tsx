import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useRef, useState } from "react";
import { useSearchParams } from "react-router";
import { api, isApiError } from "../shared/api.js";
import { Button } from "../shared/button.js";
import { ConfirmDialog } from "../shared/confirm-dialog.js";
import { CountrySelect } from "../shared/country-select.js";
import { FormAlert } from "../shared/form-alert.js";
import { fieldErrors } from "../shared/form-errors.js";
import { formatDate } from "../shared/format.js";
import { LockIcon } from "../shared/icons.js";
import { payoutMethodLabels } from "../shared/labels.js";
import { PayoutMethodAttention } from "../shared/payout-method-attention.js";
import { RadioCards } from "../shared/radio-cards.js";
import { SelectField } from "../shared/select-field.js";
import { TextField } from "../shared/text-field.js";
import { useToast } from "../shared/toast.js";
import type { PayoutMethod, PayoutMethodKind } from "../shared/types.js";
import { useFocusFirstError } from "../shared/use-focus-first-error.js";
import { type WiseField, type WiseVia, wiseFields, wiseRoute, wiseRouteHint } from "../shared/wise-fields.js";
import { portalKeys } from "./portal-queries.js";

/** A US bank account's type, asked by the bank form and by Wise for USD. */
const ACCOUNT_TYPES = [
  { value: "checking", label: "Checking" },
  { value: "savings", label: "Savings" },
];

const KIND_DESCRIPTIONS: Record<PayoutMethodKind, string> = {
  paypal: "Paid to your PayPal account's email.",
  wise: "Paid through Wise to your bank account, in your currency.",
  bank: "A bank transfer to your account.",
  stripe_connect: "Paid to a Stripe account: Stripe collects your bank details on its own secure page.",
};

type Fields = Record<string, string>;

const FIELDS: Record<PayoutMethodKind, string[]> = {
  paypal: ["email"],
  stripe_connect: ["accountId"],
  wise: [
    "holderName",
    "receiverType",
    "email",
    "iban",
    "accountNumber",
    "routingNumber",
    "sortCode",
    "bic",
    "country",
    "currency",
  ],
  bank: [
    "holderName",
    "iban",
    "accountNumber",
    "routingNumber",
    "sortCode",
    "bic",
    "accountType",
    "bankName",
    "country",
    "currency",
  ],
};

/** "Connect with Stripe": the server creates (or reuses) the Stripe account and answers Stripe's onboarding link. */
function useConnectStripe() {
  return useMutation({
    mutationFn: (currentPassword: string) =>
      api.post<{ url: string }>("/v1/portal/payout-method/stripe", { currentPassword }),
    onSuccess: ({ url }) => window.location.assign(url),
  });
}

function MethodForm({
  current,
  stripeAvailable,
  onDone,
}: {
  current: PayoutMethod | null;
  stripeAvailable: boolean;
  onDone: () => void;
}) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const formRef = useRef<HTMLFormElement>(null);
  const [kind, setKind] = useState<PayoutMethodKind>(current?.kind ?? "paypal");
  const [fields, setFields] = useState<Fields>({ currency: current?.currency ?? "", receiverType: "person" });
  const [password, setPassword] = useState("");
  const set = (key: string) => (value: string) => setFields((f) => ({ ...f, [key]: value }));
  const [wiseVia, setWiseVia] = useState<WiseVia>("bank");
  const route = wiseRoute(fields.currency ?? "");
  const wise = wiseFields(route, wiseVia);
  const wiseAsked: string[] = [...wise.required, ...wise.optional, ...(wise.either?.flat() ?? [])];
  // Only what the form shows is sent: a field typed for another currency and then hidden does not go along.
  const sentFields =
    kind === "wise" ? ["holderName", "receiverType", "currency", "country", ...wiseAsked] : FIELDS[kind];
  const save = useMutation({
    mutationFn: () => {
      const body: Record<string, string> = { kind, currentPassword: password };
      for (const key of sentFields) {
        const value = (fields[key] ?? "").trim();
        if (value) body[key] = key === "currency" ? value.toUpperCase() : value;
      }
      return api.put<PayoutMethod>("/v1/portal/payout-method", body);
    },
    onSuccess: (method) => {
      queryClient.setQueryData([...portalKeys.payouts, "method"], method);
      queryClient.invalidateQueries({ queryKey: portalKeys.payouts });
      toast.success(`Payout method saved: ${method.masked}`);
      onDone();
    },
  });
  const connect = useConnectStripe();
  const stripe = kind === "stripe_connect";
  const error = stripe ? connect.error : save.error;
  useFocusFirstError(formRef, error);
  const errors = fieldErrors(error);
  const text = (key: string, label: string, props: Partial<Parameters<typeof TextField>[0]> = {}) => (
    <TextField label={label} value={fields[key] ?? ""} onChange={set(key)} error={errors[`/${key}`]} {...props} />
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (stripe) connect.mutate(password);
    else save.mutate();
  };
  const banky = kind === "bank";
  const wiseText = (field: WiseField, label: string, props: Partial<Parameters<typeof TextField>[0]> = {}) =>
    wiseAsked.includes(field) &&
    text(field, label, {
      required: wise.required.includes(field),
      optional: wise.optional.includes(field),
      className: "field-mono",
      ...props,
    });
  return (
    <form ref={formRef} className="stack" onSubmit={submit} noValidate aria-label="Payout method">
      <FormAlert error={error} shown={["/kind", "/currentPassword", ...sentFields.map((k) => `/${k}`)]} />
      <RadioCards
        legend="How do you want to be paid?"
        value={kind}
        onChange={setKind}
        columns={2}
        options={(Object.keys(payoutMethodLabels) as PayoutMethodKind[]).map((k) => ({
          value: k,
          label: payoutMethodLabels[k],
          description:
            k === "stripe_connect" && !stripeAvailable ? "Not offered by this program." : KIND_DESCRIPTIONS[k],
          disabled: k === "stripe_connect" && !stripeAvailable && current?.kind !== "stripe_connect",
        }))}
      />
      {kind === "paypal" && text("email", "PayPal email", { type: "email", required: true, autoComplete: "email" })}
      {stripe && (
        <div className="stripe-connect-note" role="note">
          <p>
            {current?.kind === "stripe_connect"
              ? "Stripe opens your account's onboarding to finish or update what it needs."
              : "Stripe creates a payout account for you and asks, on its own secure page, for your identity and the bank account to pay. Nothing is saved here until you finish."}
          </p>
          <p className="muted small">You come back here afterwards; it takes a few minutes.</p>
        </div>
      )}
      {kind === "wise" && (
        <>
          <div className="grid-2">
            {text("holderName", "Account holder's full name", { required: true, autoComplete: "name" })}
            <SelectField
              label="Receiver"
              value={fields.receiverType ?? "person"}
              onChange={set("receiverType")}
              options={[
                { value: "person", label: "A person" },
                { value: "business", label: "A business" },
              ]}
            />
          </div>
          <div className="grid-2">
            {text("currency", "Currency you receive", {
              placeholder: "EUR",
              required: true,
              maxLength: 3,
              className: "field-currency",
              hint: "The bank details Wise needs depend on it.",
            })}
            <CountrySelect
              label="Bank country"
              value={fields.country ?? ""}
              onChange={set("country")}
              optional
              error={errors["/country"]}
            />
          </div>
          <RadioCards
            legend="How should Wise reach you?"
            value={wiseVia}
            onChange={setWiseVia}
            columns={2}
            options={[
              { value: "bank", label: "My bank account", description: wiseRouteHint[route] },
              {
                value: "email",
                label: "By email",
                description: "No bank details here: Wise emails you to ask for them before your first payout arrives.",
              },
            ]}
          />
          {wiseText("email", "Email for Wise", {
            type: "email",
            autoComplete: "email",
            className: "",
            hint: "Wise writes to this address to collect your bank details. Your name and currency above are still needed.",
          })}
          {wiseText("iban", "IBAN", {
            placeholder: route === "gbp" ? "GB82 WEST 1234 5698 7654 32" : "DE89 3704 0044 0532 0130 00",
            hint: wise.either ? "Or leave it empty and give the details below." : undefined,
          })}
          <div className="grid-2">
            {wiseText("sortCode", "Sort code", { inputMode: "numeric", placeholder: "40-47-84" })}
            {wiseText("routingNumber", "ACH routing number", { inputMode: "numeric", placeholder: "026009593" })}
            {wiseText("accountNumber", "Account number")}
            {wiseText("bic", "SWIFT / BIC")}
          </div>
          {wiseAsked.includes("accountType") && (
            <SelectField
              label="Account type"
              value={fields.accountType ?? ""}
              onChange={set("accountType")}
              options={ACCOUNT_TYPES}
              placeholder="Choose"
              error={errors["/accountType"]}
            />
          )}
        </>
      )}
      {banky && (
        <>
          <div className="grid-2">
            {text("holderName", "Account holder", { required: true, autoComplete: "name" })}
            {text("bankName", "Bank name", { optional: true })}
          </div>
          {text("iban", "IBAN", {
            placeholder: "DE89 3704 0044 0532 0130 00",
            className: "field-mono",
            hint: "Or an account number below.",
          })}
          <div className="grid-2">
            {text("accountNumber", "Account number", { optional: true, className: "field-mono" })}
            {text("bic", "BIC / SWIFT", { optional: true, className: "field-mono" })}
            {text("routingNumber", "Routing number (US)", {
              optional: true,
              inputMode: "numeric",
              className: "field-mono",
            })}
            {text("sortCode", "Sort code (UK)", { optional: true, inputMode: "numeric", className: "field-mono" })}
          </div>
          <div className="grid-2">
            <CountrySelect
              label="Bank country"
              value={fields.country ?? ""}
              onChange={set("country")}
              optional
              error={errors["/country"]}
            />
            {text("currency", "Currency received", {
              placeholder: "EUR",
              required: true,
              maxLength: 3,
              className: "field-currency",
              error: errors["/currency"],
            })}
          </div>
          {kind === "bank" && (
            <SelectField
              label="Account type"
              value={fields.accountType ?? ""}
              onChange={set("accountType")}
              options={ACCOUNT_TYPES}
              placeholder="Not needed"
              optional
            />
          )}
        </>
      )}
      <TextField
        label="Your password"
        type="password"
        value={password}
        onChange={setPassword}
        autoComplete="current-password"
        hint={
          stripe
            ? "Connecting an account changes where your money goes: it needs your sign-in password."
            : "Where your money goes changes only with your sign-in password."
        }
        error={errors["/currentPassword"]}
        required
      />
      <p className="muted small secure-note">
        <LockIcon size={14} /> Encrypted when saved. Only a masked form is ever shown again, here and to the program
        team.
      </p>
      <div className="form-actions">
        {current && (
          <Button variant="ghost" onClick={onDone}>
            Cancel
          </Button>
        )}
        <Button type="submit" variant="primary" loading={stripe ? connect.isPending : save.isPending}>
          {!stripe
            ? "Save payout method"
            : current?.kind === "stripe_connect"
              ? "Continue with Stripe"
              : "Connect with Stripe"}
        </Button>
      </div>
    </form>
  );
}

/** What the partner reads when Stripe sends it back: connected, left before finishing, or what went wrong. */
function StripeReturnNotice({
  kind,
  params,
  onDismiss,
}: {
  kind: string;
  params: URLSearchParams;
  onDismiss: () => void;
}) {
  const state = params.get("state");
  const [tone, text] =
    kind === "connected"
      ? (["success-soft", "Your Stripe account is connected: your payouts go to it."] as const)
      : kind === "incomplete"
        ? ([
            "warning",
            "You left Stripe before finishing, so nothing changed here. Continue where you stopped to be paid through Stripe.",
          ] as const)
        : (["error", `Stripe could not be connected: ${params.get("reason") ?? "please try again"}.`] as const);
  return (
    <div className={`alert alert-${tone} stripe-return`} role="status">
      <p>{text}</p>
      <div className="action-row">
        {kind === "incomplete" && state && (
          <a
            className="btn btn-primary btn-sm"
            href={`/v1/portal/payout-method/stripe/refresh?state=${encodeURIComponent(state)}`}
          >
            Continue with Stripe
          </a>
        )}
        <Button size="sm" variant="ghost" onClick={onDismiss}>
          Dismiss
        </Button>
      </div>
    </div>
  );
}

/** The partner's payout method: shown masked, replaced with a form (the details are encrypted on the server). */
export function PayoutMethodCard() {
  const queryClient = useQueryClient();
  const toast = useToast();
  const [editing, setEditing] = useState(false);
  const [removing, setRemoving] = useState(false);
  const method = useQuery({
    queryKey: [...portalKeys.payouts, "method"],
    queryFn: () =>
      api.get<PayoutMethod>("/v1/portal/payout-method").catch((error: unknown) => {
        if (isApiError(error) && error.status === 404) return null;
        throw error;
      }),
  });
  const stripeOption = useQuery({
    queryKey: [...portalKeys.payouts, "stripe-option"],
    queryFn: () => api.get<{ available: boolean }>("/v1/portal/payout-method/stripe"),
  });
  const [params, setParams] = useSearchParams();
  const back = params.get("stripe");
  const dismissReturn = () =>
    setParams(
      (p) => {
        for (const key of ["stripe", "state", "reason"]) p.delete(key);
        return p;
      },
      { replace: true },
    );
  const remove = useMutation({
    mutationFn: () => api.delete("/v1/portal/payout-method"),
    onSuccess: () => {
      queryClient.setQueryData([...portalKeys.payouts, "method"], null);
      queryClient.invalidateQueries({ queryKey: portalKeys.payouts });
      toast.success("Payout method removed");
      setRemoving(false);
    },
    onError: (error) => toast.error(error.message),
  });
  return (
    <section className="card" aria-label="Payout method">
      <h2 className="card-title">Payout method</h2>
      {back && <StripeReturnNotice kind={back} params={params} onDismiss={dismissReturn} />}
      {method.isPending ? (
        <p className="muted">Loading…</p>
      ) : method.data && !editing ? (
        <div className="stack">
          <PayoutMethodAttention method={method.data} audience="partner" />
          <div className="method-current">
            <span className="method-masked">{method.data.masked}</span>
            <span className="muted small">
              {payoutMethodLabels[method.data.kind]}
              {method.data.currency ? ` · in ${method.data.currency}` : ""} · updated{" "}
              {formatDate(method.data.updatedAt)}
            </span>
          </div>
          <div className="action-row">
            <Button size="sm" onClick={() => setEditing(true)}>
              Change
            </Button>
            <Button size="sm" variant="ghost" onClick={() => setRemoving(true)}>
              Remove
            </Button>
          </div>
        </div>
      ) : (
        <>
          {!method.data && (
            <p className="muted small method-missing">
              Add a payout method to be paid: without one, your balance is kept until you do.
            </p>
          )}
          <MethodForm
            current={method.data ?? null}
            stripeAvailable={stripeOption.data?.available ?? false}
            onDone={() => setEditing(false)}
          />
        </>
      )}
      <ConfirmDialog
        open={removing}
        title="Remove your payout method?"
        description="Payouts stop until you add a new one; your balance is kept."
        confirmLabel="Remove"
        pending={remove.isPending}
        onConfirm={() => remove.mutate()}
        onClose={() => setRemoving(false)}
      />
    </section>
  );
}
