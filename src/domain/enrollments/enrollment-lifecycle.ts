import type { EnrollmentStatus } from "../../db/schema/index.js";

export const enrollmentActions = ["approve", "reject", "activate", "suspend", "terminate"] as const;
export type EnrollmentAction = (typeof enrollmentActions)[number];

interface Transition {
  from: readonly EnrollmentStatus[];
  to: EnrollmentStatus;
  reasonRequired: boolean;
}

/** applied → approved | rejected; approved → active ⇄ suspended; any → terminated (with a reason). */
export const enrollmentTransitions: Record<EnrollmentAction, Transition> = {
  approve: { from: ["applied"], to: "approved", reasonRequired: false },
  reject: { from: ["applied"], to: "rejected", reasonRequired: true },
  activate: { from: ["approved", "suspended"], to: "active", reasonRequired: false },
  suspend: { from: ["active"], to: "suspended", reasonRequired: true },
  terminate: {
    from: ["applied", "approved", "rejected", "active", "suspended"],
    to: "terminated",
    reasonRequired: true,
  },
};

export type TransitionPlan =
  | { ok: true; to: EnrollmentStatus }
  | { ok: false; error: "invalid_transition"; from: EnrollmentStatus; action: EnrollmentAction }
  | { ok: false; error: "reason_required"; action: EnrollmentAction };

export function planEnrollmentTransition(
  current: EnrollmentStatus,
  action: EnrollmentAction,
  reason: string | undefined,
): TransitionPlan {
  const transition = enrollmentTransitions[action];
  if (!transition.from.includes(current)) return { ok: false, error: "invalid_transition", from: current, action };
  if (transition.reasonRequired && !reason?.trim()) return { ok: false, error: "reason_required", action };
  return { ok: true, to: transition.to };
}
