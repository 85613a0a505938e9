import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { callApi, enrollApprovedPartner, launchChromium, pageRecordingErrors, shot } from "./browser-kit.js";
import { type E2eServer, startE2eServer } from "./e2e-server.js";

const owner = { name: "Tess Owner", email: "tess@days.test", password: "correct-horse-battery" };
const partner = { name: "Kai Partner", email: "kai@days.test", password: "kai-partner-secret-42" };
const VISITOR_UA =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36";

/**
 * A zone whose date is not UTC's right now: 14 hours ahead once UTC is past 10:00, else 11 hours behind. Its
 * viewer's "today" is another day than UTC's.
 */
const zoneOffTheUtcDate = () => (new Date().getUTCHours() >= 10 ? "Pacific/Kiritimati" : "Pacific/Pago_Pago");

// Only the e2e config sets this; a plain `vitest run` that picks the file up skips it.
describe.skipIf(!process.env.TRIBUTARY_E2E)("performance charts count the viewer's days", () => {
  let server: E2eServer;
  let browser: Browser;
  let ownerContext: BrowserContext;
  let partnerContext: BrowserContext;
  const errors: string[] = [];
  const timezoneId = zoneOffTheUtcDate();

  beforeAll(async () => {
    server = await startE2eServer({ CLICK_DURABILITY: "sync" });
    browser = await launchChromium();
    const options = { baseURL: server.baseUrl, viewport: { width: 1366, height: 900 }, timezoneId };
    ownerContext = await browser.newContext(options);
    partnerContext = await browser.newContext(options);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test("a click made now is on today's row of the viewer's own calendar, in the portal and the console", async () => {
    await callApi(ownerContext, "POST", "/v1/setup/owner", owner);
    const program = await callApi<{ id: string; slug: string }>(ownerContext, "POST", "/v1/programs", {
      name: "Atoll Travel",
      slug: "atoll-travel",
      type: "affiliate",
      currency: "USD",
      allowedDomains: ["atoll.example"],
      defaultLandingUrl: "https://atoll.example/",
      status: "active",
    });
    await enrollApprovedPartner({ owner: ownerContext, partner: partnerContext }, program, {
      ...partner,
      company: "Kai Reviews",
    });
    const { items } = await callApi<{ items: { slug: string }[] }>(
      ownerContext,
      "GET",
      `/v1/links?programId=${program.id}`,
    );
    const visit = await fetch(`${server.baseUrl}/r/${items[0]!.slug}`, {
      redirect: "manual",
      headers: { "user-agent": VISITOR_UA },
    });
    expect(visit.status).toBe(302);
    // Today as the viewer's calendar has it, which is not UTC's date.
    const today = new Intl.DateTimeFormat("en-GB", {
      day: "numeric",
      month: "short",
      year: "numeric",
      timeZone: timezoneId,
    }).format(new Date());
    const utcToday = new Intl.DateTimeFormat("en-GB", {
      day: "numeric",
      month: "short",
      year: "numeric",
      timeZone: "UTC",
    }).format(new Date());
    expect(today).not.toBe(utcToday);

    const portal = await pageRecordingErrors(partnerContext, errors);
    await portal.goto("/portal/performance");
    // The chart's figures, as screen readers get them: one row, today's, with the click.
    const figures = portal.getByRole("table", { name: "All programs: figures per day" });
    await figures.getByRole("row").nth(1).waitFor();
    expect(await figures.getByRole("row").nth(1).getByRole("rowheader").textContent()).toBe(today);
    expect(await figures.getByRole("row").nth(1).getByRole("cell").allTextContents()).toEqual(["1", "0", "0", "—"]);
    await shot(portal, "performance-viewer-days");
    // The refresh time changes every 10 seconds: it is not announced each time to a screen reader.
    const updated = portal.locator(".live-note").filter({ hasText: "updated" });
    await updated.waitFor();
    expect(await updated.evaluate((note) => note.closest("[aria-live]"))).toBeNull();

    // One range for the page: What performs counts the days the totals above count, and has no range of its own.
    const performs = portal.getByRole("region", { name: "What performs" });
    await portal.getByRole("button", { name: "7 days" }).click();
    await performs.getByText(/^The last 7 days, as above, per link/).waitFor();
    expect(await portal.getByRole("group", { name: "Range" }).count()).toBe(1);

    const admin = await pageRecordingErrors(ownerContext, errors);
    await admin.goto(`/admin/programs/${program.id}/performance`);
    const programFigures = admin.getByRole("table", { name: "Program performance: figures per day" });
    await programFigures.getByRole("row").nth(1).waitFor();
    expect(await programFigures.getByRole("row").nth(1).getByRole("rowheader").textContent()).toBe(today);

    // Under the program's chart, its partners over the same days: the one who brought the click, linked to its page.
    const top = admin.getByRole("region", { name: "Top partners" });
    const kai = top.getByRole("row").filter({ hasText: "Kai Reviews" });
    await kai.waitFor();
    expect(await kai.getByRole("cell").allTextContents()).toEqual(["Kai Reviews", "1", "0", "0", "0%", "—"]);
    await admin.getByRole("button", { name: "7 days" }).click();
    await top.getByText(/^The last 7 days, as above/).waitFor();
    expect(await admin.getByRole("group", { name: "Range" }).count()).toBe(1);
    await shot(admin, "performance-top-partners");
    await kai.getByRole("link", { name: "Kai Reviews" }).click();
    await admin.getByRole("heading", { name: "Kai Reviews" }).waitFor();
    expect(errors).toEqual([]);
  });
});
