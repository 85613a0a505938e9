import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "../shared/api.js";
import { Button } from "../shared/button.js";
import { CheckboxField } from "../shared/checkbox-field.js";
import { FormAlert } from "../shared/form-alert.js";
import { Modal } from "../shared/modal.js";
import { useToast } from "../shared/toast.js";
import type { Enrollment, PortalEnrollment } from "../shared/types.js";
import { portalKeys } from "./portal-queries.js";

/** The program terms in full, accepted for the version shown. */
export function TermsDialog({ enrollment, onClose }: { enrollment: PortalEnrollment; onClose: () => void }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const [agreed, setAgreed] = useState(false);
  const { termsText, termsVersion, name } = enrollment.programDetails;
  const accept = useMutation({
    mutationFn: () => api.post<Enrollment>(`/v1/portal/enrollments/${enrollment.id}/accept-terms`, { termsVersion }),
    onSuccess: (updated) => {
      queryClient.invalidateQueries({ queryKey: portalKeys.enrollments });
      const activated = enrollment.status !== "active" && updated.status === "active";
      toast.success(activated ? `You're now active in ${name}` : `${name} terms v${termsVersion} accepted`);
      onClose();
    },
  });
  return (
    <Modal
      open
      onClose={onClose}
      title={`${name} terms`}
      description={`Version ${termsVersion}`}
      size="lg"
      footer={
        <>
          <Button variant="ghost" onClick={onClose}>
            Cancel
          </Button>
          <Button variant="primary" disabled={!agreed} loading={accept.isPending} onClick={() => accept.mutate()}>
            Accept and continue
          </Button>
        </>
      }
    >
      <div className="stack">
        <FormAlert error={accept.error} />
        <section className="terms-box terms-box-tall" aria-label="Program terms">
          {termsText || "This program has no written terms."}
        </section>
        <CheckboxField
          label={`I accept the ${name} terms (version ${termsVersion})`}
          checked={agreed}
          onChange={setAgreed}
        />
      </div>
    </Modal>
  );
}
