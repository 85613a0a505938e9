import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useRef, useState } from "react";
import { api } from "../shared/api.js";
import { Button } from "../shared/button.js";
import { FormAlert } from "../shared/form-alert.js";
import { fieldErrors } from "../shared/form-errors.js";
import { formatUtcDate } from "../shared/format.js";
import { payoutScheduleLabels } from "../shared/labels.js";
import { Modal } from "../shared/modal.js";
import { formatMoney, parseMoney } from "../shared/money.js";
import { MoneyField } from "../shared/money-field.js";
import { payableFrom } from "../shared/payout-schedule.js";
import { SegmentedControl } from "../shared/segmented-control.js";
import { TextAreaField } from "../shared/textarea-field.js";
import { useToast } from "../shared/toast.js";
import type { CommissionEntry, Program } from "../shared/types.js";
import { useFocusFirstError } from "../shared/use-focus-first-error.js";
import { adminKeys, useProgramsQuery } from "./admin-queries.js";
import { PartnerSelect } from "./partner-select.js";
import { ProgramFilter } from "./program-filter.js";

type Direction = "credit" | "debit";

/** The API's bound on one adjustment, in minor units of the program currency (either direction). */
const ADJUSTMENT_LIMIT = 1_000_000_000_000;

/** When the adjustment reaches the partner: a credit on the program's payout schedule, a debit at the next payout. */
function whenPaid(direction: Direction, program: Program | undefined): string {
  if (direction === "debit") return "A debit is taken off the partner's next payout.";
  if (!program) return "A credit is paid on the program's payout schedule.";
  const from = payableFrom(program.payoutSchedule, new Date()).toISOString();
  const schedule = program.payoutSchedule === "monthly" ? "monthly" : payoutScheduleLabels[program.payoutSchedule];
  return `A credit is due for payout from ${formatUtcDate(from)} on the program's ${schedule} schedule.`;
}

/** A manual credit or debit to a partner's balance: approved at once, audited, and the reason is required. */
export function AdjustmentDialog({
  programId: initialProgram = "",
  partnerId: initialPartner = "",
  onClose,
}: {
  programId?: string;
  partnerId?: string;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const programs = useProgramsQuery();
  const formRef = useRef<HTMLFormElement>(null);
  const [programId, setProgramId] = useState(initialProgram);
  const [partnerId, setPartnerId] = useState(initialPartner);
  const [direction, setDirection] = useState<Direction>("credit");
  const [amount, setAmount] = useState("");
  const [reason, setReason] = useState("");
  const [local, setLocal] = useState<Record<string, string>>({});
  const program = programs.data?.find((p) => p.id === programId);
  const currency = program?.currency ?? "USD";
  const save = useMutation({
    mutationFn: (minor: number) =>
      api.post<CommissionEntry>("/v1/commissions/adjustments", {
        programId,
        partnerId,
        amount: direction === "debit" ? -minor : minor,
        reason: reason.trim(),
      }),
    onSuccess: (entry) => {
      queryClient.invalidateQueries({ queryKey: adminKeys.commissions });
      toast.success(`Adjustment of ${formatMoney(entry.amount, entry.currency)} recorded`);
      onClose();
    },
  });
  useFocusFirstError(formRef, save.error);
  const errors = { ...fieldErrors(save.error), ...local };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problems: Record<string, string> = {};
    if (!programId) problems["/programId"] = "Choose the program";
    if (!partnerId) problems["/partnerId"] = "Choose the partner";
    const parsed = parseMoney(amount, currency);
    if (!parsed.ok) problems["/amount"] = parsed.error;
    else if (parsed.value === 0) problems["/amount"] = "An adjustment of zero changes nothing";
    else if (parsed.value > ADJUSTMENT_LIMIT)
      problems["/amount"] = `Use at most ${formatMoney(ADJUSTMENT_LIMIT, currency)} in one adjustment`;
    if (reason.trim().length < 3)
      problems["/reason"] = "Say why (at least 3 characters): the partner and the audit log keep it";
    setLocal(problems);
    if (Object.keys(problems).length > 0 || !parsed.ok) return;
    save.mutate(parsed.value);
  };
  return (
    <Modal
      open
      onClose={onClose}
      title="Manual adjustment"
      description="A credit or debit to a partner's balance, approved at once. It is audited."
    >
      <form ref={formRef} className="stack" onSubmit={submit} noValidate aria-label="Manual adjustment">
        <FormAlert error={save.error} shown={["/programId", "/partnerId", "/amount", "/reason"]} />
        <div className="grid-2">
          <ProgramFilter
            value={programId}
            onChange={(v) => {
              setProgramId(v);
              setPartnerId("");
            }}
            placeholder="Choose a program"
            error={errors["/programId"]}
            className=""
          />
          <PartnerSelect
            programId={programId || undefined}
            value={partnerId}
            onChange={setPartnerId}
            placeholder={programId ? "Choose a partner" : "Choose a program first"}
            statuses={["approved", "active", "suspended", "terminated"]}
            error={errors["/partnerId"]}
          />
        </div>
        <SegmentedControl
          label="Direction"
          value={direction}
          options={[
            { value: "credit", label: "Credit (pay more)" },
            { value: "debit", label: "Debit (take back)" },
          ]}
          onChange={setDirection}
        />
        <MoneyField
          label="Amount"
          currency={currency}
          value={amount}
          onChange={setAmount}
          placeholder="50.00"
          hint={`In ${currency}, the program's currency. ${whenPaid(direction, program)}`}
          error={errors["/amount"]}
          required
        />
        <TextAreaField
          label="Reason"
          value={reason}
          onChange={setReason}
          rows={3}
          maxLength={500}
          hint="Shown on the partner's earnings and statement."
          error={errors["/reason"]}
          required
        />
        <div className="form-actions">
          <Button variant="ghost" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" variant="primary" loading={save.isPending}>
            Record adjustment
          </Button>
        </div>
      </form>
    </Modal>
  );
}
