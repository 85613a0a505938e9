import { count } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { auditLog } from "../../src/db/schema/index.js";
import { apiKeyScopes, roleHas, scopesHave } from "../../src/domain/accounts/permissions.js";
import type { Access } from "../../src/http/access.js";
import { seedEntries } from "../helpers/ledger.js";
import {
  type Agent,
  applicationBody,
  createTestApp,
  PASSWORD,
  type ProgramJson,
  programBody,
  type TestApp,
} from "../helpers/test-app.js";

/**
 * Every route of the real route table, called by every kind of caller. The table below must list exactly
 * the routes the server has: adding a route without deciding who may call it fails this test.
 */
type Declared = "public" | "partner" | `team` | `team:${string}` | `team:${string}+key`;
interface Fixture {
  programId: string;
  programSlug: string;
  enrollmentA: string;
  partnerA: string;
  partnerB: string;
  teamUserId: string;
  throwawayKeyId: string;
  invitationToken: string;
  invitationId: string;
  linkA: string;
  linkSlugA: string;
  couponA: string;
  conversionId: string;
  planId: string;
  commissionA: string;
  payoutA: string;
  batchA: string;
  runA: string;
}
interface Sample {
  access: Declared;
  url?: (f: Fixture) => string;
  body?: (f: Fixture) => unknown;
  headers?: Record<string, string>;
  /** Partner routes that address partner A's records by id: partner B must get a 404. */
  ownsA?: boolean;
  /** A GET without Fastify's automatic HEAD route (its GET records something). */
  noHead?: boolean;
}

