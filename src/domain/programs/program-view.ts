import type { programs } from "../../db/schema/index.js";
import type { ProgramView, PublicProgramView } from "./programs.schemas.js";

type ProgramRow = typeof programs.$inferSelect;

export const toProgramView = (p: ProgramRow, enrollmentCounts?: Record<string, number>): ProgramView => ({
  id: p.id,
  name: p.name,
  slug: p.slug,
  type: p.type,
  status: p.status,
  description: p.description,
  currency: p.currency,
  cookieWindowDays: p.cookieWindowDays,
  allowedDomains: p.allowedDomains,
  defaultLandingUrl: p.defaultLandingUrl,
  termsText: p.termsText,
  termsVersion: p.termsVersion,
  applicationQuestions: p.applicationQuestions,
  attributionModel: p.attributionModel,
  timeDecayHalfLifeDays: p.timeDecayHalfLifeDays,
  lifetimeBinding: p.lifetimeBinding,
  couponPrecedence: p.couponPrecedence,
  clickIdParam: p.clickIdParam,
  utmParams: p.utmParams,
  linkDomain: p.linkDomain,
  stripeBilling: p.stripeBilling ?? { enabled: false, productIds: [] },
  holdingDays: p.holdingDays,
  ruleSelection: p.ruleSelection,
  payoutSchedule: p.payoutSchedule,
  payoutMinimum: Number(p.payoutMinimumMinor),
  requireTaxForm: p.requireTaxForm,
  applyUrl: `/apply/${p.slug}`,
  createdAt: p.createdAt.toISOString(),
  updatedAt: p.updatedAt.toISOString(),
  ...(enrollmentCounts ? { enrollmentCounts } : {}),
});

export const toPublicProgramView = (p: ProgramRow): PublicProgramView => ({
  name: p.name,
  slug: p.slug,
  type: p.type,
  description: p.description,
  currency: p.currency,
  cookieWindowDays: p.cookieWindowDays,
  termsText: p.termsText,
  termsVersion: p.termsVersion,
  applicationQuestions: p.applicationQuestions,
});
