import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useRef, useState } from "react";
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
import { portalKeys } from "./portal-queries.js";

const KIND_DESCRIPTIONS: Record<PayoutMethodKind, string> = {
  paypal: "Paid to your PayPal account's email.",
  wise: "Paid through Wise to your account or email.",
  bank: "A bank transfer to your account.",
  stripe_connect: "Paid to your Stripe Connect account.",
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

function MethodForm({ current, onDone }: { current: PayoutMethod | null; onDone: () => void }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const formRef = useRef<HTMLFormElement>(null);
  const [kind, setKind] = useState<PayoutMethodKind>(current?.kind ?? "paypal");
  const [fields, setFields] = useState<Fields>({ currency: current?.currency ?? "", receiverType: "person" });
  const [password, setPassword] = useState("");
  const set = (key: string) => (value: string) => setFields((f) => ({ ...f, [key]: value }));
  const save = useMutation({
    mutationFn: () => {
      const body: Record<string, string> = { kind, currentPassword: password };
      for (const key of FIELDS[kind]) {
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
  useFocusFirstError(formRef, save.error);
  const errors = fieldErrors(save.error);
  const text = (key: string, label: string, props: Partial<Parameters<typeof TextField>[0]> = {}) => (
    <TextField label={label} value={fields[key] ?? ""} onChange={set(key)} error={errors[`/${key}`]} {...props} />
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  const banky = kind === "bank" || kind === "wise";
  return (
    <form ref={formRef} className="stack" onSubmit={submit} noValidate aria-label="Payout method">
      <FormAlert error={save.error} shown={["/kind", "/currentPassword", ...FIELDS[kind].map((k) => `/${k}`)]} />
      <RadioCards
        legend="How do you want to be paid?"
        value={kind}
        onChange={setKind}
        columns={2}
        options={(Object.keys(payoutMethodLabels) as PayoutMethodKind[]).map((k) => ({
          value: k,
          label: payoutMethodLabels[k],
          description: KIND_DESCRIPTIONS[k],
        }))}
      />
      {kind === "paypal" && text("email", "PayPal email", { type: "email", required: true, autoComplete: "email" })}
      {kind === "stripe_connect" &&
        text("accountId", "Stripe account id", {
          placeholder: "acct_1A2b3C4d5E6f",
          required: true,
          className: "field-mono",
        })}
      {banky && (
        <>
          <div className="grid-2">
            {text("holderName", "Account holder", { required: true, autoComplete: "name" })}
            {kind === "wise" ? (
              <SelectField
                label="Receiver"
                value={fields.receiverType ?? "person"}
                onChange={set("receiverType")}
                options={[
                  { value: "person", label: "A person" },
                  { value: "business", label: "A business" },
                ]}
              />
            ) : (
              text("bankName", "Bank name", { optional: true })
            )}
          </div>
          {kind === "wise" &&
            text("email", "Recipient email", { type: "email", optional: true, hint: "Enough on its own for Wise." })}
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
              options={[
                { value: "checking", label: "Checking" },
                { value: "savings", label: "Savings" },
              ]}
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
        hint="Where your money goes changes only with your sign-in password."
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
        <Button type="submit" variant="primary" loading={save.isPending}>
          Save payout method
        </Button>
      </div>
    </form>
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
          <MethodForm current={method.data ?? null} onDone={() => setEditing(false)} />
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
