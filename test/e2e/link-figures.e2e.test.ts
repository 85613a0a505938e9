import { join } from "node:path";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  arrangeShopProgram,
  type BrowserStage,
  callApi,
  clickThrough,
  createTrackKey,
  defaultLinkSlug,
  openBrowserStage,
  pageRecordingErrors,
  reportToTrack,
  SHOTS,
  shot,
} from "./browser-kit.js";

const owner = { name: "Lena Owner", email: "lena@figures.test", password: "correct-horse-battery" };
const partner = { name: "Ravi Partner", email: "ravi@figures.test", password: "ravi-partner-secret-42" };
const program = { name: "Harbor Coffee", slug: "harbor-coffee" };
const DESKTOP = { width: 1366, height: 900 };
const PHONE = { width: 390, height: 844 };

// Only the e2e config sets this; a plain `vitest run` that picks the file up skips it.
describe.skipIf(!process.env.TRIBUTARY_E2E)("each link says how it performs, on every links page", () => {
  let stage: BrowserStage;
  const errors: string[] = [];
  let programId = "";
  let partnerId = "";
  let defaultSlug = "";

  beforeAll(async () => {
    stage = await openBrowserStage(owner, { env: { CLICK_DURABILITY: "sync" }, contexts: { viewport: DESKTOP } });
    const applicant = { ...partner, company: "Ravi Roasts" };
    const arranged = await arrangeShopProgram(stage, program, applicant, { landingPage: true });
    programId = arranged.programId;
    partnerId = arranged.enrollment.partnerId;
    await callApi(stage.partner, "POST", `/v1/portal/enrollments/${arranged.enrollment.id}/links`, {
      slug: "summer-beans",
      destinationUrl: "https://shop.example/summer",
    });
    await callApi(stage.partner, "POST", `/v1/portal/enrollments/${arranged.enrollment.id}/links`, {
      slug: "quiet-grinder",
      destinationUrl: "https://shop.example/grinders",
    });
    defaultSlug = await defaultLinkSlug(stage.partner);

    // The default link: three visits, one of which buys for $49.00; the summer link: one visit, one sign-up.
    const buyer = await clickThrough(stage.server, defaultSlug);
    await clickThrough(stage.server, defaultSlug);
    await clickThrough(stage.server, defaultSlug);
    const lead = await clickThrough(stage.server, "summer-beans");
    const secret = await createTrackKey(stage.owner);
    const track = (event: "sale" | "lead", body: unknown) => reportToTrack(stage.server, secret, event, body);
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

  afterAll(() => stage?.close());

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
    const portal = await pageRecordingErrors(stage.partner, errors);
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
    const admin = await pageRecordingErrors(stage.owner, errors);
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
