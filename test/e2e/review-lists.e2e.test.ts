import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { callApi, launchChromium, pageRecordingErrors, SHOTS } from "./browser-kit.js";
import { type E2eServer, startE2eServer } from "./e2e-server.js";

const DEMO_PASSWORD = "tributary-demo";

/**
 * The console's review lists on the demo company, as a first-time visitor finds them: the fraud queue has cases,
 * evidence reads as words, bulk actions select and report sensibly and keep the keyboard focus, partner actions
 * show at once, an entry's history names people, refused forms are announced, and on a phone the navigation is a
 * menu and every amount is on screen.
 */
describe.skipIf(!process.env.TRIBUTARY_E2E)("review lists on the demo company", () => {
  let server: E2eServer;
  let browser: Browser;
  let owner: BrowserContext;
  const errors: string[] = [];

  const newPage = (context: BrowserContext) => pageRecordingErrors(context, errors);
  const signIn = async (page: Page, area: "admin" | "portal", email: string) => {
    await page.goto(`/${area}/login`);
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: /sign in/i }).click();
    await page.waitForURL(new RegExp(`/${area}(?!/login)`));
  };
  const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`) });
  const focused = (page: Page) =>
    page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      return {
        tag: el?.tagName.toLowerCase(),
        role: el?.getAttribute("role"),
        invalid: el?.getAttribute("aria-invalid"),
        className: el?.className ?? "",
        text: el?.textContent ?? "",
      };
    });
  const group = (page: Page, partner: string) => page.locator(".fraud-group").filter({ hasText: partner });

  beforeAll(async () => {
    server = await startE2eServer({}, { demo: true });
    browser = await launchChromium();
    owner = await browser.newContext({ baseURL: server.baseUrl, viewport: { width: 1280, height: 900 } });
    await signIn(await newPage(owner), "admin", "owner@demo.test");
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test("the demo's fraud queue has open cases, and their evidence reads as words", async () => {
    const page = await newPage(owner);
    await page.goto("/admin/fraud");
    await expect.poll(() => page.locator(".fraud-group").count()).toBeGreaterThanOrEqual(3);
    const injected = group(page, "Brightline Reviews");
    await injected.locator("summary", { hasText: "Click injection" }).first().click();
    const terms = await injected.locator(".fraud-evidence dt").allTextContents();
    expect(terms).toContain("Click to conversion");
    expect(terms).toContain("Shortest believable time");
    const values = await injected.locator(".fraud-evidence dd").allTextContents();
    expect(values.some((v) => /^\d+ seconds?$/.test(v))).toBe(true);
    // Every rule's evidence on the page: no key (camelCase) as a label, no JSON as a value.
    await page.evaluate(() => {
      for (const d of document.querySelectorAll("details.fraud-decision")) (d as HTMLDetailsElement).open = true;
    });
    const allTerms = await page.locator(".fraud-evidence dt").allTextContents();
    expect(allTerms.length).toBeGreaterThan(5);
    for (const term of allTerms) expect(term).not.toMatch(/[a-z][A-Z]|_/);
    for (const value of await page.locator(".fraud-evidence dd").allTextContents()) expect(value).not.toMatch(/[{}"]/);
    await shot(page, "review-lists-fraud-evidence");
    await page.close();
  });

  test("a partner group's select-all picks its open cases; after approving, the result has the focus", async () => {
    const page = await newPage(owner);
    await page.goto("/admin/fraud");
    const cobalt = group(page, "Cobalt IT Services");
    await cobalt.locator("tbody tr").first().waitFor();
    const cases = await cobalt.locator("tbody tr").count();
    expect(cases).toBeGreaterThan(0);
    await cobalt.getByRole("checkbox", { name: /Select all \d+ open cases? of Cobalt IT Services/ }).check();
    const bar = page.getByRole("toolbar", { name: "Selected conversions" });
    await expect.poll(() => bar.textContent()).toContain(`${cases} selected`);
    await bar.getByRole("button", { name: "Approve" }).click();
    const outcome = page.locator(".bulk-outcome");
    await outcome.waitFor();
    expect(await outcome.getAttribute("role")).toBe("status");
    expect(await outcome.textContent()).toContain(`${cases} ${cases === 1 ? "conversion" : "conversions"} approved`);
    await expect.poll(async () => (await focused(page)).className).toContain("bulk-outcome");
    await expect.poll(() => cobalt.count()).toBe(0);
    await page.close();
  });

  test("rejecting with no reason is announced and focuses the reason", async () => {
    const page = await newPage(owner);
    await page.goto("/admin/fraud");
    await group(page, "Keystone").locator("tbody input[type=checkbox]").first().check();
    await page.getByRole("toolbar", { name: "Selected conversions" }).getByRole("button", { name: "Reject" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByRole("button", { name: "Cancel" }).waitFor();
    await dialog.locator("button[type=submit]").click();
    await expect.poll(async () => (await focused(page)).tag).toBe("textarea");
    expect((await focused(page)).invalid).toBe("true");
    expect(await dialog.getByRole("alert").textContent()).toContain("Give a reason");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await page.close();
  });

  test("suspending a partner shows it suspended at once, with Reinstate in place of Suspend", async () => {
    const page = await newPage(owner);
    await page.goto("/admin/fraud");
    const brightline = group(page, "Brightline Reviews");
    await brightline.getByRole("button", { name: "Suspend Brightline Reviews" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Reason").fill("Installer app injecting clicks");
    await dialog.getByRole("button", { name: "Suspend", exact: true }).click();
    await brightline.locator(".badge", { hasText: "Suspended" }).waitFor();
    expect(await brightline.getByRole("button", { name: "Suspend Brightline Reviews" }).count()).toBe(0);
    expect(await brightline.getByRole("button", { name: "Reinstate Brightline Reviews" }).count()).toBe(1);
    await expect.poll(async () => (await focused(page)).text).toContain("Brightline Reviews is suspended");
    // And after a reload, from the server.
    await page.reload();
    await group(page, "Brightline Reviews").locator(".badge", { hasText: "Suspended" }).waitFor();
    await shot(page, "review-lists-suspended");
    await page.close();
  });

  test("commissions: select-all leaves out what cannot change and says so; an approval names who approved", async () => {
    const { items } = await callApi<{ items: { id: string; name: string }[] }>(
      owner,
      "GET",
      "/v1/partners?q=Bluepeak&limit=5",
    );
    const bluepeak = items.find((p) => p.name === "Bluepeak Solutions")!;
    // Bluepeak has entries in a payout (they cannot change), entries held by open fraud cases and a pending one.
    const entries = await callApi<{ items: { id: string; status: string; payoutId: string | null }[] }>(
      owner,
      "GET",
      `/v1/commissions?partnerId=${bluepeak.id}`,
    );
    const pending = entries.items.find((e) => e.status === "pending")!;
    expect(pending).toBeDefined();
    const page = await newPage(owner);
    await page.goto(`/admin/commissions?partnerId=${bluepeak.id}`);
    await page.locator(".ledger-table tbody tr").first().waitFor();
    const boxes = page.locator(".ledger-table tbody input[type=checkbox]");
    const disabled = await page.locator(".ledger-table tbody input[type=checkbox]:disabled").count();
    expect(disabled).toBeGreaterThan(0);
    await page.locator(".ledger-table thead input[type=checkbox]").check();
    const bar = page.getByRole("toolbar", { name: "Selected entries" });
    const enabled = (await boxes.count()) - disabled;
    await expect.poll(() => bar.textContent()).toContain(`${enabled} selected`);
    expect(await bar.textContent()).toContain(`${disabled} on this page cannot change`);
    for (const box of await page.locator(".ledger-table tbody input[type=checkbox]:disabled").all())
      expect(await box.isChecked()).toBe(false);
    await bar.getByRole("button", { name: /^Approve/ }).click();
    const outcome = page.locator(".bulk-outcome");
    await outcome.waitFor();
    await expect.poll(async () => (await focused(page)).className).toContain("bulk-outcome");
    expect(await outcome.textContent()).toMatch(/\d+ (entry|entries) approved/);
    await page.goto(`/admin/commissions?partnerId=${bluepeak.id}&entry=${pending.id}`);
    const drawer = page.getByRole("dialog");
    const history = drawer.getByRole("region", { name: "History" });
    await history.waitFor();
    expect(await history.textContent()).toContain("Approved by Olivia Owner (owner@demo.test)");
    expect(await drawer.textContent()).not.toMatch(/usr_/);
    await shot(page, "review-lists-history");
    await page.close();
  });

  test("FX rates: an empty rate or upload is refused out loud, with the field focused", async () => {
    const page = await newPage(owner);
    await page.goto("/admin/fx-rates");
    await page.getByRole("button", { name: "Save rate" }).click();
    await expect.poll(async () => (await focused(page)).invalid).toBe("true");
    const rateCard = page.getByRole("region", { name: "Set a rate" });
    expect(await rateCard.getByRole("alert").first().textContent()).toContain("Enter how many");
    await page.getByRole("button", { name: "Import rates" }).click();
    await expect.poll(async () => (await focused(page)).tag).toBe("textarea");
    expect(await page.getByRole("region", { name: "Upload rates" }).getByRole("alert").textContent()).toContain(
      "Choose a CSV file or paste the rates",
    );
    await page.close();
  });

  test("on a phone: the console's navigation is a menu, and every money column is on screen", async () => {
    const phone = { viewport: { width: 390, height: 844 }, baseURL: server.baseUrl };
    const context = await browser.newContext(phone);
    const page = await newPage(context);
    await signIn(page, "admin", "owner@demo.test");
    await page.goto("/admin/commissions");
    const menu = page.getByRole("button", { name: "Menu" });
    const nav = page.getByRole("navigation", { name: "Console" });
    expect(await nav.isVisible()).toBe(false);
    expect(await menu.getAttribute("aria-expanded")).toBe("false");
    const bar = await page.locator(".sidebar").boundingBox();
    expect(bar!.height).toBeLessThan(80);
    await menu.click();
    expect(await nav.isVisible()).toBe(true);
    await nav.getByRole("link", { name: "Fraud review" }).click();
    await page.waitForURL(/\/admin\/fraud/);
    await expect.poll(() => nav.isVisible()).toBe(false);

    const amountsOnScreen = async (path: string, name: string) => {
      await page.goto(path);
      const amounts = page.locator("td.col-amount");
      await amounts.first().waitFor();
      await shot(page, `review-lists-phone-${name}`);
      for (const cell of (await amounts.all()).slice(0, 5)) {
        const box = (await cell.boundingBox())!;
        expect(box.x, `${path}: an amount starts off-screen`).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width, `${path}: an amount ends off-screen`).toBeLessThanOrEqual(390);
      }
      expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(390);
    };
    await amountsOnScreen("/admin/fraud", "fraud");
    await amountsOnScreen("/admin/commissions", "ledger");
    await amountsOnScreen("/admin/payouts", "payouts");

    const portal = await newPage(await browser.newContext(phone));
    await signIn(portal, "portal", "partner@demo.test");
    for (const [path, name] of [
      ["/portal/earnings", "earnings"],
      ["/portal/payouts", "statement"],
    ] as const) {
      await portal.goto(path);
      const amounts = portal.locator("td.col-amount");
      await amounts.first().waitFor();
      await portal.screenshot({ path: join(SHOTS, `review-lists-phone-portal-${name}.png`), fullPage: true });
      for (const cell of (await amounts.all()).slice(0, 5)) {
        const box = (await cell.boundingBox())!;
        expect(box.x + box.width, `${path}: an amount ends off-screen`).toBeLessThanOrEqual(390);
      }
    }
    expect(errors).toEqual([]);
  });
});
