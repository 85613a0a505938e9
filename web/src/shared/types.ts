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
  };
  needsTermsAcceptance: boolean;
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
}

export interface TrackingLink {
  id: string;
  programId: string;
  partnerId: string;
  enrollmentId: string;
  slug: string;
  /** "/r/<slug>": the tracking URL is this server's origin + path. */
  path: string;
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
  /** A sale with some of it refunded since. */
  refunded: boolean;
  viaCoupon: boolean;
}

export interface AttributionTouchpoint {
  clickId: string;
  partnerId: string;
  linkId: string | null;
  programId: string;
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
  model: AttributionModel | null;
  reason: string | null;
  summary: string;
  credits: { partnerId: string; enrollmentId?: string; weightBps: number }[];
  coupon: { code: string; partnerId: string; outcome: string } | null;
  touchpoints: AttributionTouchpoint[];
  rejectedClickIds: { clickId: string; reason: string }[];
}

export interface Click {
  id: string;
  programId: string;
  partnerId: string;
  linkId: string | null;
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
  from: string;
  to: string;
  series: StatsPoint[];
  totals: { clicks: number; leads: number; sales: number; revenue: Revenue };
}
