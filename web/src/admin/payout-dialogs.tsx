import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { api } from "../shared/api.js";
import { Button } from "../shared/button.js";
import { FormAlert } from "../shared/form-alert.js";
import { fieldErrors } from "../shared/form-errors.js";
import { formatDate } from "../shared/format.js";
import { payoutMethodLabels } from "../shared/labels.js";
import { Modal } from "../shared/modal.js";
import { formatMoney } from "../shared/money.js";
import { RadioCards } from "../shared/radio-cards.js";
import { TextField } from "../shared/text-field.js";
import { useToast } from "../shared/toast.js";
import type { PayoutBatch, PayoutMethodKind, PayoutRunResult } from "../shared/types.js";
import { adminKeys, useProgramsQuery } from "./admin-queries.js";
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
                  <span className="cell-sub">{s.message}</span>
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
  const [methodKind, setMethodKind] = useState<PayoutMethodKind>("paypal");
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
          onChange={setProgramId}
          placeholder="Choose a program"
          error={errors["/programId"]}
          className=""
        />
        <RadioCards
          legend="Pay by"
          value={methodKind}
          onChange={setMethodKind}
          columns={2}
          options={(Object.keys(payoutMethodLabels) as PayoutMethodKind[]).map((kind) => ({
            value: kind,
            label: payoutMethodLabels[kind],
            description: METHOD_DESCRIPTIONS[kind],
          }))}
          error={errors["/methodKind"]}
        />
        <div className="form-actions">
          <Button variant="ghost" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" variant="primary" loading={create.isPending} disabled={!programId}>
            Create batch
          </Button>
        </div>
      </form>
    </Modal>
  );
}

/** Mark a payout or a file batch paid (with the bank's reference), or a payout failed (with the reason). */
export function SettleDialog({
  target,
  onClose,
}: {
  target:
    | { kind: "batch-paid"; batch: PayoutBatch }
    | { kind: "payout-paid"; payoutId: string; label: string }
    | { kind: "payout-failed"; payoutId: string; label: string }
    | undefined;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const settle = useMutation({
    mutationFn: (text: string) => {
      if (!target) throw new Error("nothing to settle");
      if (target.kind === "batch-paid")
        return api.post(`/v1/payout-batches/${target.batch.id}/mark-paid`, text ? { reference: text } : {});
      if (target.kind === "payout-paid")
        return api.post(`/v1/payouts/${target.payoutId}/mark-paid`, text ? { reference: text } : {});
      return api.post(`/v1/payouts/${target.payoutId}/fail`, { reason: text });
    },
    onSuccess: () => {
      queryClient.invalidateQueries({ queryKey: adminKeys.payouts });
      queryClient.invalidateQueries({ queryKey: adminKeys.commissions });
      toast.success(
        target?.kind === "batch-paid"
          ? "Batch marked paid"
          : target?.kind === "payout-paid"
            ? "Payout marked paid"
            : "Payout marked failed: its amount is back in the partner's balance",
      );
      onClose();
    },
  });
  if (!target) return null;
  const failing = target.kind === "payout-failed";
  return (
    <ReasonDialog
      open
      title={
        target.kind === "batch-paid"
          ? `Mark the ${payoutMethodLabels[target.batch.methodKind]} batch paid`
          : failing
            ? `Payout to ${target.label} failed`
            : `Mark the payout to ${target.label} paid`
      }
      description={
        target.kind === "batch-paid"
          ? `${target.batch.payoutCount} payouts, ${formatMoney(target.batch.total, target.batch.currency)}: the processing ones become paid, and so do their commissions.`
          : failing
            ? "The payout is failed and its amount returns to the partner's balance for the next run."
            : "The payout and its commissions become paid."
      }
      label={failing ? "Reason" : "Reference"}
      rows={failing ? 3 : 2}
      hint={failing ? "The partner sees this with the payout." : "The bank or provider's reference, for reconciling."}
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
