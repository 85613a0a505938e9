/** Shapes of the API's JSON, as published in GET /openapi.json. */

export type ProgramType = "affiliate" | "referral" | "reseller" | "msp" | "si" | "isv" | "influencer";
export type ProgramStatus = "draft" | "active" | "paused" | "archived";
export type QuestionType = "text" | "long_text" | "select" | "url" | "number";
export type PartnerType =
  | "affiliate"
  | "referrer"
  | "reseller"
  | "msp"
  | "integrator"
  | "technology"
  | "influencer"
  | "agency";
export type EnrollmentStatus = "applied" | "approved" | "rejected" | "active" | "suspended" | "terminated";
export type EnrollmentAction = "approve" | "reject" | "activate" | "suspend" | "terminate";
export type TeamRole = "owner" | "manager" | "finance" | "viewer";
export type InvitationStatus = "pending" | "accepted" | "expired" | "revoked";
export type AttributionModel = "first_click" | "last_click" | "linear" | "position_based" | "time_decay";
export type CouponPrecedence = "coupon_over_cookie" | "cookie_over_coupon";
export type ConversionKind = "lead" | "sale" | "refund";
export type ConversionSource = "partner_sourced" | "partner_influenced";
export type RuleSelection = "first_match" | "best_for_partner";
export type PayoutSchedule = "monthly" | "net_15" | "net_30" | "net_60";

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Question {
  id: string;
  label: string;
  type: QuestionType;
  required: boolean;
  options?: string[];
  helpText?: string;
}

export interface QuestionInput {
  id?: string;
  label: string;
  type: QuestionType;
  required: boolean;
  options?: string[];
  helpText?: string;
}

export interface Program {
  id: string;
  name: string;
  slug: string;
  type: ProgramType;
  status: ProgramStatus;
  description: string;
  currency: string;
  cookieWindowDays: number;
  allowedDomains: string[];
  defaultLandingUrl: string | null;
  termsText: string;
  termsVersion: number;
  applicationQuestions: Question[];
  attributionModel: AttributionModel;
  timeDecayHalfLifeDays: number;
  lifetimeBinding: boolean;
  couponPrecedence: CouponPrecedence;
  clickIdParam: string;
  utmParams: Record<string, string>;
  /** The program's own host for partner links (go.acme.com), or null: links are on this server's host. */
  linkDomain: string | null;
  /** Sales from the vendor's Stripe account: the invoices of these Stripe products (every product when none). */
  stripeBilling: StripeBilling;
  payoutSchedule: PayoutSchedule;
  /** Minor units of the program currency: smaller balances carry over. */
  payoutMinimum: number;
  requireTaxForm: boolean;
  /** Days a commission stays pending before it is approved. */
  holdingDays: number;
  ruleSelection: RuleSelection;
  applyUrl: string;
  createdAt: string;
  updatedAt: string;
  enrollmentCounts?: Partial<Record<EnrollmentStatus, number>>;
}

export interface ProgramInput {
  name: string;
  slug: string;
  type: ProgramType;
  status: ProgramStatus;
  description: string;
  currency: string;
  cookieWindowDays: number;
  allowedDomains: string[];
  defaultLandingUrl: string | null;
  termsText: string;
  applicationQuestions: QuestionInput[];
}

export interface PublicProgram {
  name: string;
  slug: string;
  type: ProgramType;
  description: string;
  currency: string;
  cookieWindowDays: number;
  termsText: string;
  termsVersion: number;
  applicationQuestions: Question[];
}

export interface Contact {
  name: string;
  email: string;
  role?: string;
  phone?: string;
}

export interface EnrollmentSummary {
  id: string;
  programId: string;
  programName: string;
  status: EnrollmentStatus;
}

export interface Partner {
  id: string;
  name: string;
  type: PartnerType;
  country: string | null;
  website: string | null;
  contacts: Contact[];
  recruitedByPartnerId?: string | null;
  createdAt: string;
  updatedAt: string;
  enrollments?: EnrollmentSummary[];
}

export interface Enrollment {
  id: string;
  programId: string;
  partnerId: string;
  status: EnrollmentStatus;
  statusReason: string | null;
  /** Partner group/tier in this program (selects a tier commission plan). */
  tier?: string | null;
  applicantEmail: string | null;
  applicationAnswers: Record<string, string | number>;
  source: string;
  termsVersionAccepted: number | null;
  termsAcceptedAt: string | null;
  appliedAt: string;
  decidedAt: string | null;
  statusChangedAt: string;
  program?: { id: string; name: string; slug: string; type: string };
  partner?: { id: string; name: string; type: string; country: string | null };
}

