import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useRef, useState } from "react";
import { api } from "../shared/api.js";
import { Button } from "../shared/button.js";
import { FormAlert } from "../shared/form-alert.js";
import { fieldErrors } from "../shared/form-errors.js";
import { TagIcon } from "../shared/icons.js";
import { Modal } from "../shared/modal.js";
import { SelectField } from "../shared/select-field.js";
import { TextField } from "../shared/text-field.js";
import { useToast } from "../shared/toast.js";
import type { Coupon } from "../shared/types.js";
import { useFocusFirstError } from "../shared/use-focus-first-error.js";
import { adminKeys } from "./admin-queries.js";

/** Bind a checkout coupon code to a partner's enrollment: orders using it are credited to that partner. */
export function NewCouponDialog({
  enrollments,
  enrollmentLabel,
  onClose,
}: {
  enrollments: { id: string; label: string }[];
  enrollmentLabel: string;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const [chosen, setChosen] = useState("");
  // Among several partners one is chosen on purpose (the first in the list is easily the wrong one). What is
  // submitted is always what the select shows, also when the list arrives after the dialog opened.
  const mustChoose = enrollmentLabel === "Partner" && enrollments.length > 1;
  const enrollmentId = enrollments.some((e) => e.id === chosen) ? chosen : mustChoose ? "" : (enrollments[0]?.id ?? "");
  const [unchosen, setUnchosen] = useState(false);
  const [code, setCode] = useState("");
  const formRef = useRef<HTMLFormElement>(null);
  const selectRef = useRef<HTMLSelectElement>(null);
  const mutation = useMutation({
    mutationFn: () => api.post<Coupon>("/v1/coupons", { enrollmentId, code: code.trim() }),
    onSuccess: (coupon) => {
      queryClient.invalidateQueries({ queryKey: adminKeys.coupons });
      toast.success(`Coupon ${coupon.code} created`);
      onClose();
    },
  });
  useFocusFirstError(formRef, mutation.error);
  const errors = fieldErrors(mutation.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setUnchosen(enrollmentId === "");
    if (enrollmentId === "") {
      mutation.reset();
      selectRef.current?.focus();
      return;
    }
    mutation.mutate();
  };
  const choose = `Choose a ${enrollmentLabel.toLowerCase()}`;
  return (
    <Modal
      open
      onClose={onClose}
      title="New coupon code"
      description="Orders that use this code at checkout are credited to the partner, even without a click."
    >
      <form ref={formRef} className="stack" onSubmit={submit} noValidate>
        <FormAlert error={mutation.error} shown={["/enrollmentId", "/code"]} />
        {enrollments.length === 0 ? (
          <p className="alert alert-warning">No approved or active partners yet: approve a partner first.</p>
        ) : (
          <SelectField
            ref={selectRef}
            label={enrollmentLabel}
            value={enrollmentId}
            onChange={(id) => {
              setChosen(id);
              setUnchosen(false);
            }}
            options={enrollments.map((e) => ({ value: e.id, label: e.label }))}
            placeholder={mustChoose || enrollmentId === "" ? choose : undefined}
            error={unchosen ? choose : errors["/enrollmentId"]}
            required
          />
        )}
        <TextField
          label="Code"
          value={code}
          onChange={(value) => setCode(value.toUpperCase())}
          placeholder="SPRING20"
          hint="Letters, digits, - and _ (2–40). Unique in the program, whatever the case."
          error={errors["/code"]}
          className="input-code"
          required
        />
        <div className="form-actions">
          <Button variant="ghost" onClick={onClose}>
            Cancel
          </Button>
          <Button
            type="submit"
            variant="primary"
            icon={<TagIcon size={16} />}
            loading={mutation.isPending}
            disabled={enrollments.length === 0}
          >
            Create coupon
          </Button>
        </div>
      </form>
    </Modal>
  );
}
