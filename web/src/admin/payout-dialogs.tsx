import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { api, isApiError } from "../shared/api.js";
import { Button } from "../shared/button.js";
import { FormAlert } from "../shared/form-alert.js";
import { fieldErrors } from "../shared/form-errors.js";
import { formatDate } from "../shared/format.js";
import { payoutMethodLabels } from "../shared/labels.js";
import { Modal } from "../shared/modal.js";
import { formatMoney } from "../shared/money.js";
import { QueryError } from "../shared/query-error.js";
import { RadioCards } from "../shared/radio-cards.js";
import { TextField } from "../shared/text-field.js";
import { useToast } from "../shared/toast.js";
import type { BatchCandidates, PayoutBatch, PayoutMethod, PayoutMethodKind, PayoutRunResult } from "../shared/types.js";
import { adminKeys, useProgramsQuery } from "./admin-queries.js";
import { skipReasonText } from "./payout-run-drawer.js";
import { ProgramFilter } from "./program-filter.js";
import { ReasonDialog } from "./reason-dialog.js";
import { usePartnerNames } from "./use-partner-names.js";

const today = () => new Date().toISOString().slice(0, 10);

function RunResult({ result }: { result: PayoutRunResult }) {
  const partnerName = usePartnerNames([...result.payouts, ...result.skipped].map((p) => p.partnerId));
  return (
    <section className="stack run-result" aria-label="Payout run result">
      <p className={result.payoutsCreated > 0 ? "alert alert-success-soft" : "alert alert-warning"}>
        {result.payoutsCreated > 0
          ? `${result.payoutsCreated} ${result.payoutsCreated === 1 ? "payout" : "payouts"} created, as of ${formatDate(result.asOf)}.`
          : `Nothing to pay as of ${formatDate(result.asOf)}: no partner has an approved balance the schedule makes payable.`}
      </p>
      {result.payouts.length > 0 && (
        <ul className="mini-list">
          {result.payouts.map((p) => (
            <li key={p.id} className="run-line">
              <span>{partnerName(p.partnerId)}</span>
              <span className="muted small">
                {p.entryCount} {p.entryCount === 1 ? "entry" : "entries"}
              </span>
              <strong>{formatMoney(p.amount, p.currency)}</strong>
            </li>
          ))}
        </ul>
      )}
      {result.skipped.length > 0 && (
        <>
          <h3 className="subheading">
            {result.skipped.length} {result.skipped.length === 1 ? "partner" : "partners"} not paid
          </h3>
          <ul className="mini-list">
            {result.skipped.map((s) => (
              <li key={`${s.programId}:${s.partnerId}`} className="run-line run-line-skipped">
                <span>
                  {partnerName(s.partnerId)}
                  <span className="cell-sub">
                    {skipReasonText[s.reason].label}: {skipReasonText[s.reason].next}
                  </span>
                </span>
                <strong>{formatMoney(s.amount, s.currency)}</strong>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/** Runs payouts now (one program or all): one payout per partner from what the schedule makes payable. */
export function RunPayoutsDialog({ onClose }: { onClose: () => void }) {
  const queryClient = useQueryClient();
  const [programId, setProgramId] = useState("");
  const [asOf, setAsOf] = useState(today());
  const run = useMutation({
    mutationFn: () =>
      api.post<PayoutRunResult>("/v1/payout-runs", {
        ...(programId ? { programId } : {}),
        // The end of the chosen day, or now when it is today (a run may not look into the future).
        ...(asOf && asOf !== today() ? { asOf: new Date(`${asOf}T23:59:59.999Z`).toISOString() } : {}),
      }),
    onSuccess: () => {
      queryClient.invalidateQueries({ queryKey: adminKeys.payouts });
      queryClient.invalidateQueries({ queryKey: adminKeys.commissions });
    },
  });
  const errors = fieldErrors(run.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    run.mutate();
  };
  return (
    <Modal
      open
      onClose={onClose}
      title="Run payouts"
      description="Creates one payout per partner from their approved, unpaid commissions that the program's schedule makes payable. Balances under the minimum carry over."
    >
      {run.data ? (
        <div className="stack">
          <RunResult result={run.data} />
          <div className="form-actions">
            <Button variant="primary" onClick={onClose}>
              Done
            </Button>
          </div>
        </div>
      ) : (
        <form className="stack" onSubmit={submit} noValidate aria-label="Run payouts">
          <FormAlert error={run.error} shown={["/programId", "/asOf"]} />
          <ProgramFilter value={programId} onChange={setProgramId} error={errors["/programId"]} className="" />
          <TextField
            label="As of"
            type="date"
            value={asOf}
            onChange={setAsOf}
            max={today()}
            hint="The day the schedule is evaluated at: today, or an earlier day to catch up."
            error={errors["/asOf"]}
          />
          <div className="form-actions">
            <Button variant="ghost" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" variant="primary" loading={run.isPending}>
              Run payouts
            </Button>
          </div>
        </form>
      )}
    </Modal>
  );
}

/** Amounts per currency, in words: "$12.00 + €3.00". */
const totalsText = (totals: { currency: string; amount: number }[]) =>
  totals.map((t) => formatMoney(t.amount, t.currency)).join(" + ");

const METHOD_DESCRIPTIONS: Record<PayoutMethodKind, string> = {
  paypal: "A PayPal Payouts CSV to upload in PayPal.",
  wise: "A Wise batch CSV to upload in Wise.",
  bank: "A bank CSV (holder, IBAN or account, amount) for your bank.",
  stripe_connect: "Transfers to the partners' Stripe Connect accounts, sent from here.",
};

/** Batches a program's pending payouts for one method: a file to download, or Stripe transfers to send. */
export function CreateBatchDialog({
  programId: initialProgram = "",
  onCreated,
  onClose,
}: {
  programId?: string;
  onCreated: (batch: PayoutBatch) => void;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const programs = useProgramsQuery();
  const [programId, setProgramId] = useState(initialProgram || programs.data?.[0]?.id || "");
  const [picked, setMethodKind] = useState<PayoutMethodKind | "">("");
  const candidates = useQuery({
    queryKey: [...adminKeys.payouts, "candidates", programId],
    queryFn: () => api.get<BatchCandidates>(`/v1/payout-batches/candidates?programId=${encodeURIComponent(programId)}`),
    enabled: Boolean(programId),
  });
  const byKind = new Map(candidates.data?.methods.map((m) => [m.methodKind, m]));
  // Until the admin picks, the first method that has something to pay.
  const methodKind: PayoutMethodKind =
    picked || candidates.data?.methods.find((m) => m.payoutCount > 0)?.methodKind || "paypal";
  const chosen = byKind.get(methodKind);
  const nothingAnywhere = candidates.data?.methods.every((m) => m.payoutCount === 0) ?? false;
  const create = useMutation({
    mutationFn: () => api.post<PayoutBatch>("/v1/payout-batches", { programId, methodKind }),
    onSuccess: (batch) => {
      queryClient.invalidateQueries({ queryKey: adminKeys.payouts });
      toast.success(
        `Batch of ${batch.payoutCount} ${batch.payoutCount === 1 ? "payout" : "payouts"} (${formatMoney(batch.total, batch.currency)}) created`,
      );
      onCreated(batch);
    },
  });
  const errors = fieldErrors(create.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <Modal
      open
      onClose={onClose}
      title="Create a payout batch"
      description="Takes the program's pending payouts whose partners are paid by this method. They become processing until you mark the batch paid (files) or send it (Stripe)."
    >
      <form className="stack" onSubmit={submit} noValidate aria-label="Create a payout batch">
        <FormAlert error={create.error} shown={["/programId", "/methodKind"]} />
        <ProgramFilter
          value={programId}
          onChange={(value) => {
            setProgramId(value);
            setMethodKind("");
          }}
          placeholder="Choose a program"
          error={errors["/programId"]}
          className=""
        />
        {candidates.isError && <QueryError error={candidates.error} onRetry={() => candidates.refetch()} />}
        <RadioCards
          legend="Pay by"
          value={methodKind}
          onChange={setMethodKind}
          columns={2}
          options={(Object.keys(payoutMethodLabels) as PayoutMethodKind[]).map((kind) => {
            const pending = byKind.get(kind);
            return {
              value: kind,
              label: payoutMethodLabels[kind],
              disabled: pending !== undefined && pending.payoutCount === 0,
              description: (
                <>
                  <span className="candidate-line">
                    {!programId
                      ? "Choose a program to see what is pending."
                      : !pending
                        ? "Counting pending payouts…"
                        : pending.payoutCount === 0
                          ? "Nothing pending"
                          : `${pending.payoutCount} pending ${pending.payoutCount === 1 ? "payout" : "payouts"} · ${totalsText(pending.totals)}`}
                  </span>
                  {pending && pending.held.payoutCount > 0 && (
                    <span className="candidate-line amount-negative">
                      {pending.held.payoutCount} held: the partner's Stripe account needs attention
                    </span>
                  )}
                  <span className="candidate-line muted">{METHOD_DESCRIPTIONS[kind]}</span>
                </>
              ),
            };
          })}
          error={errors["/methodKind"]}
        />
        {candidates.data && candidates.data.withoutMethod.payoutCount > 0 && (
          <p className="muted small candidate-note" role="note">
            {candidates.data.withoutMethod.payoutCount} pending{" "}
            {candidates.data.withoutMethod.payoutCount === 1 ? "payout" : "payouts"} (
            {totalsText(candidates.data.withoutMethod.totals)}) cannot be batched: the partner has no payout method. You
            can still mark one paid by hand.
          </p>
        )}
        {nothingAnywhere && (
          <p className="alert alert-warning" role="status">
            This program has no pending payouts to batch. Run payouts first, or check the Runs view for who was not paid
            and why.
          </p>
        )}
        <div className="form-actions">
          <Button variant="ghost" onClick={onClose}>
            Cancel
          </Button>
          <Button
            type="submit"
            variant="primary"
            loading={create.isPending}
            disabled={!programId || !chosen || chosen.payoutCount === 0}
          >
            Create batch
          </Button>
        </div>
      </form>
    </Modal>
  );
}

/** The payout a dialog settles, as the list or the drawer knows it. */
export interface SettlePayout {
  payoutId: string;
  partnerId: string;
  label: string;
  amount: number;
  currency: string;
  /** Set once it was batched: it was sent by that method. */
  methodKind: PayoutMethodKind | null;
  methodMasked: string | null;
}

export type SettleTarget =
  | { kind: "batch-paid"; batch: PayoutBatch }
  | ({ kind: "payout-paid" } & SettlePayout)
  | ({ kind: "payout-failed" } & SettlePayout);

/**
 * Records one payout paid by hand: how it was paid (the partner's payout method unless finance says otherwise)
 * and the bank or provider's reference, both kept in the payout's history.
 */
function MarkPayoutPaidDialog({ target, onClose }: { target: SettlePayout; onClose: () => void }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const partnerMethod = useQuery({
    queryKey: [...adminKeys.payouts, "partner-method", target.partnerId],
    queryFn: () =>
      api.get<PayoutMethod>(`/v1/partners/${encodeURIComponent(target.partnerId)}/payout-method`).catch((error) => {
        if (isApiError(error) && error.status === 404) return null;
        throw error;
      }),
    enabled: target.methodKind === null,
  });
  const fixed = target.methodKind;
  const [chosen, setChosen] = useState<PayoutMethodKind | "">("");
  const [reference, setReference] = useState("");
  const defaultKind = fixed ?? partnerMethod.data?.kind ?? "";
  const methodKind = fixed ?? (chosen || defaultKind);
  const save = useMutation({
    mutationFn: () =>
      api.post(`/v1/payouts/${target.payoutId}/mark-paid`, {
        ...(methodKind ? { methodKind } : {}),
        ...(reference.trim() ? { reference: reference.trim() } : {}),
      }),
    onSuccess: () => {
      queryClient.invalidateQueries({ queryKey: adminKeys.payouts });
      queryClient.invalidateQueries({ queryKey: adminKeys.commissions });
      toast.success(`Payout to ${target.label} marked paid by ${methodKind ? payoutMethodLabels[methodKind] : "—"}`);
      onClose();
    },
  });
  const errors = fieldErrors(save.error);
  const [missing, setMissing] = useState(false);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!methodKind) {
      setMissing(true);
      return;
    }
    save.mutate();
  };
  const partnerKind = partnerMethod.data?.kind;
  const describe = (kind: PayoutMethodKind) =>
    kind === partnerKind ? `The partner's method: ${partnerMethod.data?.masked}` : PAID_BY_HAND[kind];
  return (
    <Modal
      open
      onClose={onClose}
      size="sm"
      title={`Mark the payout to ${target.label} paid`}
      description={`${formatMoney(target.amount, target.currency)}: the payout and its commissions become paid. How it was paid and the reference are kept in the payout's history.`}
    >
      <form className="stack" onSubmit={submit} noValidate aria-label="Mark the payout paid">
        <FormAlert error={save.error} shown={["/methodKind", "/reference"]} />
        {fixed ? (
          <div className="field">
            <span className="field-label">Paid by</span>
            <p className="method-fixed">
              {payoutMethodLabels[fixed]}
              {target.methodMasked ? ` · ${target.methodMasked}` : ""}
            </p>
            <p className="field-hint">Sent in a batch by this method.</p>
          </div>
        ) : partnerMethod.isPending ? (
          <p className="muted small">Loading the partner's payout method…</p>
        ) : (
          <>
            {!partnerMethod.data && (
              <p className="alert alert-warning" role="status">
                {target.label} has no payout method on file: say how you paid them.
              </p>
            )}
            <RadioCards
              legend="Paid by"
              value={methodKind as PayoutMethodKind}
              onChange={(kind) => {
                setChosen(kind);
                setMissing(false);
              }}
              columns={2}
              options={(Object.keys(payoutMethodLabels) as PayoutMethodKind[]).map((kind) => ({
                value: kind,
                label:
                  kind === partnerKind ? `${payoutMethodLabels[kind]} (partner's method)` : payoutMethodLabels[kind],
                description: describe(kind),
              }))}
              error={missing ? "Choose how the payout was paid" : errors["/methodKind"]}
            />
          </>
        )}
        <TextField
          label="Reference"
          value={reference}
          onChange={setReference}
          optional
          maxLength={200}
          hint="The bank or provider's transaction reference, for reconciling."
          error={errors["/reference"]}
        />
        <div className="form-actions">
          <Button variant="ghost" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" variant="primary" loading={save.isPending}>
            Mark paid
          </Button>
        </div>
      </form>
    </Modal>
  );
}

const PAID_BY_HAND: Record<PayoutMethodKind, string> = {
  paypal: "Sent from your PayPal account.",
  wise: "Sent from your Wise account.",
  bank: "A transfer from your bank.",
  stripe_connect: "A transfer made in your Stripe dashboard.",
};

/** Mark a payout or a file batch paid (with the bank's reference), or a payout failed (with the reason). */
export function SettleDialog({ target, onClose }: { target: SettleTarget | undefined; onClose: () => void }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const settle = useMutation({
    mutationFn: (text: string) => {
      if (!target) throw new Error("nothing to settle");
      if (target.kind === "batch-paid")
        return api.post(`/v1/payout-batches/${target.batch.id}/mark-paid`, text ? { reference: text } : {});
      return api.post(`/v1/payouts/${target.payoutId}/fail`, { reason: text });
    },
    onSuccess: () => {
      queryClient.invalidateQueries({ queryKey: adminKeys.payouts });
      queryClient.invalidateQueries({ queryKey: adminKeys.commissions });
      toast.success(
        target?.kind === "batch-paid"
          ? "Batch marked paid"
          : "Transfer marked failed: the amount is back in the partner's balance for the next payout run",
      );
      onClose();
    },
  });
  if (!target) return null;
  if (target.kind === "payout-paid") return <MarkPayoutPaidDialog target={target} onClose={onClose} />;
  const failing = target.kind === "payout-failed";
  return (
    <ReasonDialog
      open
      title={
        target.kind === "batch-paid"
          ? `Mark the ${payoutMethodLabels[target.batch.methodKind]} batch paid`
          : `Mark the transfer to ${target.label} failed`
      }
      description={
        target.kind === "batch-paid"
          ? `${target.batch.payoutCount} payouts, ${formatMoney(target.batch.total, target.batch.currency)}: the processing ones become paid, and so do their commissions.`
          : `${formatMoney(target.amount, target.currency)} did not reach the partner (bounced, returned, or not sent). The payout is closed as failed and the amount goes back to the partner's balance: the next payout run pays it again, once any problem with their payout method is fixed.`
      }
      label={failing ? "Reason" : "Reference"}
      rows={failing ? 3 : 2}
      hint={
        failing
          ? 'What went wrong, e.g. "account closed". The partner sees it with the payout.'
          : "The bank or provider's reference, for reconciling."
      }
      confirmLabel={failing ? "Mark failed" : "Mark paid"}
      danger={failing}
      reasonRequired={failing}
      pending={settle.isPending}
      error={settle.error}
      onConfirm={(text) => settle.mutate(text)}
      onClose={onClose}
    />
  );
}
