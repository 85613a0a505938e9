import type {
  AttributionModel,
  CommissionKind,
  CommissionStatus,
  ConversionKind,
  ConversionSource,
  CouponPrecedence,
  EnrollmentAction,
  EnrollmentStatus,
  Metric,
  PartnerType,
  PayoutMethodKind,
  PayoutSchedule,
  PayoutStatus,
  PeriodKind,
  PlanScope,
  ProgramStatus,
  ProgramType,
  QuestionType,
  ReferralReward,
  RuleEvent,
  TaxForm,
  TeamRole,
} from "./types.js";

export const programTypeLabels: Record<ProgramType, string> = {
  affiliate: "Affiliate",
  referral: "Customer referral",
  reseller: "Reseller",
  msp: "Managed service provider",
  si: "Systems integrator",
  isv: "Technology (ISV)",
  influencer: "Influencer",
};

export const programStatusLabels: Record<ProgramStatus, string> = {
  draft: "Draft",
  active: "Active",
  paused: "Paused",
  archived: "Archived",
};

export const partnerTypeLabels: Record<PartnerType, string> = {
  affiliate: "Affiliate",
  referrer: "Referrer",
  reseller: "Reseller",
  msp: "MSP",
  integrator: "Integrator",
  technology: "Technology",
  influencer: "Influencer",
  agency: "Agency",
};

export const enrollmentStatusLabels: Record<EnrollmentStatus, string> = {
  applied: "Applied",
  approved: "Approved",
  rejected: "Rejected",
  active: "Active",
  suspended: "Suspended",
  terminated: "Terminated",
};

/** What a partner reads about its own enrollment. */
export const portalStatusLabels: Record<EnrollmentStatus, string> = {
  applied: "Under review",
  approved: "Approved",
  rejected: "Rejected",
  active: "Active",
  suspended: "Suspended",
  terminated: "Terminated",
};

export const enrollmentStatuses: EnrollmentStatus[] = [
  "applied",
  "approved",
  "active",
  "suspended",
  "rejected",
  "terminated",
];

export const enrollmentSourceLabels: Record<string, string> = {
  application: "Applied",
  invitation: "Invited",
  manual: "Added by the team",
};

export const questionTypeLabels: Record<QuestionType, string> = {
  text: "Short text",
  long_text: "Paragraph",
  select: "Choice list",
  url: "Website address",
  number: "Number",
};

export const teamRoleLabels: Record<TeamRole, string> = {
  owner: "Owner",
  manager: "Manager",
  finance: "Finance",
  viewer: "Viewer",
};

export const teamRoleDescriptions: Record<TeamRole, string> = {
  owner: "Everything, including team members",
  manager: "Programs, partners, API keys and the audit log",
  finance: "Read access plus the audit log",
  viewer: "Read-only access",
};

export interface ActionSpec {
  label: string;
  verb: string;
  from: EnrollmentStatus[];
  to: EnrollmentStatus;
  reasonRequired: boolean;
  tone: "primary" | "secondary" | "danger";
}

/** Mirrors the server's lifecycle so only sensible buttons show; the server still decides (409 otherwise). */
export const enrollmentActionSpecs: Record<EnrollmentAction, ActionSpec> = {
  approve: {
    label: "Approve",
    verb: "approved",
    from: ["applied"],
    to: "approved",
    reasonRequired: false,
    tone: "primary",
  },
  reject: {
    label: "Reject",
    verb: "rejected",
    from: ["applied"],
    to: "rejected",
    reasonRequired: true,
    tone: "danger",
  },
  activate: {
    label: "Activate",
    verb: "activated",
    from: ["approved", "suspended"],
    to: "active",
    reasonRequired: false,
    tone: "primary",
  },
  suspend: {
    label: "Suspend",
    verb: "suspended",
    from: ["active"],
    to: "suspended",
    reasonRequired: true,
    tone: "secondary",
  },
  terminate: {
    label: "Terminate",
    verb: "terminated",
    from: ["applied", "approved", "rejected", "active", "suspended"],
    to: "terminated",
    reasonRequired: true,
    tone: "danger",
  },
};

export const enrollmentActions: EnrollmentAction[] = ["approve", "reject", "activate", "suspend", "terminate"];

export function labelOf<K extends string>(labels: Record<K, string>, key: string): string {
  return (labels as Record<string, string>)[key] ?? key;
}

export const attributionModelLabels: Record<AttributionModel, string> = {
  last_click: "Last click",
  first_click: "First click",
  linear: "Linear",
  position_based: "Position-based",
  time_decay: "Time decay",
};

/** One line each, shown next to the choice. */
export const attributionModelDescriptions: Record<AttributionModel, string> = {
  last_click: "The partner whose link the customer clicked last gets all the credit.",
  first_click: "The partner who first introduced the customer gets all the credit.",
  linear: "Every partner the customer clicked gets an equal share.",
  position_based: "40% to the first and 40% to the last partner; the 20% left is shared by those in between.",
  time_decay: "Everyone gets a share, and recent clicks count more: a click loses half its weight per half-life.",
};