export interface PartnerUser {
  id: string;
  email: string;
  name: string;
  createdAt: string;
}

export interface PartnerDetail extends Partner {
  users: PartnerUser[];
  enrollmentDetails: Enrollment[];
}

export interface TeamUser {
  id: string;
  email: string;
  name: string;
  role: TeamRole;
  disabled: boolean;
  createdAt: string;
}

export interface Me {
  user: TeamUser;
  permissions: string[];
}

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface Invitation {
  id: string;
  programId: string;
  email: string;
  status: InvitationStatus;
  createdAt: string;
  expiresAt: string;
  acceptedAt: string | null;
}

export interface PublicInvitation {
  email: string;
  expiresAt: string;
  program: PublicProgram;
}

export interface AuditEntry {
  id: string;
  at: string;
  actorType: string;
  actorId: string | null;
  actorLabel: string;
  action: string;
  entityType: string;
  entityId: string;
  programId: string | null;
  partnerId: string | null;
  before: unknown;
  after: unknown;
  ip: string | null;
}

export interface PortalMe {
  user: { id: string; email: string; name: string };
  partner: Partner;
}

export interface PortalEnrollment extends Enrollment {
  programDetails: {
    name: string;
    slug: string;
    type: string;
    currency: string;
    cookieWindowDays: number;
    termsText: string;
    termsVersion: number;
    allowedDomains: string[];
    defaultLandingUrl: string | null;
    /** Added to every landing address that lacks them: a partner link's own parameters of these names are dropped. */
    utmParams: Record<string, string>;
    /** The landing address's parameter for the click id (the redirect sets it). */
    clickIdParam: string;
  };
  needsTermsAcceptance: boolean;
}

export interface StripeBilling {
  enabled: boolean;
  productIds: string[];
}

/** The tracking settings of a program (PATCH /v1/programs/:id accepts any subset). */
export interface TrackingSettings {
  attributionModel: AttributionModel;
  timeDecayHalfLifeDays: number;
  lifetimeBinding: boolean;
  couponPrecedence: CouponPrecedence;
  clickIdParam: string;
  utmParams: Record<string, string>;
  cookieWindowDays: number;
  allowedDomains: string[];
  defaultLandingUrl: string | null;
  linkDomain: string | null;
  stripeBilling: StripeBilling;
}

export interface TrackingLink {
  id: string;
  programId: string;
  partnerId: string;
  enrollmentId: string;
  slug: string;
  /** "/r/<slug>": without a link domain, the tracking URL is this server's origin + path. */
  path: string;
  /** The link on its program's link domain (https://go.acme.com/r/<slug>), or null: see `path`. */
  url: string | null;
  /** null: the program's default landing page. */
  destinationUrl: string | null;
  isDefault: boolean;
  disabled: boolean;
  createdAt: string;
}

export interface Coupon {
  id: string;
  programId: string;
  partnerId: string;
  enrollmentId: string;
  code: string;
  disabled: boolean;
  createdAt: string;
}

export interface ConversionCredit {
  partnerId: string;
  /** The partner's display name as the server read it (its id when the partner is gone). */
  partnerName: string;
  enrollmentId: string | null;
  weightBps: number;
  /** This partner's share of the amount, in minor units. */
  amount: number | null;
}

export interface Conversion {
  id: string;
  programId: string;
  kind: ConversionKind;
  idempotencyKey: string;
  customerExternalId: string | null;
  eventName: string | null;
  amount: number | null;
  currency: string | null;
  refundedAmount: number;
  saleId: string | null;
  attributed: boolean;
  source: ConversionSource | null;
  credits: ConversionCredit[];
  summary: string;
  occurredAt: string;
  receivedAt: string;
}

/** What a partner action did to the account, as the partner may know it. */
export type PortalNoticeKind = "warn" | "suspend" | "ban" | "reinstate";

/**
 * A message from the program team about the partner's account (GET /v1/portal/notices): the message the team chose
 * to share, or a standard one; never the internal reason or the evidence.
 */
export interface PortalNotice {
  id: string;
  kind: PortalNoticeKind;
  message: string;
  at: string;
}

