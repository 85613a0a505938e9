import { Badge, type BadgeTone } from "./badge.js";
import {
  commissionStatusLabels,
  enrollmentStatusLabels,
  payoutStatusLabels,
  portalStatusLabels,
  programStatusLabels,
} from "./labels.js";
import type { CommissionStatus, EnrollmentStatus, InvitationStatus, PayoutStatus, ProgramStatus } from "./types.js";

export const enrollmentTones: Record<EnrollmentStatus, BadgeTone> = {
  applied: "warning",
  approved: "info",
  active: "success",
  suspended: "orange",
  rejected: "danger",
  terminated: "muted",
};

export function EnrollmentStatusBadge({ status, portal = false }: { status: EnrollmentStatus; portal?: boolean }) {
  return <Badge tone={enrollmentTones[status]}>{(portal ? portalStatusLabels : enrollmentStatusLabels)[status]}</Badge>;
}

const programTones: Record<ProgramStatus, BadgeTone> = {
  draft: "neutral",
  active: "success",
  paused: "warning",
  archived: "muted",
};

export function ProgramStatusBadge({ status }: { status: ProgramStatus }) {
  return <Badge tone={programTones[status]}>{programStatusLabels[status]}</Badge>;
}

const invitationTones: Record<InvitationStatus, BadgeTone> = {
  pending: "info",
  accepted: "success",
  expired: "muted",
  revoked: "danger",
};

export function InvitationStatusBadge({ status }: { status: InvitationStatus }) {
  return <Badge tone={invitationTones[status]}>{status[0]?.toUpperCase() + status.slice(1)}</Badge>;
}

export const commissionTones: Record<CommissionStatus, BadgeTone> = {
  pending: "warning",
  approved: "info",
  held: "orange",
  rejected: "danger",
  paid: "success",
};

export function CommissionStatusBadge({ status }: { status: CommissionStatus }) {
  return <Badge tone={commissionTones[status]}>{commissionStatusLabels[status]}</Badge>;
}

const payoutTones: Record<PayoutStatus, BadgeTone> = {
  pending: "warning",
  processing: "info",
  paid: "success",
  failed: "danger",
};

export function PayoutStatusBadge({ status }: { status: PayoutStatus }) {
  return <Badge tone={payoutTones[status]}>{payoutStatusLabels[status]}</Badge>;
}
