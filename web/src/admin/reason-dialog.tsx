import { type FormEvent, useEffect, useRef, useState } from "react";
import { Button } from "../shared/button.js";
import { FormAlert } from "../shared/form-alert.js";
import { fieldErrors } from "../shared/form-errors.js";
import { Modal } from "../shared/modal.js";
import { TextAreaField } from "../shared/textarea-field.js";

interface ReasonDialogProps {
  open: boolean;
  title: string;
  description: string;
  confirmLabel: string;
  danger?: boolean;
  reasonRequired: boolean;
  /** Who reads the reason; by default the partner, in their portal. */
  hint?: string;
  /** The field's label ("Reason" by default; "Reference" to record a payment). */
  label?: string;
  rows?: number;
  /** A second, optional field for what the partner reads, when the reason stays with the team. */
  message?: { label: string; hint: string };
  pending: boolean;
  error: unknown;
  onConfirm: (reason: string, message?: string) => void;
  onClose: () => void;
}

/** Asks for the reason of a decision (required to reject, suspend or terminate a partner, to hold or reject a commission). */
export function ReasonDialog(props: ReasonDialogProps) {
  const [reason, setReason] = useState("");
  const [message, setMessage] = useState("");
  const [missing, setMissing] = useState(false);
  // Each refused submit: the field is focused again, so a screen reader reads its error (and the alert says it).
  const [attempts, setAttempts] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (attempts > 0) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [attempts]);
  const close = () => {
    setReason("");
    setMessage("");
    setMissing(false);
    props.onClose();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (props.reasonRequired && !reason.trim()) {
      setMissing(true);
      setAttempts((n) => n + 1);
      return;
    }
    props.onConfirm(reason.trim(), props.message ? message.trim() || undefined : undefined);
  };
  const serverError = fieldErrors(props.error)["/reason"];
  return (
    <Modal open={props.open} onClose={close} title={props.title} description={props.description} size="sm">
      <form ref={formRef} className="stack" onSubmit={submit} noValidate>
        <FormAlert error={props.error} shown={["/reason", "/reference", "/message"]} />
        <TextAreaField
          label={props.label ?? "Reason"}
          value={reason}
          onChange={(value) => {
            setReason(value);
            if (value.trim()) setMissing(false);
          }}
          rows={props.rows ?? 4}
          maxLength={2000}
          required={props.reasonRequired}
          optional={!props.reasonRequired}
          hint={props.hint ?? "The partner sees this in their portal."}
          error={
            missing
              ? `Give a ${(props.label ?? "reason").toLowerCase()}`
              : (serverError ?? fieldErrors(props.error)["/reference"])
          }
          autoFocus
        />
        {props.message && (
          <TextAreaField
            label={props.message.label}
            value={message}
            onChange={setMessage}
            rows={3}
            maxLength={2000}
            optional
            hint={props.message.hint}
            error={fieldErrors(props.error)["/message"]}
          />
        )}
        <div className="form-actions">
          <Button variant="ghost" onClick={close}>
            Cancel
          </Button>
          <Button type="submit" variant={props.danger ? "danger" : "primary"} loading={props.pending}>
            {props.confirmLabel}
          </Button>
        </div>
      </form>
    </Modal>
  );
}