/** A conversion credited to the signed-in partner, with its own share only (GET /v1/portal/conversions). */
export interface PortalConversion {
  id: string;
  programId: string;
  programName: string;
  kind: ConversionKind;
  eventName: string | null;
  occurredAt: string;
  currency: string | null;
  /** The partner's share of the credit: 10000 is all of it. */
  weightBps: number;
  /** The partner's share of the amount, minor units; negative for refunds, null for leads. */
  amount: number | null;
  /** A sale with some or all of it refunded since. */
  refunded: boolean;
  /** A sale refunded in full. */
  fullyRefunded: boolean;
  viaCoupon: boolean;
  /** Fraud review as the partner may know it: on hold, then the outcome; null when not under review. */
  review: "on_hold" | "approved" | "rejected" | null;
}

export interface AttributionTouchpoint {
  clickId: string;
  partnerId: string;
  partnerName: string;
  linkId: string | null;
  programId: string;
  /** The program's name as of the request (its id if no program has it any more). */
  programName: string;
  at: string;
  source: string;
  included: boolean;
  reason: string | null;
  weightBps: number | null;
  explanation: string;
}

export interface Attribution {
  conversionId: string;
  kind: string;
  attributed: boolean;
  source: ConversionSource | null;
  /** The program's model, or what took precedence over it (a coupon code, a lifetime binding). */
  model: AttributionModel | "coupon" | "lifetime_binding" | null;
  reason: string | null;
  /** Partners and programs named by the server, as in every summary and touch explanation. */
  summary: string;
  couponCode: string | null;
  credits: { partnerId: string; partnerName: string; enrollmentId?: string; weightBps: number }[];
  coupon: { code: string; partnerId: string; partnerName: string; outcome: string } | null;
  touchpoints: AttributionTouchpoint[];
  rejectedClickIds: { clickId: string; reason: string }[];
}

export interface Click {
  id: string;
  programId: string;
  partnerId: string;
  linkId: string | null;
  linkSlug: string | null;
  at: string;
  source: string;
  country: string | null;
  deviceType: string | null;
  browser: string | null;
  os: string | null;
  referrer: string | null;
  sub1: string | null;
  sub2: string | null;
  sub3: string | null;
  sub4: string | null;
  sub5: string | null;
  /** The page a deep link (`?url=`) landed on; null: the link's own destination. */
  landingUrl: string | null;
  /** The ad network whose click id the visit carried (a paid ad), and that parameter's name; null otherwise. */
  adNetwork: string | null;
  adClickParam: string | null;
}

/** Currency code → minor units. */
export type Revenue = Record<string, number>;

export interface StatsPoint {
  bucket: string;
  clicks: number;
  leads: number;
  sales: number;
  revenue: Revenue;
}

export interface Stats {
  interval: "day" | "hour";
  /** The zone whose days the day buckets are (the viewer's, as asked). */
  timeZone: string;
  from: string;
  to: string;
  series: StatsPoint[];
  totals: { clicks: number; leads: number; sales: number; revenue: Revenue };
}

/* Commission plans (src/domain/commissions/plan-definition.ts). Money in minor units, rates in basis points. */

export type PlanScope = "program" | "tier" | "partner";
export type Reward =
  | { type: "flat"; amount: number }
  | { type: "percent"; bps: number }
  | { type: "hybrid"; amount: number; bps: number };
export type RewardType = Reward["type"];
export type PeriodKind = "calendar_month" | "rolling_30_days";
export type TierBasis = "count" | "revenue";
export interface TierLevel {
  /** Count basis: the last sale position of the level; revenue basis: revenue below this; null: no limit. */
  upTo: number | null;
  reward: Reward;
}
export interface Tiers {
  period: PeriodKind;
  basis: TierBasis;
  levels: TierLevel[];
}
export type Duration = { type: "first_sale" } | { type: "months"; months: number } | { type: "lifetime" };
export type Condition =
  | { field: "product"; op: "in" | "not_in"; values: string[] }
  | { field: "amount"; op: "gte" | "lte"; value: number }
  | { field: "country"; op: "in" | "not_in"; values: string[] }
  | { field: "customer"; op: "is"; value: "new" | "returning" }
  | { field: "partner_tier"; op: "in" | "not_in"; values: string[] };
export type RuleEvent = "lead" | "sale" | "first_sale" | "recurring_sale";
export interface PlanRule {
  id: string;
  name: string;
  event: RuleEvent;
  reward?: Reward;
  tiers?: Tiers;
  duration?: Duration;
  conditions?: Condition[];
}
export type Metric = "sales_count" | "revenue";
export interface PlanBonus {
  id: string;
  name: string;
  metric: Metric;
  threshold: number;
  amount: number;
}
export interface PlanBadge {
  id: string;
  name: string;
  metric: Metric;
  threshold: number;
  benefits: string[];
}
export type ReferralReward =
  | { kind: "discount_percent"; bps: number }
  | { kind: "discount_amount"; amount: number }
  | { kind: "credit"; amount: number };
