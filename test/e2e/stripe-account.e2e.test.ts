import type { Browser, BrowserContext } from "playwright-core";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { FakeStripe } from "../helpers/fake-stripe.js";
import { callApi, enrollApprovedPartner, launchChromium, pageRecordingErrors, shot } from "./browser-kit.js";
import { type E2eServer, startE2eServer } from "./e2e-server.js";

const SECRET = "whsec_e2e_tributary_0123456789abcdef";
const ACCOUNT = "acct_1BrightlaneE2e";
const owner = { name: "Grace Owner", email: "grace@stripe.test", password: "correct-horse-battery" };
const partner = { name: "Paula Partner", email: "paula@brightlane.test", password: "brightlane-secret-42" };
const company = "Brightlane Media";

// Only the e2e config sets this; a plain `vitest run` that picks the file up skips it.
describe.skipIf(!process.env.TRIBUTARY_E2E)("a Stripe account that cannot be paid, in a real browser", () => {
  let server: E2eServer;
  // Tributary reads the account's state from Stripe's API when an event arrives: a local fake Stripe answers.
  let stripe: FakeStripe;
  let browser: Browser;
  let ownerContext: BrowserContext;
  let partnerContext: BrowserContext;
  const errors: string[] = [];
  let partnerId = "";
  let events = 0;

  const newPage = (context: BrowserContext) => pageRecordingErrors(context, errors);
  /** An `account.updated` event as Stripe sends it, signed by the official library. */
  const accountUpdated = async (payoutsEnabled: boolean) => {
    events += 1;
    stripe.accounts.set(ACCOUNT, {
      payouts_enabled: payoutsEnabled,
      requirements: payoutsEnabled
        ? { disabled_reason: null, past_due: [] }
        : { disabled_reason: "requirements.past_due", past_due: ["individual.verification.document"] },
    });
    const payload = JSON.stringify({
      id: `evt_e2e_${events}`,
      object: "event",
      type: "account.updated",
      account: ACCOUNT,
      livemode: false,
      created: Math.floor(Date.now() / 1000),
      data: {
        object: {
          id: ACCOUNT,
          object: "account",
          payouts_enabled: payoutsEnabled,
          requirements: payoutsEnabled
            ? { disabled_reason: null, past_due: [] }
            : { disabled_reason: "requirements.past_due", past_due: ["individual.verification.document"] },
        },
      },
    });
    const response = await fetch(`${server.baseUrl}/v1/webhooks/stripe`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "stripe-signature": Stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET }),
      },
      body: payload,
    });
    expect(response.status).toBe(200);
  };

  beforeAll(async () => {
    stripe = await new FakeStripe().start();
    server = await startE2eServer({
      STRIPE_WEBHOOK_SECRET: SECRET,
      STRIPE_SECRET_KEY: stripe.secretKey,
      STRIPE_API_BASE: stripe.url,
    });
    browser = await launchChromium();
    const options = { baseURL: server.baseUrl, viewport: { width: 1360, height: 860 } };
    ownerContext = await browser.newContext(options);
    partnerContext = await browser.newContext(options);
    await callApi(ownerContext, "POST", "/v1/setup/owner", owner);
    const program = await callApi<{ id: string; slug: string }>(ownerContext, "POST", "/v1/programs", {
      name: "Northwind Shop",
      slug: "northwind-stripe",
      type: "affiliate",
      status: "active",
      currency: "USD",
      allowedDomains: ["shop.example"],
    });
    partnerId = (
      await enrollApprovedPartner({ owner: ownerContext, partner: partnerContext }, program, { ...partner, company })
    ).partnerId;
    // callApi throws unless the answer is a success.
    await callApi(partnerContext, "PUT", "/v1/portal/payout-method", {
      kind: "stripe_connect",
      accountId: ACCOUNT,
      currentPassword: partner.password,
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await stripe?.stop();
  });

  test("the partner and the team see Stripe's reason while payouts are held, and it clears when Stripe enables the account", async () => {
    await accountUpdated(false);
    const portal = await newPage(partnerContext);
    await portal.goto("/portal/payouts");
    const method = portal.getByRole("region", { name: "Payout method" });
    const notice = method.getByRole("status").filter({ hasText: "Needs attention since" });
    await notice.getByText("overdue: individual verification document", { exact: false }).waitFor();
    await notice.getByText("Your payouts are held, not lost", { exact: false }).waitFor();
    await shot(portal, "61-portal-stripe-attention");

    const admin = await newPage(ownerContext);
    await admin.goto(`/admin/partners/${partnerId}`);
    const finance = admin.getByRole("region", { name: "Earnings and payouts" });
    await finance.getByText("held out of Stripe batches", { exact: false }).waitFor();
    await shot(admin, "62-partner-stripe-attention");

    await accountUpdated(true);
    await portal.reload();
    await method.getByText("Stripe acct_••••", { exact: false }).waitFor();
    expect(await method.getByText("Needs attention since").count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
