import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { auditLog, payoutMethods } from "../../src/db/schema/index.js";
import type { FakeStripe } from "../helpers/fake-stripe.js";
import { createTestAppWithStripe } from "../helpers/payout-setup.js";
import { programWithEnrolled } from "../helpers/program-setup.js";
import {
  type Agent,
  applicationBody,
  createTestApp,
  PASSWORD,
  type ProgramJson,
  programBody,
  type TestApp,
} from "../helpers/test-app.js";

let t: TestApp;
let stripe: FakeStripe;
let owner: Agent;

beforeAll(async () => {
  ({ t, stripe } = await createTestAppWithStripe());
  owner = await t.team("owner");
});
afterAll(() => t.close());

/** A partner approved in a program of its own, signed in to the portal. */
const partner = async () => (await programWithEnrolled(t, owner)).partners[0]!;

/** The partner in Stripe's hosted onboarding: submits the form (or leaves); Stripe redirects to `return_url`. */
async function onStripe(url: string, leave = false) {
  const response = await fetch(url, {
    method: "POST",
    body: leave ? "leave=1" : "",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    redirect: "manual",
  });
  expect(response.status).toBe(302);
  return response.headers.get("location")!;
}

/** Back on Tributary: the path of a URL Stripe redirected to, as the partner's browser requests it. */
const pathOf = (url: string) => {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
};

const methodRow = async (partnerId: string) =>
  (await t.database.db.select().from(payoutMethods).where(eq(payoutMethods.partnerId, partnerId)))[0];