export interface PlanDefinition {
  rules: PlanRule[];
  cap?: { amount: number; period: PeriodKind };
  bonuses?: PlanBonus[];
  overrides?: { levels: number[] };
  referralReward?: ReferralReward;
  badges?: PlanBadge[];
}
export interface PlanVersion {
  id: string;
  version: number;
  definition: PlanDefinition;
  createdBy: string | null;
  createdAt: string;
}
export interface CommissionPlan {
  id: string;
  programId: string;
  name: string;
  scope: PlanScope;
  scopeValue: string | null;
  currentVersion: number;
  definition: PlanDefinition;
  archivedAt: string | null;
  createdAt: string;
  updatedAt: string;
  versions?: PlanVersion[];
}

/* The commission ledger. */

export type CommissionStatus = "pending" | "approved" | "held" | "rejected" | "paid";
export type CommissionKind = "commission" | "override" | "bonus" | "reversal" | "clawback" | "adjustment";
export type ReviewAction = "approve" | "hold" | "reject";

export interface CommissionExplanation {
  summary: string;
  steps: string[];
  inputs?: Record<string, unknown>;
  skipped?: { ruleId: string; ruleName: string; reason: string }[];
}

export interface CommissionEntry {
  id: string;
  programId: string;
  partnerId: string;
  partnerName: string | null;
  kind: CommissionKind;
  /** Signed minor units of the program currency. */
  amount: number;
  currency: string;
  status: CommissionStatus;
  statusReason: string | null;
  conversionId: string | null;
  sourceEntryId: string | null;
  planVersionId: string | null;
  ruleId: string | null;
  explanation: CommissionExplanation;
  occurredAt: string;
  holdUntil: string | null;
  payoutId: string | null;
  createdBy: string | null;
  createdAt: string;
  statusChangedAt: string;
}

export interface LedgerTotals {
  currency: string;
  pending: number;
  approved: number;
  held: number;
  rejected: number;
  paid: number;
  /** Approved and not in a payout yet (`due` + `notDue`). */
  payable: number;
  /** Approved, not in a payout, and payable now by the program's payout schedule. */
  due: number;
  /** Approved, not in a payout, and payable later by the schedule (the earliest from `dueFrom`). */
  notDue: number;
  /** Approved and in a payout on its way. */
  inPayouts: number;
  dueFrom: string | null;
  /** When the earliest pending entry's holding period ends. */
  pendingUntil: string | null;
}

export interface CommissionSummary {
  totals: LedgerTotals[];
  waitingFx: number;
}

export interface ReviewResult {
  updated: CommissionEntry[];
  skipped: { id: string; reason: string }[];
}

export interface PreviewResult {
  earns: boolean;
  amount: number;
  currency: string;
  planId: string | null;
  planVersion: number | null;
  ruleId: string | null;
  ruleName: string | null;
  explanation: CommissionExplanation;
}

export interface FxRate {
  date: string;
  from: string;
  to: string;
  /** Exact decimal: 1 `from` = rate `to`. */
  rate: string;
  source: string;
  updatedAt: string;
}

export interface EarnedBadge {
  programId: string;
  programName: string;
  badgeId: string;
  name: string;
  benefits: string[];
  awardedAt: string;
}

export interface PortalEarnings extends Page<CommissionEntry> {
  totals: LedgerTotals[];
  waitingFx: number;
  badges: EarnedBadge[];
}

/* Payouts. */

export type PayoutMethodKind = "paypal" | "wise" | "bank" | "stripe_connect";
export type PayoutStatus = "pending" | "processing" | "paid" | "failed";
export type TaxForm = "w9" | "w8ben" | "w8ben_e" | "not_required";

export interface Payout {
  id: string;
  programId: string;
  partnerId: string;
  /** In lists and a run's detail: the partner organisation's name. */
  partnerName?: string;
  amount: number;
  currency: string;
  status: PayoutStatus;
  entryCount: number;
  runId: string | null;
  batchId: string | null;
  methodKind: PayoutMethodKind | null;
  methodMasked: string | null;
  externalRef: string | null;
  /** Wise and bank-file payouts: what the partner's bank statement shows. */
  bankReference: string | null;
  failureReason: string | null;
  lastError: string | null;
  /** Why an open Stripe payout is held out of Stripe batches: the partner's connected account needs attention. */
  heldReason: string | null;
  /** How much of the paid transfer Stripe reversed (returned to the partner's balance). */
  reversedAmount: number;
  reversedAt: string | null;
  createdAt: string;
  processingAt: string | null;
  paidAt: string | null;
  failedAt: string | null;
}

