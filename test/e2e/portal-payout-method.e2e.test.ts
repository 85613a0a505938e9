import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { FakeStripe } from "../helpers/fake-stripe.js";
import { callApi, enrollApprovedPartner, launchChromium, SHOTS } from "./browser-kit.js";
import { type E2eServer, startE2eServer } from "./e2e-server.js";

const owner = { name: "Gail Owner", email: "gail@connect.test", password: "correct-horse-battery" };
const stripePartner = {
  name: "Sam Stripe",
  email: "sam@stripe-partner.test",
  password: "stripe-partner-42",
  company: "Sam's Reviews",
};
const wisePartner = {
  name: "Wim Wise",
  email: "wim@wise-partner.test",
  password: "wise-partner-4242",
  company: "Wim Media",
};

// Only the e2e config sets this; a plain `vitest run` that picks the file up skips it.
describe.skipIf(!process.env.TRIBUTARY_E2E)("the portal's payout method, in a real browser", () => {
  let server: E2eServer;
  let stripe: FakeStripe;
  let browser: Browser;
  let ownerContext: BrowserContext;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  let program = { id: "", slug: "" };

  const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  const partnerPage = async (applicant: typeof stripePartner, viewport = { width: 1280, height: 900 }) => {
    const context = await browser.newContext({ baseURL: server.baseUrl, viewport });
    contexts.push(context);
    await enrollApprovedPartner({ owner: ownerContext, partner: context }, program, applicant);
    const page = await context.newPage();
    page.on("pageerror", (error) => errors.push(`${page.url()}: ${error.message}`));
    return page;
  };

  beforeAll(async () => {
    stripe = await new FakeStripe().start();
    server = await startE2eServer({ STRIPE_SECRET_KEY: stripe.secretKey, STRIPE_API_BASE: stripe.url });
    browser = await launchChromium();
    ownerContext = await browser.newContext({ baseURL: server.baseUrl });
    await callApi(ownerContext, "POST", "/v1/setup/owner", owner);
    program = await callApi(ownerContext, "POST", "/v1/programs", {
      name: "Northwind Connect",
      slug: "northwind-connect",
      type: "affiliate",
      status: "active",
      currency: "USD",
      allowedDomains: ["shop.example"],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await stripe?.stop();
  });

  test("connect with Stripe: leave early, continue, finish on Stripe's page and come back connected", async () => {
    const page = await partnerPage(stripePartner);
    await page.goto("/portal/payouts");
    const card = page.getByRole("region", { name: "Payout method" });
    await card.getByRole("radio", { name: /Stripe Connect/ }).check();
    expect(await card.getByLabel("Stripe account id").count()).toBe(0);
    await card.getByLabel("Your password").fill(stripePartner.password);
    await shot(page, "80-portal-connect-with-stripe");
    await card.getByRole("button", { name: "Connect with Stripe" }).click();

    // Stripe's hosted onboarding (the fake's page): leave before finishing.
    await page.waitForURL(`${stripe.url}/setup/e/**`);
    await page.getByRole("button", { name: "Return to the platform" }).click();
    await page.waitForURL(/\/portal\/payouts\?stripe=incomplete/);
    await card.getByText("You left Stripe before finishing", { exact: false }).waitFor();
    await shot(page, "81-portal-stripe-incomplete");

    await card.getByRole("link", { name: "Continue with Stripe" }).click();
    await page.waitForURL(`${stripe.url}/setup/e/**`);
    await page.getByRole("button", { name: "Agree and submit" }).click();
    await page.waitForURL(/\/portal\/payouts\?stripe=connected/);
    await card.getByText("Your Stripe account is connected", { exact: false }).waitFor();
    await card.getByText("Stripe acct_••••", { exact: false }).waitFor();
    await shot(page, "82-portal-stripe-connected");
    // One account was created for the partner, and it is the one saved.
    expect(stripe.accounts.size).toBe(1);
    const [accountId] = [...stripe.accounts.keys()];
    await card.getByText(`Stripe acct_••••${accountId!.slice(-4)}`).waitFor();
    expect(errors).toEqual([]);
  });

  test("Wise: the fields follow the currency, an email alone is offered with the name and currency, and the server accepts what the form asks", async () => {
    const page = await partnerPage(wisePartner, { width: 390, height: 844 });
    await page.goto("/portal/payouts");
    const card = page.getByRole("region", { name: "Payout method" });
    await card.getByRole("radio", { name: /^Wise/ }).check();
    await card.getByLabel("Account holder's full name").fill("Wim Wise");
    await card.getByLabel("Currency you receive").fill("USD");
    await card.getByRole("textbox", { name: "ACH routing number" }).waitFor();
    expect(await card.getByRole("textbox", { name: "IBAN" }).count()).toBe(0);
    await card.getByRole("combobox", { name: "Account type" }).waitFor();
    await card.getByLabel("Currency you receive").fill("EUR");
    await card.getByRole("textbox", { name: "IBAN" }).waitFor();
    expect(await card.getByRole("textbox", { name: "ACH routing number" }).count()).toBe(0);

    await card.getByRole("radio", { name: /By email/ }).check();
    expect(await card.getByRole("textbox", { name: "IBAN" }).count()).toBe(0);
    await card.getByText("Your name and currency above are still needed", { exact: false }).waitFor();
    await card.getByLabel("Your password").fill(wisePartner.password);
    await card.getByRole("button", { name: "Save payout method" }).click();
    // The form did not ask for an email yet: the server names it, next to the field.
    await card.getByText("give the recipient's email", { exact: false }).first().waitFor();
    await card.getByLabel("Email for Wise").fill("wim@wise-partner.test");
    await shot(page, "83-portal-wise-email-phone");
    await card.getByRole("button", { name: "Save payout method" }).click();
    await card.getByText("Wise w***@wise-partner.test").waitFor();
    expect(errors).toEqual([]);
  });
});