describe("Stripe Connect onboarding", () => {
  test("connect with Stripe: an Express account is created, the partner onboards on Stripe and comes back connected", async () => {
    const { agent, partnerId } = await partner();
    expect((await agent.get("/v1/portal/payout-method/stripe")).json()).toEqual({ available: true });
    const wrong = await agent.post("/v1/portal/payout-method/stripe", { currentPassword: "not-it" });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().errors[0].field).toBe("/currentPassword");

    const started = await agent.post("/v1/portal/payout-method/stripe", { currentPassword: PASSWORD });
    expect(started.statusCode, started.body).toBe(200);
    expect(started.json().url).toMatch(new RegExp(`^${stripe.url}/setup/e/`));
    const [accountId, account] = [...stripe.accounts].at(-1)!;
    expect(account).toMatchObject({
      details_submitted: false,
      metadata: { tributary_partner_id: partnerId },
      capabilities: { transfers: "inactive" },
    });
    const link = [...stripe.accountLinks.values()].at(-1)!;
    expect(link).toMatchObject({ account: accountId, type: "account_onboarding" });
    expect(link.return_url).toMatch(/^http:\/\/localhost(:80)?\/v1\/portal\/payout-method\/stripe\/return\?state=/);
    expect(link.return_url).not.toContain(accountId);
    // Nothing is saved until Stripe says the details were submitted.
    expect(await methodRow(partnerId)).toBeUndefined();

    const back = await agent.get(pathOf(await onStripe(started.json().url)));
    expect(back.statusCode).toBe(303);
    expect(back.headers.location).toBe("/portal/payouts?stripe=connected");
    const method = (await agent.get("/v1/portal/payout-method")).json();
    expect(method).toMatchObject({
      kind: "stripe_connect",
      masked: `Stripe acct_••••${accountId.slice(-4)}`,
      attention: null,
    });
    const row = await methodRow(partnerId);
    expect(JSON.parse(t.app.payouts.keyring.open(row!.detailsEncrypted, partnerId))).toEqual({ accountId });
    const audits = await t.database.db.select().from(auditLog).where(eq(auditLog.entityId, partnerId));
    expect(audits.map((a) => a.action)).toEqual(
      expect.arrayContaining(["payout_method.stripe_onboarding_started", "payout_method.create"]),
    );
    expect(JSON.stringify(audits)).not.toContain(accountId);

    // Connecting again updates the same account instead of creating another.
    const accounts = stripe.accounts.size;
    const again = await agent.post("/v1/portal/payout-method/stripe", { currentPassword: PASSWORD });
    expect(again.statusCode).toBe(200);
    expect(stripe.accounts.size).toBe(accounts);
    expect([...stripe.accountLinks.values()].at(-1)!.account).toBe(accountId);
  });

  test("leaving Stripe early saves nothing; the link resumes the same account; a used link is refreshed", async () => {
    const { agent, partnerId } = await partner();
    const started = (await agent.post("/v1/portal/payout-method/stripe", { currentPassword: PASSWORD })).json();
    const [accountId] = [...stripe.accounts].at(-1)!;
    const back = await agent.get(pathOf(await onStripe(started.url, true)));
    expect(back.statusCode).toBe(303);
    const target = new URL(back.headers.location as string, "http://portal");
    expect(target.pathname).toBe("/portal/payouts");
    expect(target.searchParams.get("stripe")).toBe("incomplete");
    expect(await methodRow(partnerId)).toBeUndefined();

    // "Continue with Stripe": a fresh link for the same account.
    const resumed = await agent.get(
      `/v1/portal/payout-method/stripe/refresh?state=${encodeURIComponent(target.searchParams.get("state")!)}`,
    );
    expect(resumed.statusCode).toBe(303);
    const fresh = [...stripe.accountLinks.values()].at(-1)!;
    expect(resumed.headers.location).toBe(`${stripe.url}/setup/e/${fresh.id}`);
    expect(fresh.account).toBe(accountId);
    // The first link was used: Stripe sends the partner to refresh_url, which makes another.
    const reused = await fetch(started.url, { redirect: "manual" });
    const first = stripe.accountLinks.get(started.url.split("/").at(-1))!;
    expect(reused.headers.get("location")).toBe(first.refresh_url);
    expect(first.refresh_url).toMatch(/\/v1\/portal\/payout-method\/stripe\/refresh\?state=/);

    // Stripe still verifies the account: it is saved, with payouts held until Stripe enables it.
    stripe.onboardingOutcome = {
      payouts_enabled: false,
      requirements: { disabled_reason: "requirements.pending_verification", past_due: [] },
    };
    try {
      const done = await agent.get(pathOf(await onStripe(resumed.headers.location as string)));
      expect(done.headers.location).toBe("/portal/payouts?stripe=connected");
    } finally {
      stripe.onboardingOutcome = { payouts_enabled: true, requirements: { disabled_reason: null, past_due: [] } };
    }
    const method = (await agent.get("/v1/portal/payout-method")).json();
    expect(method.attention.reason).toContain("Stripe is verifying the information provided");
  });

  test("only the partner who started an onboarding can finish it; without Stripe the option is not offered", async () => {
    const a = await partner();
    const b = await partner();
    const started = (await a.agent.post("/v1/portal/payout-method/stripe", { currentPassword: PASSWORD })).json();
    const returnUrl = await onStripe(started.url);
    const stolen = await b.agent.get(pathOf(returnUrl));
    expect(stolen.statusCode).toBe(303);
    expect(stolen.headers.location).toMatch(/^\/portal\/payouts\?stripe=error&reason=/);
    expect(await methodRow(b.partnerId)).toBeUndefined();
    expect((await t.agent().get(pathOf(returnUrl))).statusCode).toBe(401);
    expect((await a.agent.get(pathOf(returnUrl))).headers.location).toBe("/portal/payouts?stripe=connected");

    const bare = await createTestApp();
    try {
      const program = (await (await bare.team("owner")).post("/v1/programs", programBody())).json<ProgramJson>();
      const agent = bare.agent();
      await agent.post(`/v1/public/programs/${program.slug}/applications`, applicationBody(program, "x@nostripe.test"));
      expect((await agent.get("/v1/portal/payout-method/stripe")).json()).toEqual({ available: false });
      const refused = await agent.post("/v1/portal/payout-method/stripe", { currentPassword: PASSWORD });
      expect(refused.statusCode).toBe(409);
      expect(refused.json().detail).toContain("STRIPE_SECRET_KEY");
    } finally {
      await bare.close();
    }
  });
});