/** What decided a conversion's credit: one of the program's models, or what takes precedence over them. */
export type DecisionModel = AttributionModel | "coupon" | "lifetime_binding";

export const decisionModelLabels: Record<DecisionModel, string> = {
  ...attributionModelLabels,
  coupon: "Coupon code",
  lifetime_binding: "Lifetime binding",
};

export const decisionModelDescriptions: Record<DecisionModel, string> = {
  ...attributionModelDescriptions,
  coupon: "The partner whose coupon code the customer used gets all the credit.",
  lifetime_binding: "The customer is bound to the partner who first brought them, who gets all the credit.",
};

export const couponPrecedenceLabels: Record<CouponPrecedence, string> = {
  coupon_over_cookie: "The coupon code wins",
  cookie_over_coupon: "The click wins",
};

export const conversionKindLabels: Record<ConversionKind, string> = {
  lead: "Lead",
  sale: "Sale",
  refund: "Refund",
};

export const conversionSourceLabels: Record<ConversionSource, string> = {
  partner_sourced: "Partner-sourced",
  partner_influenced: "Partner-influenced",
};

/** Why a touchpoint did not earn credit (the attribution engine's reason codes). */
export const touchpointReasonLabels: Record<string, string> = {
  other_program: "Other program",
  outside_window: "Outside the cookie window",
  after_conversion: "Clicked after the conversion",
  partner_not_active: "Partner not active",
  duplicate: "Duplicate click",
  overridden_by_coupon: "Overridden by the coupon",
  overridden_by_binding: "Overridden by the lifetime binding",
  overridden_by_cookie: "Overridden by cookie attribution",
  no_touchpoints: "No click id, touchpoints or coupon code sent",
  rejected_click_id: "A click id failed its signature check",
  unknown_coupon: "No active partner holds the coupon code",
  all_touchpoints_excluded: "Every click was excluded",
};

export const couponOutcomeLabels: Record<string, string> = {
  applied: "Credited",
  overridden_by_cookie: "Overridden by a click",
  overridden_by_binding: "Overridden by the lifetime binding",
  partner_not_active: "Not applied: partner not active",
};

export const clickSourceLabels: Record<string, string> = {
  redirect: "Link",
  snippet: "Site snippet",
};

/** How a conversion presented a click: as its clickId, among its touchpoints, or through its customer. */
export const touchpointSourceLabels: Record<string, string> = {
  click_id: "Sent as clickId",
  cookie: "From touchpoints",
  // Remembered from the customer's earlier lead or sale: a sale names the customer, not its clicks again.
  stored: "From the customer's earlier conversion",
};

export const rejectedClickIdLabels: Record<string, string> = {
  malformed: "Not a click id",
  unknown_key: "Signed with an unknown key",
  bad_signature: "Signature does not match (altered)",
};

export const commissionStatusLabels: Record<CommissionStatus, string> = {
  pending: "Pending",
  approved: "Approved",
  held: "On hold",
  rejected: "Rejected",
  paid: "Paid",
};

export const commissionKindLabels: Record<CommissionKind, string> = {
  commission: "Commission",
  override: "Override",
  bonus: "Bonus",
  reversal: "Reversal",
  clawback: "Clawback",
  adjustment: "Adjustment",
};

export const planScopeLabels: Record<PlanScope, string> = {
  program: "Everyone in the program",
  tier: "A partner tier",
  partner: "One partner",
};

export const ruleEventLabels: Record<RuleEvent, string> = {
  sale: "Any sale",
  first_sale: "A customer's first sale",
  recurring_sale: "Recurring sales",
  lead: "Lead",
};

export const periodLabels: Record<PeriodKind, string> = {
  calendar_month: "Calendar month",
  rolling_30_days: "Rolling 30 days",
};

export const metricLabels: Record<Metric, string> = {
  sales_count: "Sales",
  revenue: "Revenue",
};

export const referralRewardLabels: Record<ReferralReward["kind"], string> = {
  discount_percent: "Discount (%)",
  discount_amount: "Discount (amount)",
  credit: "Account credit",
};

export const payoutStatusLabels: Record<PayoutStatus, string> = {
  pending: "Pending",
  processing: "Processing",
  paid: "Paid",
  failed: "Failed",
};

export const payoutMethodLabels: Record<PayoutMethodKind, string> = {
  paypal: "PayPal",
  wise: "Wise",
  bank: "Bank transfer",
  stripe_connect: "Stripe Connect",
};

export const taxFormLabels: Record<TaxForm, string> = {
  w9: "W-9",
  w8ben: "W-8BEN",
  w8ben_e: "W-8BEN-E",
  not_required: "Not required (country)",
};

export const payoutScheduleLabels: Record<PayoutSchedule, string> = {
  monthly: "Monthly",
  net_15: "NET-15",
  net_30: "NET-30",
  net_60: "NET-60",
};

export const payoutScheduleDescriptions: Record<PayoutSchedule, string> = {
  monthly: "Commissions approved before the 1st of the month are paid that month.",
  net_15: "A month's commissions are paid 15 days after the month ends.",
  net_30: "A month's commissions are paid 30 days after the month ends.",
  net_60: "A month's commissions are paid 60 days after the month ends.",
};