const matrix: Record<string, Sample> = {
  "GET /docs": { access: "public" },
  "GET /docs/static/index.html": { access: "public" },
  "GET /docs/static/swagger-initializer.js": { access: "public" },
  "GET /docs/json": { access: "public" },
  "GET /docs/yaml": { access: "public" },
  "GET /docs/static/*": { access: "public", url: () => "/docs/static/swagger-ui.css" },
  "GET /health": { access: "public" },
  "GET /openapi.json": { access: "public" },
  "GET /v1/auth/csrf": { access: "public" },
  "GET /v1/setup": { access: "public" },
  "POST /v1/setup/owner": {
    access: "public",
    body: () => ({ email: "late@owner.test", name: "Late", password: PASSWORD }),
  },
  "POST /v1/auth/login": { access: "public", body: () => ({ email: "nobody@team.test", password: PASSWORD }) },
  "POST /v1/auth/logout": { access: "public" },
  "GET /v1/auth/me": { access: "team" },
  "POST /v1/auth/password": {
    access: "team",
    body: () => ({ currentPassword: "wrong-password", newPassword: "another password 1" }),
  },
  "GET /v1/team/users": { access: "team:team:read" },
  "POST /v1/team/users": {
    access: "team:team:manage",
    body: () => ({ email: `m${Math.random()}@team.test`, name: "New", role: "viewer", password: PASSWORD }),
  },
  "PATCH /v1/team/users/:id": {
    access: "team:team:manage",
    url: (f) => `/v1/team/users/${f.teamUserId}`,
    body: () => ({ name: "Renamed" }),
  },
  "GET /v1/api-keys": { access: "team:api_keys:manage" },
  "POST /v1/api-keys": { access: "team:api_keys:manage", body: () => ({ name: "ci", scopes: ["partners:read"] }) },
  "DELETE /v1/api-keys/:id": { access: "team:api_keys:manage", url: (f) => `/v1/api-keys/${f.throwawayKeyId}` },
  "GET /v1/programs": { access: "team:programs:read+key" },
  "POST /v1/programs": { access: "team:programs:write+key", body: () => programBody() },
  "GET /v1/programs/:id": { access: "team:programs:read+key", url: (f) => `/v1/programs/${f.programId}` },
  "PATCH /v1/programs/:id": {
    access: "team:programs:write+key",
    url: (f) => `/v1/programs/${f.programId}`,
    body: () => ({ description: "updated" }),
  },
  "GET /v1/partners": { access: "team:partners:read+key" },
  "POST /v1/partners": {
    access: "team:partners:write+key",
    body: () => ({ name: "Offline Reseller", type: "reseller" }),
  },
  "GET /v1/partners/:id": { access: "team:partners:read+key", url: (f) => `/v1/partners/${f.partnerA}` },
  "PATCH /v1/partners/:id": {
    access: "team:partners:write+key",
    url: (f) => `/v1/partners/${f.partnerA}`,
    body: () => ({ country: "FR" }),
  },
  "GET /v1/enrollments": { access: "team:partners:read+key" },
  "GET /v1/enrollments/:id": { access: "team:partners:read+key", url: (f) => `/v1/enrollments/${f.enrollmentA}` },
  "POST /v1/enrollments/:id/approve": {
    access: "team:partners:write+key",
    url: (f) => `/v1/enrollments/${f.enrollmentA}/approve`,
  },
  "POST /v1/enrollments/:id/reject": {
    access: "team:partners:write+key",
    url: (f) => `/v1/enrollments/${f.enrollmentA}/reject`,
    body: () => ({ reason: "r" }),
  },
  "POST /v1/enrollments/:id/activate": {
    access: "team:partners:write+key",
    url: (f) => `/v1/enrollments/${f.enrollmentA}/activate`,
  },
  "POST /v1/enrollments/:id/suspend": {
    access: "team:partners:write+key",
    url: (f) => `/v1/enrollments/${f.enrollmentA}/suspend`,
    body: () => ({ reason: "r" }),
  },
  "POST /v1/enrollments/:id/terminate": {
    access: "team:partners:write+key",
    url: (f) => `/v1/enrollments/${f.enrollmentA}/terminate`,
    body: () => ({ reason: "r" }),
  },
  "GET /v1/programs/:id/invitations": {
    access: "team:partners:read+key",
    url: (f) => `/v1/programs/${f.programId}/invitations`,
  },
  "POST /v1/programs/:id/invitations": {
    access: "team:partners:write+key",
    url: (f) => `/v1/programs/${f.programId}/invitations`,
    body: () => ({ email: "invitee@partner.test" }),
  },
  "GET /v1/audit-log": { access: "team:audit:read+key" },
  "POST /v1/invitations/:id/revoke": {
    access: "team:partners:write+key",
    url: (f) => `/v1/invitations/${f.invitationId}/revoke`,
  },
  "GET /v1/portal/programs": { access: "partner" },
  "GET /v1/public/programs/:slug": { access: "public", url: (f) => `/v1/public/programs/${f.programSlug}` },
  "POST /v1/public/programs/:slug/applications": {
    access: "public",
    url: (f) => `/v1/public/programs/${f.programSlug}/applications`,
    body: () => ({ email: "x" }),
  },
  "GET /v1/public/invitations/:token": { access: "public", url: (f) => `/v1/public/invitations/${f.invitationToken}` },
  "POST /v1/public/invitations/:token/accept": {
    access: "public",
    url: (f) => `/v1/public/invitations/${f.invitationToken}/accept`,
    body: () => ({}),
  },
  "POST /v1/portal/auth/login": {
    access: "public",
    body: () => ({ email: "nobody@partner.test", password: PASSWORD }),
  },
  "POST /v1/portal/auth/logout": { access: "public" },
  "POST /v1/portal/auth/password": {
    access: "partner",
    body: () => ({ currentPassword: "wrong-password", newPassword: "another password 1" }),
  },
  "GET /v1/portal/me": { access: "partner" },
  "PATCH /v1/portal/partner": { access: "partner", body: () => ({ website: "https://mine.example" }) },
  "GET /v1/portal/enrollments": { access: "partner" },
  "GET /v1/portal/enrollments/:id": {
    access: "partner",
    url: (f) => `/v1/portal/enrollments/${f.enrollmentA}`,
    ownsA: true,
  },
  "POST /v1/portal/enrollments/:id/accept-terms": {
    access: "partner",
    url: (f) => `/v1/portal/enrollments/${f.enrollmentA}/accept-terms`,
    body: () => ({ termsVersion: 1 }),
    ownsA: true,
  },
  "POST /v1/portal/programs/:slug/applications": {
    access: "partner",
    url: (f) => `/v1/portal/programs/${f.programSlug}/applications`,
    body: () => ({ acceptTerms: true }),
  },
  "GET /v1/links": { access: "team:partners:read+key" },
  "POST /v1/links": {
    access: "team:partners:write+key",
    body: (f) => ({ enrollmentId: f.enrollmentA, destinationUrl: "https://acme.example/x" }),
  },
  "PATCH /v1/links/:id": {
    access: "team:partners:write+key",
    url: (f) => `/v1/links/${f.linkA}`,
    body: () => ({ disabled: false }),
  },
  "GET /v1/coupons": { access: "team:partners:read+key" },
  "POST /v1/coupons": {
    access: "team:partners:write+key",
    body: (f) => ({ enrollmentId: f.enrollmentA, code: `C${Math.random().toString(36).slice(2, 8)}` }),
  },
  "PATCH /v1/coupons/:id": {
    access: "team:partners:write+key",
    url: (f) => `/v1/coupons/${f.couponA}`,
    body: () => ({ disabled: false }),
  },
  "GET /v1/portal/links": { access: "partner" },
  "POST /v1/portal/enrollments/:id/links": {
    access: "partner",
    url: (f) => `/v1/portal/enrollments/${f.enrollmentA}/links`,
    body: () => ({ destinationUrl: "https://acme.example/y" }),
    ownsA: true,
  },
  "PATCH /v1/portal/links/:id": {
    access: "partner",
    url: (f) => `/v1/portal/links/${f.linkA}`,
    body: () => ({ disabled: false }),
    ownsA: true,
  },
  "GET /v1/portal/coupons": { access: "partner" },
  "POST /v1/track/lead": {
    access: "team:track:write+key",
    body: (f) => ({ programId: f.programId, customerExternalId: `c${Math.random()}` }),
  },
  "POST /v1/track/sale": {
    access: "team:track:write+key",
    body: (f) => ({
      programId: f.programId,
      orderId: `o${Math.random()}`,
      amount: 100,
      currency: "USD",
      customerExternalId: "c1",
    }),
  },
  "POST /v1/track/batch": {
    access: "team:track:write+key",
    body: (f) => ({ sales: [{ programId: f.programId, orderId: `o${Math.random()}`, amount: 100, currency: "USD" }] }),
  },
  "GET /v1/track/submissions": { access: "team:partners:read+key" },
  "GET /v1/track/submissions/:id": {
    access: "team:track:write+key",
    // A conversion recorded at once answers as a recorded submission: the id is the same.
    url: (f) => `/v1/track/submissions/${f.conversionId}`,
  },
  "POST /v1/track/refund": {
    access: "team:track:write+key",
    body: (f) => ({ programId: f.programId, orderId: "matrix-order", refundId: `r${Math.random()}`, amount: 1 }),
  },
  "GET /v1/conversions": { access: "team:partners:read+key" },
  "GET /v1/conversions/export": { access: "team:partners:read+key" },
  "GET /v1/conversions/:id": { access: "team:partners:read+key", url: (f) => `/v1/conversions/${f.conversionId}` },
  "GET /v1/conversions/:id/attribution": {
    access: "team:partners:read+key",
    url: (f) => `/v1/conversions/${f.conversionId}/attribution`,
  },
  "GET /v1/stats": { access: "team:partners:read+key" },
  "GET /v1/stats/breakdown": {
    access: "team:partners:read+key",
    url: (f) => `/v1/stats/breakdown?partnerId=${f.partnerA}`,
  },
  "GET /v1/stats/links": {
    access: "team:partners:read+key",
    url: (f) => `/v1/stats/links?programId=${f.programId}&linkIds=${f.linkA}`,
  },
  "GET /v1/stats/coupons": {
    access: "team:partners:read+key",
    url: (f) => `/v1/stats/coupons?programId=${f.programId}`,
  },
  "GET /v1/stats/partners": {
    access: "team:partners:read+key",
    url: (f) => `/v1/stats/partners?programId=${f.programId}`,
  },
  "GET /v1/clicks": { access: "team:partners:read+key" },
  "GET /v1/clicks/count": {
    access: "team:partners:read+key",
    url: (f) => `/v1/clicks/count?programId=${f.programId}`,
  },
  "GET /v1/clicks/export": { access: "team:partners:read+key" },
  "GET /v1/portal/stats": { access: "partner" },
  "GET /v1/portal/breakdown": { access: "partner" },
  "GET /v1/portal/conversions": { access: "partner" },
  "PATCH /v1/enrollments/:id": {
    access: "team:partners:write+key",
    url: (f) => `/v1/enrollments/${f.enrollmentA}`,
    body: () => ({ tier: null }),
  },
  "GET /v1/programs/:id/integration-status": {
    access: "team:programs:read+key",
    url: (f) => `/v1/programs/${f.programId}/integration-status`,
  },
  "GET /v1/programs/:id/plans": { access: "team:programs:read+key", url: (f) => `/v1/programs/${f.programId}/plans` },
  "POST /v1/programs/:id/plans": {
    access: "team:programs:write+key",
    url: (f) => `/v1/programs/${f.programId}/plans`,
    body: () => ({
      name: `Tier plan ${Math.random()}`,
      scope: "tier",
      scopeValue: `t${Math.random().toString(36).slice(2, 10)}`,
      definition: { rules: [{ id: "r", name: "R", event: "sale", reward: { type: "percent", bps: 100 } }] },
    }),
  },
  "GET /v1/plans/:id": { access: "team:programs:read+key", url: (f) => `/v1/plans/${f.planId}` },
  "PATCH /v1/plans/:id": {
    access: "team:programs:write+key",
    url: (f) => `/v1/plans/${f.planId}`,
    body: () => ({ name: "Default plan" }),
  },
  "POST /v1/plans/:id/archive": { access: "team:programs:write+key", url: () => "/v1/plans/cpl_missing/archive" },
  "POST /v1/programs/:id/commissions/preview": {
    access: "team:programs:read+key",
    url: (f) => `/v1/programs/${f.programId}/commissions/preview`,
    body: (f) => ({ partnerId: f.partnerA, event: "sale", amount: 10_000 }),
  },
  "GET /v1/commissions": { access: "team:commissions:read+key" },
  "GET /v1/commissions/export": { access: "team:commissions:read+key" },
  "GET /v1/commissions/summary": { access: "team:commissions:read+key" },
  "GET /v1/commissions/:id": { access: "team:commissions:read+key", url: (f) => `/v1/commissions/${f.commissionA}` },
  "GET /v1/commissions/:id/history": {
    access: "team:commissions:read+key",
    url: (f) => `/v1/commissions/${f.commissionA}/history`,
  },
  "POST /v1/commissions/review": {
    access: "team:commissions:write+key",
    body: () => ({ action: "approve", ids: ["com_missing"] }),
  },
  "POST /v1/commissions/adjustments": {
    access: "team:commissions:write+key",
    body: (f) => ({ programId: f.programId, partnerId: f.partnerA, amount: 1, reason: "matrix check" }),
  },
  "POST /v1/commissions/release-holdings": { access: "team:commissions:write+key" },
  "GET /v1/fx-rates": { access: "team:commissions:read+key" },
  "PUT /v1/fx-rates": {
    access: "team:commissions:write+key",
    body: () => ({ date: "2026-01-01", from: "EUR", to: "USD", rate: "1.1" }),
  },
  "POST /v1/fx-rates/import": {
    access: "team:commissions:write+key",
    body: () => "date,from,to,rate\n2026-01-02,EUR,USD,1.1\n",
    headers: { "content-type": "text/csv" },
  },
  "GET /v1/referral-rewards": { access: "team:commissions:read+key" },
  "POST /v1/payout-runs": { access: "team:payouts:write+key", body: (f) => ({ programId: f.programId }) },
  "GET /v1/payout-runs": { access: "team:payouts:read+key" },
  "GET /v1/payout-runs/:id": { access: "team:payouts:read+key", url: (f) => `/v1/payout-runs/${f.runA}` },
  "GET /v1/payout-batches/candidates": {
    access: "team:payouts:read+key",
    url: (f) => `/v1/payout-batches/candidates?programId=${f.programId}`,
  },
  "GET /v1/payouts": { access: "team:payouts:read+key" },
  "GET /v1/payouts/:id": { access: "team:payouts:read+key", url: (f) => `/v1/payouts/${f.payoutA}` },
  "POST /v1/payouts/:id/mark-paid": {
    access: "team:payouts:write+key",
    url: (f) => `/v1/payouts/${f.payoutA}/mark-paid`,
    body: () => ({ reference: "matrix" }),
  },
  "POST /v1/payouts/:id/fail": {
    access: "team:payouts:write+key",
    url: (f) => `/v1/payouts/${f.payoutA}/fail`,
    body: () => ({ reason: "matrix" }),
  },
  "GET /v1/payout-batches": { access: "team:payouts:read+key" },
  "POST /v1/payout-batches": {
    access: "team:payouts:write+key",
    body: (f) => ({ programId: f.programId, methodKind: "paypal" }),
  },
  "GET /v1/payout-batches/:id": { access: "team:payouts:read+key", url: (f) => `/v1/payout-batches/${f.batchA}` },
  "GET /v1/payout-batches/:id/file": {
    access: "team:payouts:write+key",
    url: (f) => `/v1/payout-batches/${f.batchA}/file`,
    noHead: true,
  },
  "POST /v1/payout-batches/:id/send": {
    access: "team:payouts:write+key",
    url: (f) => `/v1/payout-batches/${f.batchA}/send`,
  },
  "POST /v1/payout-batches/:id/mark-paid": {
    access: "team:payouts:write+key",
    url: (f) => `/v1/payout-batches/${f.batchA}/mark-paid`,
  },
  "GET /v1/partners/:id/payout-method": {
    access: "team:payouts:read+key",
    url: (f) => `/v1/partners/${f.partnerA}/payout-method`,
  },
  "GET /v1/partners/:id/tax-form": {
    access: "team:payouts:read+key",
    url: (f) => `/v1/partners/${f.partnerA}/tax-form`,
  },
  "PUT /v1/partners/:id/tax-form": {
    access: "team:payouts:write+key",
    url: (f) => `/v1/partners/${f.partnerA}/tax-form`,
    body: () => ({ form: "w9" }),
  },
  "GET /v1/partners/:id/statement": {
    access: "team:payouts:read+key",
    url: (f) => `/v1/partners/${f.partnerA}/statement?programId=${f.programId}&period=2026-01`,
  },
  "GET /v1/portal/payout-method": { access: "partner" },
  "PUT /v1/portal/payout-method": {
    access: "partner",
    body: () => ({ kind: "paypal", email: "me@partner.test", currentPassword: PASSWORD }),
  },
  "DELETE /v1/portal/payout-method": { access: "partner" },
  "GET /v1/portal/payout-method/stripe": { access: "partner" },
  "POST /v1/portal/payout-method/stripe": { access: "partner", body: () => ({ currentPassword: PASSWORD }) },
  "GET /v1/portal/payout-method/stripe/return": {
    access: "partner",
    url: () => "/v1/portal/payout-method/stripe/return?state=v1.matrix",
    noHead: true,
  },
  "GET /v1/portal/payout-method/stripe/refresh": {
    access: "partner",
    url: () => "/v1/portal/payout-method/stripe/refresh?state=v1.matrix",
    noHead: true,
  },
  "GET /v1/portal/tax-form": { access: "partner" },
  "GET /v1/portal/payout-summary": { access: "partner" },
  "GET /v1/portal/payouts": { access: "partner" },
  "GET /v1/portal/payouts/:id": { access: "partner", url: (f) => `/v1/portal/payouts/${f.payoutA}`, ownsA: true },
  "GET /v1/portal/statement": {
    access: "partner",
    url: (f) => `/v1/portal/statement?programId=${f.programId}&period=2026-01`,
  },
  "GET /v1/portal/earnings": { access: "partner" },
  "GET /v1/portal/earnings/export": { access: "partner" },
  "GET /v1/portal/earnings/:id": { access: "partner", url: (f) => `/v1/portal/earnings/${f.commissionA}`, ownsA: true },
  "GET /v1/programs/:id/fraud-rules": {
    access: "team:fraud:read+key",
    url: (f) => `/v1/programs/${f.programId}/fraud-rules`,
  },
  "PATCH /v1/programs/:id/fraud-rules/:rule": {
    access: "team:fraud:write+key",
    url: (f) => `/v1/programs/${f.programId}/fraud-rules/velocity`,
    body: () => ({ enabled: true }),
  },
  "GET /v1/fraud/review-queue": { access: "team:fraud:read+key" },
  "GET /v1/fraud/cases/:id": { access: "team:fraud:read+key", url: (f) => `/v1/fraud/cases/${f.conversionId}` },
  "POST /v1/fraud/review": {
    access: "team:fraud:write+key",
    body: () => ({ action: "approve", conversionIds: ["cnv_missing"] }),
  },
  "POST /v1/fraud/sweep": { access: "team:fraud:write+key", body: (f) => ({ programId: f.programId }) },
  "GET /v1/fraud/reports": { access: "team:fraud:read+key" },
  "POST /v1/fraud/reports": {
    access: "team:fraud:write+key",
    body: (f) => ({ partnerId: f.partnerA, kind: "brand_misuse", description: "matrix check", evidence: {} }),
  },
  "GET /v1/fraud/reports/:id": { access: "team:fraud:read+key", url: () => "/v1/fraud/reports/frp_missing" },
  "POST /v1/fraud/reports/:id/resolve": {
    access: "team:fraud:write+key",
    url: () => "/v1/fraud/reports/frp_missing/resolve",
    body: () => ({ outcome: "dismissed", resolution: "matrix" }),
  },
  "GET /v1/partners/:id/actions": { access: "team:fraud:read+key", url: (f) => `/v1/partners/${f.partnerA}/actions` },
  "POST /v1/partners/:id/actions": {
    access: "team:fraud:write+key",
    url: (f) => `/v1/partners/${f.partnerA}/actions`,
    body: () => ({ kind: "warn", reason: "matrix check" }),
  },
  "GET /v1/portal/notices": { access: "partner" },
  // Authenticated by Stripe's signature, not a session: anyone reaches it, and an unsigned body is refused (400),
  // or 404 where STRIPE_WEBHOOK_SECRET is not set, as here.
  "POST /v1/webhooks/stripe": { access: "public", headers: { "stripe-signature": "t=1,v1=unsigned" } },
  "GET /t.js": { access: "public" },
  "POST /v1/track/click": {
    access: "public",
    body: (f) => ({ slug: f.linkSlugA }),
    headers: { origin: "https://acme.example" },
  },
  "GET /r/:slug": { access: "public", url: (f) => `/r/${f.linkSlugA}` },
  "GET /assets/*": { access: "public", url: () => "/assets/missing.js" },
  "GET /": { access: "public" },
  "GET /admin": { access: "public" },
  "GET /admin/*": { access: "public", url: () => "/admin/programs" },
  "GET /portal": { access: "public" },
  "GET /portal/*": { access: "public", url: () => "/portal/programs" },
  "GET /apply/*": { access: "public", url: () => "/apply/some-program" },
};

