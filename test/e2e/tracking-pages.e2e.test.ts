import type { BrowserContext, Locator } from "playwright-core";
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
  shot,
} from "./browser-kit.js";

const owner = { name: "Tess Owner", email: "tess@pages.test", password: "correct-horse-battery" };
const applicant = {
  name: "Omar Partner",
  email: "omar@pages.test",
  password: "omar-partner-secret-42",
  company: "Omar Outdoors",
};
const program = { name: "Trailhead Shop", slug: "trailhead-shop" };
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

/**
 * WCAG's contrast ratio of an element's text against the first background behind it that is not transparent
 * (colours as the browser computed them: `rgb(…)` / `rgba(…)`).
 */
const contrastOf = (element: Locator) =>
  element.evaluate((el) => {
    const rgb = (css: string) => (css.match(/[\d.]+/g) ?? []).map(Number);
    const luminance = ([r, g, b]: number[]) => {
      const [R, G, B] = [r!, g!, b!].map((v) => {
        const c = v / 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * R! + 0.7152 * G! + 0.0722 * B!;
    };
    let node: Element | null = el;
    let background = [255, 255, 255];
    while (node) {
      const color = rgb(getComputedStyle(node).backgroundColor);
      if (color.length === 3 || (color.length === 4 && color[3] === 1)) {
        background = color.slice(0, 3);
        break;
      }
      node = node.parentElement;
    }
    const [a, b] = [luminance(rgb(getComputedStyle(el).color)), luminance(background)];
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  });

/**
 * The tracking pages as a partner team and a partner use them: the portal's link builder and performance page, the
 * console's clicks and tracking settings, and the link dialogs of both.
 */
describe.skipIf(!process.env.TRIBUTARY_E2E)("the tracking pages, as a partner team and a partner use them", () => {
  let stage: BrowserStage;
  let serverClosed = false;
  let ownerContext: BrowserContext;
  let partnerContext: BrowserContext;
  let programId = "";
  let defaultSlug = "";
  let trackKey = "";
  const errors: string[] = [];
  const newPage = (context: BrowserContext) => pageRecordingErrors(context, errors);

  /** A visit through a partner link, with a query; the click id the shop's page receives. */
  const visit = (slug: string, query = "") => clickThrough(stage.server, `${slug}${query}`);

  async function track(kind: "sale" | "refund", body: Record<string, unknown>) {
    const response = await reportToTrack(stage.server, trackKey, kind, { programId, ...body });
    expect(response.status, await response.clone().text()).toBe(201);
  }

  beforeAll(async () => {
    // Synchronous click writes: a visit's click is listed as soon as its redirect has answered.
    stage = await openBrowserStage(owner, {
      env: { CLICK_DURABILITY: "sync" },
      contexts: { viewport: DESKTOP },
      partnerOnly: { permissions: ["clipboard-read", "clipboard-write"] },
    });
    ownerContext = stage.owner;
    partnerContext = stage.partner;
    const arranged = await arrangeShopProgram(stage, program, applicant, { landingPage: true, standardPlan: true });
    programId = arranged.programId;
    defaultSlug = await defaultLinkSlug(partnerContext);
    trackKey = await createTrackKey(ownerContext);
  }, 120_000);

  // The last test stops the server itself: then only the browser is left to close.
  afterAll(async () => (serverClosed ? stage?.browser.close() : stage?.close()));

  test("the link builder gives no link for a page the redirect would ignore, and its link fits a phone", async () => {
    const page = await newPage(partnerContext);
    await page.setViewportSize(PHONE);
    await page.goto("/portal/links");
    const builder = page.getByRole("region", { name: "Tag a link" });
    const copy = builder.getByRole("button", { name: "Copy tagged link" });
    const qr = builder.getByRole("button", { name: "QR code of the tagged link" });
    await builder.getByLabel("sub1").fill("spring");

    // A page of another site: the field says why, and there is nothing to copy or scan (copied anyway, the link
    // would have landed on the usual page without a word).
    await builder.getByLabel("Page to land on").fill("https://elsewhere.example/deal");
    await builder.getByText("elsewhere.example is not a site of this program").waitFor();
    await builder.getByText("Fix the page to land on to get the link.").waitFor();
    expect(await builder.locator("code.id-box").count()).toBe(0);
    expect(await copy.isDisabled()).toBe(true);
    expect(await qr.isDisabled()).toBe(true);
    await shot(page, "tracking-pages-builder-bad-page-390");

    // A page of the shop, pasted without its scheme: the link, on a line of its own above its buttons.
    await builder.getByLabel("Page to land on").fill("shop.example/tents");
    const link = builder.locator("code.id-box");
    await expect
      .poll(() => link.textContent())
      .toBe(`${stage.server.baseUrl}/r/${defaultSlug}?url=https%3A%2F%2Fshop.example%2Ftents&sub1=spring`);
    expect(await copy.isEnabled()).toBe(true);
    const [row, box, button] = [
      (await builder.locator(".tagged-link-result").boundingBox())!,
      (await link.boundingBox())!,
      (await copy.boundingBox())!,
    ];
    expect(box.width).toBe(row.width);
    expect(button.y).toBeGreaterThanOrEqual(box.y + box.height);
    await copy.click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await link.textContent());
    await shot(page, "tracking-pages-builder-390");
    await page.close();
  });

  test("a new link's destination and a changed one may be pasted without https://", async () => {
    const page = await newPage(partnerContext);
    await page.goto("/portal/links");
    await page.getByRole("button", { name: "New link" }).click();
    const dialog = page.getByRole("dialog", { name: "New tracking link" });
    await dialog.getByLabel("Destination").fill("shop.example/boots");
    await dialog.getByLabel("Link name").fill("boots-pages");
    await dialog.getByRole("button", { name: "Create link" }).click();
    await dialog.waitFor({ state: "detached" });
    const row = page.getByRole("row").filter({ hasText: "/r/boots-pages" });
    await row.getByText("shop.example/boots").waitFor();

    await row.getByRole("button", { name: "Change destination of /r/boots-pages" }).click();
    const change = page.getByRole("dialog", { name: "Change destination" });
    await change.getByLabel("Destination").fill("shop.example/winter-boots");
    await change.getByRole("button", { name: "Save destination" }).click();
    await change.waitFor({ state: "detached" });
    const { items } = await callApi<{ items: { slug: string; destinationUrl: string | null }[] }>(
      partnerContext,
      "GET",
      "/v1/portal/links",
    );
    expect(items.find((l) => l.slug === "boots-pages")?.destinationUrl).toBe("https://shop.example/winter-boots");
    await page.close();
    expect(errors).toEqual([]);
  });

  test("with nothing sold yet, the revenue chart's axis says $0 once", async () => {
    const page = await newPage(partnerContext);
    await page.goto("/portal/performance");
    await page.getByRole("button", { name: "Revenue", exact: true }).click();
    await page.getByText("Revenue in USD").waitFor();
    const ticks = page.locator(".recharts-yAxis-tick-labels text");
    await ticks.first().waitFor();
    expect(await ticks.allTextContents()).toEqual(["$0"]);
    await shot(page, "tracking-pages-revenue-nothing-sold");
    await page.close();
  });

  test("the console's clicks show which came from a paid ad, and muted text stays legible on tinted backgrounds", async () => {
    await visit(defaultSlug, "?gclid=EAIaIQ-test&sub1=brand");
    await visit(defaultSlug, "?sub1=newsletter");
    const page = await newPage(ownerContext);
    await page.goto(`/admin/programs/${programId}/clicks`);
    const rows = page.locator(".clicks-table tbody tr");
    await expect.poll(() => rows.count()).toBe(2);
    const [newsletter, ad] = [rows.filter({ hasText: "newsletter" }), rows.filter({ hasText: "brand" })];
    const badge = ad.getByText("Paid ad · Google Ads");
    await badge.waitFor();
    expect(await badge.getAttribute("title")).toBe("Opened with gclid: the visit came from a paid ad");
    expect(await newsletter.getByText("Paid ad").count()).toBe(0);
    // A sub-id's name in its grey chip: WCAG AA asks 4.5:1 of text this size.
    expect(await contrastOf(newsletter.locator(".sub-key"))).toBeGreaterThanOrEqual(4.5);
    await shot(page, "tracking-pages-clicks-paid-ad");

    // The chosen attribution model's description, on its tinted card.
    await page.goto(`/admin/programs/${programId}/tracking`);
    const chosen = page.locator(".radio-card").filter({ has: page.getByRole("radio", { name: "Last click" }) });
    expect(await contrastOf(chosen.locator(".radio-card-description"))).toBeGreaterThanOrEqual(4.5);
    await page.close();
    expect(errors).toEqual([]);
  });

  test("a sale refunded in full says refunded, one refunded in part says so, and on a phone each is a card", async () => {
    const clickId = await visit(defaultSlug);
    await track("sale", { orderId: "tent-1", amount: 12_000, currency: "USD", clickId });
    await track("refund", { orderId: "tent-1", refundId: "tent-1-refund", amount: 12_000 });
    await track("sale", { orderId: "tent-2", amount: 8_000, currency: "USD", clickId });
    await track("refund", { orderId: "tent-2", refundId: "tent-2-refund", amount: 2_000 });
    const mine = await callApi<{
      items: { kind: string; amount: number; refunded: boolean; fullyRefunded: boolean }[];
    }>(partnerContext, "GET", "/v1/portal/conversions?kind=sale");
    expect(mine.items.map((c) => [c.amount, c.refunded, c.fullyRefunded])).toEqual([
      [8_000, true, false],
      [12_000, true, true],
    ]);

    const page = await newPage(partnerContext);
    await page.setViewportSize(PHONE);
    await page.goto("/portal/performance");
    const list = page.getByRole("region", { name: "Recent conversions" });
    await list.getByRole("button", { name: "Sales", exact: true }).click();
    const rows = list.locator("tbody tr");
    await expect.poll(() => rows.count()).toBe(2);
    const tagsOf = (row: Locator) => row.locator(".tag").allTextContents();
    expect((await tagsOf(rows.filter({ hasText: "$80.00" }))).filter((t) => t.includes("refunded"))).toEqual([
      "partly refunded",
    ]);
    expect((await tagsOf(rows.filter({ hasText: "$120.00" }))).filter((t) => t.includes("refunded"))).toEqual([
      "refunded",
    ]);

    // A card: its time the title, the amount top right, the other fields with their column's label.
    const card = rows.first();
    expect(await card.evaluate((tr) => getComputedStyle(tr).display)).toBe("grid");
    const kind = card.locator('td[data-label="Kind"]');
    expect(await kind.evaluate((td) => getComputedStyle(td, "::before").content)).toContain('"Kind"');
    const [cardBox, amountBox] = [(await card.boundingBox())!, (await card.locator("td.col-amount").boundingBox())!];
    expect(amountBox.y - cardBox.y).toBeLessThan(24);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await shot(page, "tracking-pages-recent-conversions-390");
    // The revenue tile's average is per sale and net of refunds, as its figures are (not an order's average value).
    await page.getByText(/^\$[\d,.]+ per sale, net of refunds$/).waitFor();
    await page.close();
    expect(errors).toEqual([]);
  });

  // Last: it stops the server.
  test("when the figures cannot be refreshed any more, the performance panel and the clicks list stop saying Live", async () => {
    const page = await newPage(partnerContext);
    await page.goto("/portal/performance");
    const note = page.getByRole("region", { name: "All programs" }).locator(".live-note");
    await expect.poll(() => note.textContent()).toMatch(/^Live · updated \d\d:\d\d:\d\d$/);
    const admin = await newPage(ownerContext);
    await admin.goto(`/admin/programs/${programId}/clicks`);
    const clicksNote = admin.locator(".live-note");
    await expect.poll(() => clicksNote.textContent()).toBe("Live");

    await stage.server.close();
    serverClosed = true;
    // The next refresh (every 10 seconds) fails, and so do its retries: the figures stay, said to be as of then.
    await expect
      .poll(() => note.textContent(), { timeout: 45_000, interval: 1_000 })
      .toMatch(/^Not updated since \d\d:\d\d:\d\d · retrying$/);
    await page.getByText("Link visits").waitFor();
    expect(await note.getAttribute("role")).toBe("status");
    await shot(page, "tracking-pages-performance-stale");
    await expect
      .poll(() => clicksNote.textContent(), { timeout: 45_000, interval: 1_000 })
      .toMatch(/^Not updated since \d\d:\d\d:\d\d · retrying$/);
    await admin.close();
    await page.close();
    expect(errors).toEqual([]);
  });
});
