import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { api } from "../shared/api.js";
import { Button } from "../shared/button.js";
import { CheckboxField } from "../shared/checkbox-field.js";
import { CommissionExplanationView } from "../shared/commission-explanation.js";
import { CountrySelect } from "../shared/country-select.js";
import { FormAlert } from "../shared/form-alert.js";
import { fieldErrors } from "../shared/form-errors.js";
import { formatMoney, parseMoney } from "../shared/money.js";
import { MoneyField } from "../shared/money-field.js";
import { readableNote } from "../shared/note-text.js";
import { SegmentedControl } from "../shared/segmented-control.js";
import { TextField } from "../shared/text-field.js";
import type { PreviewResult, Program } from "../shared/types.js";
import { PartnerSelect } from "./partner-select.js";

type Event = "sale" | "lead";

function PreviewOutcome({ result }: { result: PreviewResult }) {
  return (
    <section className={result.earns ? "preview-result preview-earns" : "preview-result"} aria-label="Preview result">
      <div className="preview-amount">{formatMoney(result.amount, result.currency)}</div>
      <p className="preview-rule">
        {result.earns ? (
          <>
            by rule <strong>{result.ruleName ?? result.ruleId}</strong>
            {result.planVersion !== null && <span className="muted"> · plan version {result.planVersion}</span>}
          </>
        ) : (
          readableNote(result.explanation.summary)
        )}
      </p>
      <CommissionExplanationView explanation={result.explanation} showSummary={false} />
    </section>
  );
}

/** "What would this sale earn this partner, and by which rule?": runs the real engine on the saved plans. */
export function PlanPreviewCard({ program }: { program: Program }) {
  const [partnerId, setPartnerId] = useState("");
  const [event, setEvent] = useState<Event>("sale");
  const [amount, setAmount] = useState("");
  const [currency, setCurrency] = useState(program.currency);
  const [recurring, setRecurring] = useState(false);
  const [products, setProducts] = useState("");
  const [country, setCountry] = useState("");
  const [customer, setCustomer] = useState("");
  const [date, setDate] = useState("");
  const [amountError, setAmountError] = useState<string>();
  const preview = useMutation({
    mutationFn: (minor: number | undefined) =>
      api.post<PreviewResult>(`/v1/programs/${program.id}/commissions/preview`, {
        partnerId,
        event,
        ...(event === "sale"
          ? {
              amount: minor,
              currency: currency.trim().toUpperCase() || program.currency,
              recurring,
              ...(products.trim()
                ? {
                    products: products
                      .split(",")
                      .map((p) => p.trim())
                      .filter(Boolean),
                  }
                : {}),
              ...(country ? { country } : {}),
            }
          : {}),
        ...(customer.trim() ? { customerExternalId: customer.trim() } : {}),
        ...(date ? { occurredAt: new Date(`${date}T12:00:00Z`).toISOString() } : {}),
      }),
  });
  const errors = fieldErrors(preview.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    let minor: number | undefined;
    if (event === "sale") {
      const parsed = parseMoney(amount, currency.trim().toUpperCase() || program.currency);
      if (!parsed.ok) {
        setAmountError(parsed.error);
        return;
      }
      minor = parsed.value;
    }
    setAmountError(undefined);
    preview.mutate(minor);
  };
  return (
    <section className="card" aria-label="Preview a commission">
      <h2 className="card-title">Preview a commission</h2>
      <p className="card-subtitle">What would this conversion earn this partner now, and by which rule?</p>
      <form className="stack preview-form" onSubmit={submit} noValidate>
        <FormAlert
          error={preview.error}
          shown={["/partnerId", "/amount", "/currency", "/country", "/products", "/customerExternalId"]}
        />
        <PartnerSelect
          programId={program.id}
          value={partnerId}
          onChange={setPartnerId}
          error={errors["/partnerId"]}
          required
        />
        <SegmentedControl
          label="Event"
          value={event}
          options={[
            { value: "sale", label: "Sale" },
            { value: "lead", label: "Lead" },
          ]}
          onChange={setEvent}
        />
        {event === "sale" && (
          <>
            <div className="preview-money">
              <MoneyField
                label="Sale amount"
                currency={currency.trim().toUpperCase() || program.currency}
                value={amount}
                onChange={setAmount}
                placeholder="129.00"
                error={amountError ?? errors["/amount"]}
                required
              />
              <TextField
                label="Currency"
                value={currency}
                onChange={(v) => setCurrency(v.toUpperCase())}
                maxLength={3}
                className="field-currency"
                error={errors["/currency"]}
              />
            </div>
            <CheckboxField
              label="Recurring sale"
              description="A renewal or a later sale of a known customer."
              checked={recurring}
              onChange={setRecurring}
            />
            <TextField
              label="Products"
              value={products}
              onChange={setProducts}
              placeholder="pro-plan, addon-seats"
              optional
              error={errors["/products"]}
            />
            <CountrySelect value={country} onChange={setCountry} optional placeholder="Any country" />
          </>
        )}
        <details className="preview-more">
          <summary>Customer and date</summary>
          <div className="stack">
            <TextField
              label="Customer id"
              value={customer}
              onChange={setCustomer}
              optional
              hint="An existing customer's id: durations count from their first sale."
              error={errors["/customerExternalId"]}
            />
            <TextField label="Date" type="date" value={date} onChange={setDate} optional hint="Today when empty." />
          </div>
        </details>
        <Button type="submit" variant="primary" loading={preview.isPending} disabled={!partnerId}>
          Preview
        </Button>
      </form>
      {preview.data && <PreviewOutcome result={preview.data} />}
    </section>
  );
}