const declared = (a: Access): Declared =>
  a.kind === "team" ? (a.permission ? `team:${a.permission}${a.apiKey ? "+key" : ""}` : "team") : a.kind;

type Caller =
  | { kind: "anonymous" }
  | { kind: "partnerA" }
  | { kind: "partnerB" }
  | { kind: "role"; role: "viewer" | "finance" | "manager" | "owner" }
  | { kind: "keyWithoutScope" }
  | { kind: "keyWithScope" };

const callers: Caller[] = [
  { kind: "anonymous" },
  { kind: "partnerA" },
  { kind: "partnerB" },
  { kind: "role", role: "viewer" },
  { kind: "role", role: "finance" },
  { kind: "role", role: "manager" },
  { kind: "role", role: "owner" },
  { kind: "keyWithoutScope" },
  { kind: "keyWithScope" },
];
const callerName = (c: Caller) => (c.kind === "role" ? c.role : c.kind);

function allowed(access: Access, caller: Caller): boolean {
  if (access.kind === "public") return true;
  if (access.kind === "partner") return caller.kind === "partnerA" || caller.kind === "partnerB";
  if (caller.kind === "role") return !access.permission || roleHas(caller.role, access.permission);
  if (caller.kind === "keyWithScope")
    return access.apiKey && (!access.permission || scopesHave(scopesFor(access, true), access.permission));
  return false;
}

