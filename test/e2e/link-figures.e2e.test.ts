import { join } from "node:path";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { callApi, enrollApprovedPartner, launchChromium, pageRecordingErrors, SHOTS, shot } from "./browser-kit.js";
import { type E2eServer, startE2eServer } from "./e2e-server.js";

const owner = { name: "Lena Owner", email: "lena@figures.test", password: "correct-horse-battery" };
const partner = { name: "Ravi Partner", email: "ravi@figures.test", password: "ravi-partner-secret-42" };
const VISITOR_UA =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36";
const DESKTOP = { width: 1366, height: 900 };
const PHONE = { width: 390, height: 844 };

// Only the e2e config sets this; a plain `vitest run` that picks the file up skips it.
describe.skipIf(!process.env.TRIBUTARY_E2E)("each link says how it performs, on every links page", () => {
  let server: E2eServer;
  let browser: Browser;
  let ownerContext: BrowserContext;
  let partnerContext: BrowserContext;
  const errors: string[] = [];
  let programId = "";
  let partnerId = "";
  let defaultSlug = "";

  /** A visit through a partner link; returns the click id the destination receives. */
  async function visit(slug: string): Promise<string> {
    const response = await fetch(`${server.baseUrl}/r/${slug}`, {
      redirect: "manual",
      headers: { "user-agent": VISITOR_UA },
    });
    expect(response.status).toBe(302);
    return new URL(response.headers.get("location")!).searchParams.get("tb_click")!;
  }

  beforeAll(async () => {
    server = await startE2eServer({ CLICK_DURABILITY: "sync" });
    browser = await launchChromium();
    const options = { baseURL: server.baseUrl, viewport: DESKTOP };
    ownerContext = await browser.newContext(options);
    partnerContext = await browser.newContext(options);

    await callApi(ownerContext, "POST", "/v1/setup/owner", owner);
    const program = await callApi<{ id: string; slug: string }>(ownerContext, "POST", "/v1/programs", {
      name: "Harbor Coffee",
      slug: "harbor-coffee",
      type: "affiliate",
      currency: "USD",
      allowedDomains: ["harbor.example"],
      defaultLandingUrl: "https://harbor.example/",
      status: "active",
    });
    programId = program.id;
    const enrollment = await enrollApprovedPartner({ owner: ownerContext, partner: partnerContext }, program, {
      ...partner,
      company: "Ravi Roasts",
    });
    partnerId = enrollment.partnerId;
    await callApi(partnerContext, "POST", `/v1/portal/enrollments/${enrollment.id}/links`, {
      slug: "summer-beans",
      destinationUrl: "https://harbor.example/summer",
    });
    await callApi(partnerContext, "POST", `/v1/portal/enrollments/${enrollment.id}/links`, {
      slug: "quiet-grinder",
      destinationUrl: "https://harbor.example/grinders",
    });
    const links = await callApi<{ items: { slug: string; isDefault: boolean }[] }>(
      partnerContext,
      "GET",
      "/v1/portal/links",
    );
    defaultSlug = links.items.find((l) => l.isDefault)!.slug;

    // The default link: three visits, one of which buys for $49.00; the summer link: one visit, one sign-up.
    const buyer = await visit(defaultSlug);
    await visit(defaultSlug);
    await visit(defaultSlug);
    const lead = await visit("summer-beans");
    const { secret } = await callApi<{ secret: string }>(ownerContext, "POST", "/v1/api-keys", {
      name: "Shop",
      scopes: ["track:write"],
    });
    const track = (path: string, body: unknown) =>
      fetch(`${server.baseUrl}/v1/track/${path}`, {
        method: "POST",
        headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    expect(
      (
        await track("sale", {
          programId,
          orderId: "order-1",
          amount: 4900,
          currency: "USD",
          clickId: buyer,
          customerExternalId: "cust-1",
        })
      ).status,
    ).toBe(201);
    expect((await track("lead", { programId, clickId: lead, customerExternalId: "cust-2" })).status).toBe(201);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** A row's figures as a person reads them: the counts, and the revenue when there is some. */
  const figuresIn = async (row: Locator) => {
    const cell = row.locator("td.col-figures");
    const revenue = cell.locator(".link-figures-revenue");
    return [
      await cell.locator(".link-figures-counts").textContent(),
      (await revenue.count()) ? await revenue.textContent() : null,
    ];
  };
  /** A link with nothing in the period: a dash, which a screen reader reads as nothing yet. */
  const nothingIn = (row: Locator) => row.locator("td.col-figures").getByText("— nothing yet").waitFor();

  async function bothWidths(page: Page, name: string, check: () => Promise<void>) {
    await page.setViewportSize(DESKTOP);
    await check();
    await shot(page, `${name}-desktop`);
    await page.setViewportSize(PHONE);
    await check();
    // Nothing sticks out sideways on a phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await shot(page, `${name}-phone`);
  }

  test("in the portal: the main link's figures in words, each custom link's in columns", async () => {
    const portal = await pageRecordingErrors(partnerContext, errors);
    await portal.goto("/portal/links");
    const card = portal.getByRole("article", { name: "Harbor Coffee" });
    await bothWidths(portal, "link-figures-portal", async () => {
      await card.getByText("Last 30 days: 3 clicks · 0 leads · 1 sale · $49.00 in sales").waitFor();
      const summer = card.getByRole("row").filter({ hasText: "/r/summer-beans" });
      await expect.poll(() => figuresIn(summer)).toEqual(["1 click · 1 lead · 0 sales", null]);
      await nothingIn(card.getByRole("row").filter({ hasText: "/r/quiet-grinder" }));
      // The column says over which period.
      await card.getByRole("columnheader", { name: "Last 30 days" }).waitFor({ state: "attached" });
    });
    await portal.getByText(/what it brought in the last 30 days/).waitFor();
  });

  test("in the console: the program's links and the partner's links, with the period said", async () => {
    const admin = await pageRecordingErrors(ownerContext, errors);
    await admin.goto(`/admin/programs/${programId}/links`);
    await bothWidths(admin, "link-figures-program", async () => {
      const main = admin.getByRole("row").filter({ hasText: `/r/${defaultSlug}` });
      await expect.poll(() => figuresIn(main)).toEqual(["3 clicks · 0 leads · 1 sale", "$49.00 revenue"]);
      const summer = admin.getByRole("row").filter({ hasText: "/r/summer-beans" });
      expect(await figuresIn(summer)).toEqual(["1 click · 1 lead · 0 sales", null]);
      await nothingIn(admin.getByRole("row").filter({ hasText: "/r/quiet-grinder" }));
      await admin.getByRole("columnheader", { name: "Last 30 days" }).waitFor({ state: "attached" });
    });

    // Figures that cannot be loaded leave the list as it is, say so, and come with a retry.
    await admin.route("**/v1/stats/links?**", (route) =>
      route.fulfill({ status: 503, contentType: "application/problem+json", body: '{"status":503}' }),
    );
    await admin.reload();
    const note = admin.getByRole("status").filter({ hasText: "The figures of the last 30 days could not be loaded." });
    await note.waitFor();
    const main = admin.getByRole("row").filter({ hasText: `/r/${defaultSlug}` });
    expect(await main.locator("td.col-figures").textContent()).toBe("—");
    await shot(admin, "link-figures-program-failed-phone");
    await admin.unroute("**/v1/stats/links?**");
    await note.getByRole("button", { name: "Retry" }).click();
    await expect.poll(() => figuresIn(main)).toEqual(["3 clicks · 0 leads · 1 sale", "$49.00 revenue"]);
    await note.waitFor({ state: "detached" });

    await admin.goto(`/admin/partners/${partnerId}`);
    const links = admin.getByRole("region", { name: "Links" });
    await bothWidths(admin, "link-figures-partner", async () => {
      const main = links.getByRole("row").filter({ hasText: `/r/${defaultSlug}` });
      await expect.poll(() => figuresIn(main)).toEqual(["3 clicks · 0 leads · 1 sale", "$49.00 revenue"]);
      await nothingIn(links.getByRole("row").filter({ hasText: "/r/quiet-grinder" }));
      // Every column fits the partner page's narrower card: the last one (the actions) is inside it.
      const actions = links.getByRole("button", { name: "Disable /r/quiet-grinder" });
      const [card, button] = await Promise.all([links.boundingBox(), actions.boundingBox()]);
      expect(button!.x + button!.width).toBeLessThanOrEqual(card!.x + card!.width);
      await links.screenshot({
        path: join(SHOTS, `link-figures-partner-card-${card!.width > 400 ? "desktop" : "phone"}.png`),
      });
    });
    expect(errors).toEqual([]);
  });
});
