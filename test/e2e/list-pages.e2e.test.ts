import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { callApi, launchChromium } from "./browser-kit.js";
import { type E2eServer, startE2eServer } from "./e2e-server.js";

const owner = { name: "Grace Owner", email: "grace@lists.test", password: "correct-horse-battery" };
// The partners list shows 25 a page: 60 partners make three pages, the last one of 10.
const PARTNERS = 60;

// Only the e2e config sets this; a plain `vitest run` that picks the file up skips it.
describe.skipIf(!process.env.TRIBUTARY_E2E)("console lists in a real browser", () => {
  let server: E2eServer;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    server = await startE2eServer();
    browser = await launchChromium();
    context = await browser.newContext({ baseURL: server.baseUrl, viewport: { width: 1360, height: 860 } });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const pagerInfo = (page: Page) => page.getByRole("navigation", { name: "Pagination" }).locator(".pager-info");
  const showing = (page: Page, text: string) => expect.poll(() => pagerInfo(page).textContent()).toBe(text);

  test("the page of a list is kept in the URL: reload, back and forward return to it; a new filter starts over", async () => {
    await callApi(context, "POST", "/v1/setup/owner", owner);
    for (let i = 1; i <= PARTNERS; i++) {
      await callApi(context, "POST", "/v1/partners", {
        name: `Partner ${String(i).padStart(2, "0")}`,
        type: i % 2 ? "affiliate" : "reseller",
        country: "DE",
      });
    }
    const admin = await context.newPage();
    const errors: string[] = [];
    admin.on("pageerror", (error) => errors.push(error.message));
    const next = admin.getByRole("button", { name: "Next" });
    const previous = admin.getByRole("button", { name: "Previous" });

    await admin.goto("/admin/partners");
    await showing(admin, "Showing 1–25 partners");
    await next.click();
    await showing(admin, "Showing 26–50 partners");
    const second = new URL(admin.url());
    expect(second.searchParams.get("cursor")).toBeTruthy();
    await next.click();
    await showing(admin, "Showing 51–60 partners");
    expect(await next.isDisabled()).toBe(true);

    // A reload keeps the page, and what came before it.
    await admin.reload();
    await showing(admin, "Showing 51–60 partners");
    await previous.click();
    await showing(admin, "Showing 26–50 partners");
    expect(admin.url()).toBe(second.toString());

    // The browser's back and forward buttons walk the pages.
    await admin.goBack();
    await showing(admin, "Showing 51–60 partners");
    await admin.goBack();
    await showing(admin, "Showing 26–50 partners");
    await admin.goBack();
    await showing(admin, "Showing 1–25 partners");
    expect(await previous.isDisabled()).toBe(true);
    await admin.goForward();
    await showing(admin, "Showing 26–50 partners");

    // A link to a page, opened elsewhere, shows that page; Previous leads to the first one.
    const shared = await context.newPage();
    shared.on("pageerror", (error) => errors.push(error.message));
    await shared.goto(second.pathname + second.search);
    await showing(shared, "Showing 25 partners");
    await shared.getByRole("button", { name: "Previous" }).click();
    await showing(shared, "Showing 1–25 partners");

    // A cursor whose filters changed while its list was not on screen (the payouts page's other view, say): the
    // history entry knows which filters it belongs to, so the list starts over instead of applying it.
    await admin.evaluate(() => {
      const url = new URL(window.location.href);
      url.searchParams.set("type", "reseller");
      window.history.replaceState(window.history.state, "", url);
    });
    await admin.reload();
    await showing(admin, "Showing 1–25 partners");
    await expect.poll(() => new URL(admin.url()).searchParams.get("cursor")).toBeNull();
    await admin.getByLabel("Type").selectOption("");
    await showing(admin, "Showing 1–25 partners");
    await next.click();
    await showing(admin, "Showing 26–50 partners");

    // A filter changed on the second page starts the list over, without the old cursor.
    await admin.getByLabel("Type").selectOption("reseller");
    await showing(admin, "Showing 1–25 partners");
    await expect.poll(() => new URL(admin.url()).searchParams.get("cursor")).toBeNull();
    expect(new URL(admin.url()).searchParams.get("type")).toBe("reseller");
    await next.click();
    await showing(admin, "Showing 26–30 partners");
    expect(errors).toEqual([]);
  });
});