let t: TestApp;
let f: Fixture;
const agents = new Map<string, Agent>();
const keys = new Map<string, string>();
let keyMaker: Agent;

/**
 * The key a route is called with: "with scope" holds exactly the permission the route declares (or `admin`
 * when it declares none); "without" holds every other scope, so no neighbouring scope can stand in for it.
 */
function scopesFor(access: Access, withScope: boolean): string[] {
  const needed = access.kind === "team" ? access.permission : undefined;
  if (withScope) return needed && (apiKeyScopes as readonly string[]).includes(needed) ? [needed] : ["admin"];
  return apiKeyScopes.filter((s) => s !== "admin" && s !== needed);
}

async function keyFor(access: Access, withScope: boolean): Promise<string> {
  const scopes = scopesFor(access, withScope);
  const id = scopes.join(",");
  if (!keys.has(id)) {
    const created = await keyMaker.post("/v1/api-keys", { name: `matrix ${id}`, scopes });
    keys.set(id, created.json().secret);
  }
  return keys.get(id)!;
}

beforeAll(async () => {
  t = await createTestApp();
  const owner = await t.team("owner");
  for (const role of ["viewer", "finance", "manager", "owner"] as const) agents.set(role, await t.team(role));
  const program = (await owner.post("/v1/programs", programBody())).json<ProgramJson>();
  const partnerA = t.agent();
  const a = await partnerA.post(
    `/v1/public/programs/${program.slug}/applications`,
    applicationBody(program, "a@partner-a.test"),
  );
  expect(a.statusCode).toBe(201);
  const partnerB = t.agent();
  const b = await partnerB.post(
    `/v1/public/programs/${program.slug}/applications`,
    applicationBody(program, "b@partner-b.test"),
  );
  expect(b.statusCode).toBe(201);
  agents.set("partnerA", partnerA);
  agents.set("partnerB", partnerB);
  agents.set("anonymous", t.agent());
  keyMaker = owner;
  const throwaway = await owner.post("/v1/api-keys", { name: "throwaway", scopes: ["partners:read"] });
  const member = await owner.post("/v1/team/users", {
    email: "target@team.test",
    name: "Target",
    role: "viewer",
    password: PASSWORD,
  });
  const invitation = await owner.post(`/v1/programs/${program.id}/invitations`, { email: "invitee@partner.test" });
  await owner.post(`/v1/enrollments/${a.json().id}/approve`, {});
  const [linkA] = (await owner.get(`/v1/links?enrollmentId=${a.json().id}`)).json().items;
  const coupon = await owner.post("/v1/coupons", { enrollmentId: a.json().id, code: "PARTNERA" });
  const plan = await owner.post(`/v1/programs/${program.id}/plans`, {
    name: "Default plan",
    scope: "program",
    definition: { rules: [{ id: "sales", name: "Sales", event: "sale", reward: { type: "percent", bps: 1_000 } }] },
  });
  expect(plan.statusCode).toBe(201);
  const conversion = await owner.post("/v1/track/sale", {
    programId: program.id,
    orderId: "matrix-order",
    amount: 10_000,
    currency: "USD",
    couponCode: "PARTNERA",
  });
  const payout = await payoutOf(program.id, a.json().partnerId, partnerA);
  f = {
    ...payout,
    programId: program.id,
    programSlug: program.slug,
    enrollmentA: a.json().id,
    partnerA: a.json().partnerId,
    partnerB: b.json().partnerId,
    teamUserId: member.json().id,
    throwawayKeyId: throwaway.json().apiKey.id,
    invitationToken: invitation.json().token,
    invitationId: invitation.json().invitation.id,
    linkA: linkA.id,
    linkSlugA: linkA.slug,
    couponA: coupon.json().id,
    conversionId: conversion.json().id,
    planId: plan.json().id,
    commissionA: await commissionOf(a.json().partnerId),
  };
});
afterAll(() => t.close());

