import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, isApiError } from "../shared/api.js";
import { Button } from "../shared/button.js";
import { enrollmentActionSpecs, enrollmentActions, enrollmentStatusLabels } from "../shared/labels.js";
import { useToast } from "../shared/toast.js";
import type { Enrollment, EnrollmentAction } from "../shared/types.js";
import { ReasonDialog } from "./reason-dialog.js";

interface EnrollmentActionsProps {
  enrollment: Enrollment;
  partnerName: string;
  programName: string;
  size?: "sm" | "md";
  /** Limit the buttons (the review page offers only approve and reject). */
  only?: EnrollmentAction[];
  onDone?: (updated: Enrollment, action: EnrollmentAction) => void;
}

/** Lifecycle buttons for one enrollment; a reason dialog where the server requires one; 409s shown as they come. */
export function EnrollmentActions({
  enrollment,
  partnerName,
  programName,
  size = "sm",
  only = enrollmentActions,
  onDone,
}: EnrollmentActionsProps) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const [dialog, setDialog] = useState<EnrollmentAction>();
  const mutation = useMutation({
    mutationFn: ({ action, reason }: { action: EnrollmentAction; reason?: string }) =>
      api.post<Enrollment>(`/v1/enrollments/${enrollment.id}/${action}`, reason ? { reason } : {}),
    onSuccess: (updated, { action }) => {
      setDialog(undefined);
      const spec = enrollmentActionSpecs[action];
      const now = updated.status !== spec.to ? ` · now ${enrollmentStatusLabels[updated.status]}` : "";
      toast.success(`${partnerName} ${spec.verb} in ${programName}${now}`);
      queryClient.invalidateQueries({ queryKey: ["admin"] });
      onDone?.(updated, action);
    },
    onError: (error) => {
      // In the dialog the error shows inline; a direct action reports it here.
      if (!dialog) toast.error(error.message);
      // A 409 means this page is out of date: show the real state.
      if (isApiError(error) && error.status === 409) queryClient.invalidateQueries({ queryKey: ["admin"] });
    },
  });
  const available = only.filter((action) => enrollmentActionSpecs[action].from.includes(enrollment.status));
  if (available.length === 0) return null;
  const current = dialog ? enrollmentActionSpecs[dialog] : undefined;
  return (
    <div className="action-row">
      {available.map((action) => {
        const spec = enrollmentActionSpecs[action];
        return (
          <Button
            key={action}
            size={size === "sm" ? "sm" : "md"}
            variant={spec.tone === "danger" ? "danger" : spec.tone === "primary" ? "primary" : "secondary"}
            loading={mutation.isPending && mutation.variables?.action === action && !dialog}
            disabled={mutation.isPending}
            onClick={() => {
              mutation.reset();
              if (spec.reasonRequired) setDialog(action);
              else mutation.mutate({ action });
            }}
          >
            {spec.label}
          </Button>
        );
      })}
      {current && dialog && (
        <ReasonDialog
          open
          title={`${current.label} ${partnerName}?`}
          description={`${programName}: the enrollment becomes ${enrollmentStatusLabels[current.to].toLowerCase()}.`}
          confirmLabel={current.label}
          danger={current.tone === "danger"}
          reasonRequired={current.reasonRequired}
          pending={mutation.isPending}
          error={mutation.error}
          onConfirm={(reason) => mutation.mutate({ action: dialog, reason })}
          onClose={() => setDialog(undefined)}
        />
      )}
    </div>
  );
}