export interface PayoutItem {
  entryId: string;
  kind: string;
  amount: number;
  occurredAt: string;
  conversionId: string | null;
  summary: string;
}

export interface PayoutHistoryEvent {
  at: string;
  action: "created" | "batched" | "paid" | "failed" | "reversed";
  actor: string;
  methodKind: PayoutMethodKind | null;
  methodMasked: string | null;
  reference: string | null;
  reason: string | null;
  batchId: string | null;
  /** Paid: recorded by hand for this payout alone, outside a batch. */
  manual: boolean;
}

export interface PayoutDetail extends Payout {
  items: PayoutItem[];
  /** The team's view only: who created, batched, paid or failed it. */
  history?: PayoutHistoryEvent[];
}

export type PayoutSkipReason = "tax_form_missing" | "tax_form_expired" | "no_payout_method" | "below_minimum";

export interface PayoutSkip {
  programId: string;
  partnerId: string;
  reason: PayoutSkipReason;
  message: string;
  amount: number;
  currency: string;
}

export interface PayoutRunResult {
  runId: string;
  asOf: string;
  payoutsCreated: number;
  partnersSkipped: number;
  payouts: { id: string; programId: string; partnerId: string; amount: number; currency: string; entryCount: number }[];
  skipped: PayoutSkip[];
}

export interface PayoutRunRecord {
  id: string;
  programId: string | null;
  asOf: string;
  startedBy: string;
  payoutsCreated: number;
  partnersSkipped: number;
  startedAt: string;
  finishedAt: string;
}

export interface PayoutRunDetail extends PayoutRunRecord {
  payouts: Payout[];
  skipped: (PayoutSkip & { partnerName: string })[];
}

export interface PendingTotals {
  payoutCount: number;
  totals: { currency: string; amount: number }[];
}

/** What a new batch of a program would take, per method. */
export interface BatchCandidates {
  programId: string;
  methods: (PendingTotals & { methodKind: PayoutMethodKind; held: PendingTotals })[];
  withoutMethod: PendingTotals;
}

export interface PayoutBatch {
  id: string;
  programId: string;
  methodKind: PayoutMethodKind;
  status: "processing" | "completed";
  payoutCount: number;
  total: number;
  currency: string;
  createdBy: string;
  createdAt: string;
  fileDownloadedAt: string | null;
  completedAt: string | null;
  statusCounts: Partial<Record<PayoutStatus, number>>;
}

export interface SendBatchResult {
  batch: PayoutBatch;
  paid: number;
  failed: number;
  retryable: number;
  held: number;
}

export interface PayoutMethod {
  partnerId: string;
  kind: PayoutMethodKind;
  masked: string;
  currency: string | null;
  updatedAt: string;
  /** Stripe reported the connected account cannot receive payouts: its payouts are held until it can. */
  attention: { reason: string; since: string } | null;
}

export interface TaxFormStatus {
  partnerId: string;
  form: TaxForm | null;
  valid: boolean;
  validUntil: string | null;
  note: string | null;
  setBy: string | null;
  setAt: string | null;
}

export interface StatementLine {
  date: string;
  /** What the line counts towards in the figures: overrides count as commissions. */
  type: "commission" | "reversal" | "clawback" | "bonus" | "adjustment" | "payout";
  /** The ledger entry's own kind, or "payout". */
  kind: CommissionKind | "payout";
  reference: string;
  description: string;
  status: string;
  amount: number;
}

export interface Statement {
  programId: string;
  programName: string;
  programSlug: string;
  partnerId: string;
  partnerName: string;
  period: string;
  periodStart: string;
  periodEnd: string;
  currency: string;
  openingBalance: number;
  commissions: number;
  /** Refunds taken back before payout. */
  reversals: number;
  /** Refunds taken back after payout. */
  clawbacks: number;
  bonuses: number;
  adjustments: number;
  payouts: number;
  closingBalance: number;
  lines: StatementLine[];
}

export interface PayoutSummary {
  programId: string;
  programName: string;
  currency: string;
  schedule: PayoutSchedule;
  minimum: number;
  approvedUnpaid: number;
  payableNow: number;
  /** When the earliest approved money the schedule has not made payable yet becomes payable. */
  notDueFrom: string | null;
  inPayouts: number;
  blockers: { reason: string; message: string }[];
  lastSkip: { reason: string; message: string; amount: number; at: string } | null;
}