/** An approved entry for partner A, paid by a payout run into a PayPal batch. */
async function payoutOf(programId: string, partnerId: string, partner: Agent) {
  const finance = agents.get("finance")!;
  await partner.request("PUT", "/v1/portal/payout-method", {
    currentPassword: PASSWORD,
    kind: "paypal",
    email: "a@partner-a.test",
  });
  await seedEntries(t.database.db, [{ programId, partnerId, amount: 2_000n, occurredAt: "2026-01-10T00:00:00Z" }]);
  const run = await finance.post("/v1/payout-runs", { programId });
  const [payout] = run.json().payouts;
  if (!payout) throw new Error(`the fixture payout run paid nothing: ${run.body}`);
  const batch = await finance.post("/v1/payout-batches", { programId, methodKind: "paypal" });
  return { payoutA: payout.id as string, batchA: batch.json().id as string, runA: run.json().runId as string };
}

async function commissionOf(partnerId: string): Promise<string> {
  await t.app.commissions.drain();
  const owner = agents.get("owner")!;
  const [entry] = (await owner.get(`/v1/commissions?partnerId=${partnerId}`)).json().items;
  if (!entry) throw new Error("the fixture sale earned no commission");
  return entry.id;
}

const key = (method: string, url: string) => `${method} ${url}`;

