import type { Browser, BrowserContext, Locator } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { seedEntries } from "../helpers/ledger.js";
import { callApi, enrollApprovedPartner, launchChromium, pageRecordingErrors, shot } from "./browser-kit.js";
import { type E2eServer, startE2eServer } from "./e2e-server.js";

const owner = { name: "Fiona Finance", email: "fiona@payouts.test", password: "correct-horse-battery" };
const partners = [
  { name: "Ann Able", email: "ann@able.test", password: "able-secret-4242", company: "Able Media" },
  { name: "Ben Below", email: "ben@below.test", password: "below-secret-4242", company: "Below Blog" },
  { name: "Cy Nomethod", email: "cy@nomethod.test", password: "nomethod-secret-42", company: "Nomethod Net" },
  { name: "Dee Banker", email: "dee@banker.test", password: "banker-secret-4242", company: "Banker Reviews" },
];

// Only the e2e config sets this; a plain `vitest run` that picks the file up skips it.
describe.skipIf(!process.env.TRIBUTARY_E2E)("the console's payout screens, in a real browser", () => {
  let server: E2eServer;
  let browser: Browser;
  let ownerContext: BrowserContext;
  const errors: string[] = [];
  let programId = "";
  const partnerIds: string[] = [];

  const newPage = (context: BrowserContext) => pageRecordingErrors(context, errors);

  beforeAll(async () => {
    server = await startE2eServer();
    browser = await launchChromium();
    const options = { baseURL: server.baseUrl, viewport: { width: 1280, height: 860 } };
    ownerContext = await browser.newContext(options);
    await callApi(ownerContext, "POST", "/v1/setup/owner", owner);
    const program = await callApi<{ id: string; slug: string }>(ownerContext, "POST", "/v1/programs", {
      name: "Harbor Goods",
      slug: "harbor-payouts",
      type: "affiliate",
      status: "active",
      currency: "USD",
      allowedDomains: ["shop.example"],
      payoutMinimum: 1_000,
    });
    programId = program.id;
    for (const applicant of partners) {
      const context = await browser.newContext(options);
      const { partnerId } = await enrollApprovedPartner({ owner: ownerContext, partner: context }, program, applicant);
      partnerIds.push(partnerId);
      if (applicant.company === "Able Media")
        await callApi(context, "PUT", "/v1/portal/payout-method", {
          kind: "paypal",
          email: "ann@able.test",
          currentPassword: applicant.password,
        });
      if (applicant.company === "Banker Reviews")
        await callApi(context, "PUT", "/v1/portal/payout-method", {
          kind: "bank",
          holderName: "Dee Banker",
          iban: "DE89 3704 0044 0532 0130 00",
          currency: "EUR",
          currentPassword: applicant.password,
        });
      await context.close();
    }
    const [able, below, nomethod, banker] = partnerIds;
    await seedEntries(server.database.db, [
      { programId, partnerId: able!, amount: 4_200n, occurredAt: "2026-01-05T00:00:00Z" },
      { programId, partnerId: below!, amount: 650n, occurredAt: "2026-01-05T00:00:00Z" },
      { programId, partnerId: nomethod!, amount: 2_500n, occurredAt: "2026-01-05T00:00:00Z" },
      { programId, partnerId: banker!, amount: 3_100n, occurredAt: "2026-01-05T00:00:00Z" },
    ]);
    await callApi(ownerContext, "POST", "/v1/payout-runs", { programId });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test("a run lists who it did not pay and why; the batch dialog shows what each method would pay", async () => {
    const page = await newPage(ownerContext);
    await page.goto("/admin/payouts?view=runs");
    await page.getByRole("button", { name: "2 partners" }).click();
    const drawer = page.getByRole("dialog", { name: /Payout run of/ });
    await drawer.getByRole("heading", { name: "2 payouts created" }).waitFor();
    await drawer.getByRole("heading", { name: "2 partners not paid" }).waitFor();
    const noMethod = drawer.getByRole("region", { name: "No payout method" });
    await noMethod.getByRole("link", { name: "Nomethod Net" }).waitFor();
    await noMethod.getByText("$25.00").first().waitFor();
    const below = drawer.getByRole("region", { name: "Below the payout minimum" });
    await below.getByRole("link", { name: "Below Blog" }).waitFor();
    await below.getByText("$6.50").first().waitFor();
    await shot(page, "70-payout-run-not-paid");
    await page.keyboard.press("Escape");

    await page.goto("/admin/payouts");
    await page.getByRole("button", { name: "Create batch" }).click();
    const dialog = page.getByRole("dialog", { name: "Create a payout batch" });
    const paypal = dialog.getByRole("radio", { name: /PayPal/ });
    await dialog.getByText("1 pending payout · $42.00").waitFor();
    await dialog.getByText("1 pending payout · $31.00").waitFor();
    expect(await paypal.isChecked()).toBe(true);
    expect(await dialog.getByRole("radio", { name: /Wise/ }).isDisabled()).toBe(true);
    expect(await dialog.getByRole("radio", { name: /Stripe Connect/ }).isDisabled()).toBe(true);
    // Cy had no payout method at the run: it was skipped, so no payout waits without a method.
    expect(await dialog.getByText("cannot be batched", { exact: false }).count()).toBe(0);
    await shot(page, "71-create-batch-pending-by-method");
    await dialog.getByRole("radio", { name: /Bank transfer/ }).check();
    expect(await dialog.getByRole("button", { name: "Create batch" }).isEnabled()).toBe(true);
    await dialog.getByRole("button", { name: "Cancel" }).click();
    expect(errors).toEqual([]);
  });

  test("marking a payout paid by hand asks how it was paid, defaults to the partner's method and shows it in the history", async () => {
    const page = await newPage(ownerContext);
    await page.goto(`/admin/payouts?programId=${programId}&status=pending`);
    await page.getByRole("button", { name: "Mark the payout to Able Media paid" }).click();
    const dialog = page.getByRole("dialog", { name: "Mark the payout to Able Media paid" });
    const partnersMethod = dialog.getByRole("radio", { name: /PayPal \(partner's method\)/ });
    await partnersMethod.waitFor();
    expect(await partnersMethod.isChecked()).toBe(true);
    await dialog.getByText("a***@able.test", { exact: false }).waitFor();
    await dialog.getByRole("radio", { name: /Bank transfer/ }).check();
    await dialog.getByLabel("Reference").fill("WIRE-0042");
    await shot(page, "72-mark-paid-method");
    await dialog.getByRole("button", { name: "Mark paid" }).click();
    await dialog.waitFor({ state: "detached" });

    await page.goto(`/admin/payouts?programId=${programId}&status=paid`);
    await page.getByRole("button", { name: "Open the payout to Able Media" }).click();
    const history = page.getByRole("region", { name: "History" });
    await history.getByText("Marked paid by hand: Bank transfer").waitFor();
    await history.getByText("WIRE-0042").waitFor();
    await history.getByText(owner.email, { exact: false }).first().waitFor();
    await shot(page, "73-payout-history");
    expect(errors).toEqual([]);
  });

  test("a pending payout's Mark paid and Mark failed have a column of their own: every row's opener lines up", async () => {
    // Able's payout is paid by now, Banker's still pending.
    const page = await newPage(ownerContext);
    await page.goto(`/admin/payouts?programId=${programId}`);
    const row = (name: string) => page.getByRole("row").filter({ hasText: name });
    const opener = (name: string) => page.getByRole("button", { name: `Open the payout to ${name}` });
    const markPaid = page.getByRole("button", { name: "Mark the payout to Banker Reviews paid" });
    await markPaid.waitFor();
    const box = async (locator: Locator) => (await locator.boundingBox())!;
    // On a desktop: the openers in one column, right of the settle buttons, which are in a cell of their own.
    const [paidOpener, pendingOpener, paidButton] = [
      await box(opener("Able Media")),
      await box(opener("Banker Reviews")),
      await box(markPaid),
    ];
    expect(pendingOpener.x).toBe(paidOpener.x);
    expect(paidButton.x + paidButton.width).toBeLessThan(pendingOpener.x);
    const cells = row("Banker Reviews").getByRole("cell");
    expect(await cells.filter({ has: markPaid }).count()).toBe(1);
    expect(
      await cells
        .filter({ has: markPaid })
        .filter({ has: opener("Banker Reviews") })
        .count(),
    ).toBe(0);
    await shot(page, "73b-payouts-actions-desktop");

    // On a phone: the opener top right of its card, as on a paid one; the two buttons on a line of their own below.
    await page.setViewportSize({ width: 390, height: 844 });
    const [card, cardOpener, phoneButton] = [
      await box(row("Banker Reviews")),
      await box(opener("Banker Reviews")),
      await box(markPaid),
    ];
    expect(cardOpener.y - card.y).toBeLessThan(24);
    expect(cardOpener.x + cardOpener.width).toBeGreaterThan(card.x + card.width - 40);
    expect(phoneButton.y).toBeGreaterThan(cardOpener.y + cardOpener.height);
    const paidCard = await box(row("Able Media"));
    expect((await box(opener("Able Media"))).y - paidCard.y).toBe(cardOpener.y - card.y);
    await shot(page, "73c-payouts-actions-phone");
    expect(errors).toEqual([]);
  });

  test("a failed transfer says so, with the reason and what happens next; the action is named for what it does", async () => {
    const page = await newPage(ownerContext);
    await page.goto(`/admin/payouts?programId=${programId}&status=pending`);
    await page.getByRole("button", { name: "Mark the transfer to Banker Reviews failed" }).click();
    const dialog = page.getByRole("dialog", { name: "Mark the transfer to Banker Reviews failed" });
    await dialog.getByLabel("Reason").fill("IBAN closed");
    await dialog.getByRole("button", { name: "Mark failed" }).click();
    await dialog.waitFor({ state: "detached" });
    await page.goto(`/admin/payouts?programId=${programId}&status=failed`);
    const row = page.getByRole("row").filter({ hasText: "Banker Reviews" });
    await row.getByText("Transfer failed").waitFor();
    await row.getByText("IBAN closed").waitFor();
    await row.getByText("The amount is back in the partner's balance: the next payout run pays it again.").waitFor();
    expect(await page.getByRole("button", { name: "Failed", exact: true }).count()).toBe(0);
    await shot(page, "74-transfer-failed");
    expect(errors).toEqual([]);
  });
});