describe("authorization matrix", () => {
  test("lists exactly the server's routes, each with the access it declares", () => {
    const live = new Map(t.app.routeTable.map((r) => [key(r.method, r.url), declared(r.access)]));
    expect([...live.keys()].sort()).toEqual(Object.keys(matrix).sort());
    for (const [route, sample] of Object.entries(matrix))
      expect({ route, access: live.get(route) }).toEqual({ route, access: sample.access });
  });

  // Fastify answers HEAD for every GET route with a route of its own: it must check the caller the same way.
  test("HEAD of every GET route that needs a caller refuses an anonymous one", async () => {
    const failures: string[] = [];
    for (const [route, sample] of Object.entries(matrix)) {
      if (!route.startsWith("GET ") || sample.access === "public") continue;
      const url = sample.url?.(f) ?? route.slice(4);
      const response = await t.app.inject({ method: "HEAD", url });
      const expected = sample.noHead ? 404 : 401;
      if (response.statusCode !== expected) failures.push(`HEAD ${url}: ${response.statusCode}`);
    }
    expect(failures).toEqual([]);
  });

  // A HEAD sends nothing: like a GET it must change nothing, or a link checker could "download" a payout file.
  test("HEAD of every GET route, by a caller it lets in, records nothing", async () => {
    const audited = async () => Number((await t.database.db.select({ n: count() }).from(auditLog))[0]!.n);
    const before = await audited();
    for (const [route, sample] of Object.entries(matrix)) {
      if (!route.startsWith("GET ") || sample.access === "public") continue;
      const agent = agents.get(sample.access === "partner" ? "partnerA" : "owner")!;
      await agent.request("HEAD" as "GET", sample.url?.(f) ?? route.slice(4));
    }
    expect(await audited()).toBe(before);
  });

  // Sign-outs run last so they do not end the sessions the other routes use.
  const ordered = Object.keys(matrix).sort((x, y) => Number(x.includes("logout")) - Number(y.includes("logout")));
  test.each(ordered)("%s", async (route) => {
    const entry = t.app.routeTable.find((r) => key(r.method, r.url) === route);
    expect(entry, `route ${route} is not served`).toBeDefined();
    const { method, access } = entry!;
    const sample = matrix[route]!;
    const url = sample.url?.(f) ?? entry!.url;
    const failures: string[] = [];
    for (const caller of callers) {
      const name = callerName(caller);
      const agent = name.startsWith("key") ? t.agent() : agents.get(name)!;
      const saved = agent.bearer;
      if (name.startsWith("key")) agent.bearer = await keyFor(access, name === "keyWithScope");
      const body = method === "GET" || method === "DELETE" ? undefined : (sample.body?.(f) ?? {});
      const response = await agent.request(
        method as "GET",
        url,
        body,
        sample.headers ? { headers: sample.headers } : {},
      );
      agent.bearer = saved;
      const status = response.statusCode;
      const denied = status === 401 || status === 403;
      if (allowed(access, caller)) {
        const isSignIn = route.endsWith("/auth/login");
        if (denied && !(isSignIn && status === 401))
          failures.push(`${name} should pass authorization, got ${status} ${response.body.slice(0, 160)}`);
        // The SPA routes answer 503 web_not_built until `npm run build` has run; that is not an authorization outcome.
        if (status >= 500 && !response.body.includes("web_not_built")) failures.push(`${name} got ${status}`);
        if (caller.kind === "partnerB" && access.kind === "partner") {
          if (sample.ownsA && status !== 404) failures.push(`partner B reached partner A's record: ${status}`);
          // An id B itself put in the URL may be echoed in the 404; any other of A's ids is a leak.
          const leaked = [f.partnerA, f.enrollmentA, f.linkA, f.couponA, f.payoutA].filter(
            (id) => !url.includes(id) && response.body.includes(id),
          );
          if (leaked.length) failures.push(`partner B saw partner A's ids ${leaked.join(", ")}`);
        }
      } else if (!denied) {
        failures.push(`${name} should be refused, got ${status} ${response.body.slice(0, 160)}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
