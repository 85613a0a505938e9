import { readFile } from "node:fs/promises";
import * as jsQRModule from "jsqr";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { browserExample } from "../../web/src/admin/install-snippets.js";
import { callApi, enrollApprovedPartner, launchChromium, pageRecordingErrors, shot } from "./browser-kit.js";
import { type E2eServer, startE2eServer } from "./e2e-server.js";
import { startVendorSite, type VendorSite } from "./vendor-site.js";

const owner = { name: "Grace Owner", email: "grace@shop.test", password: "correct-horse-battery" };
const partner = { name: "Paula Partner", email: "paula@brightlane.test", password: "brightlane-secret-42" };
const company = "Brightlane Media";
// Headless Chromium says "HeadlessChrome", which the bot filter rightly ignores; visitors are people.
const VISITOR_UA =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36";
const program = { name: "Northwind Shop", slug: "northwind-shop" };
// A sub-id value with nowhere to break a line: lists cut it short instead of growing as wide as it is.
const LONG_SUB = `spring${"x".repeat(194)}`;

// jsqr is CommonJS wrapping an ES default: loaders differ on whether the default import is already unwrapped.
type DecodeQr = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;
const jsQRLoaded = (jsQRModule as unknown as { default: DecodeQr | { default: DecodeQr } }).default;
const jsQR: DecodeQr = typeof jsQRLoaded === "function" ? jsQRLoaded : jsQRLoaded.default;

interface TributaryGlobal {
  Tributary: { ready: Promise<string | null>; clickId(): string | null; touchpoints(): string[] };
}

/** The value of a stat tile ("Clicks", "Sales", …) on a performance panel. */
const tile = (page: Page, label: string) =>
  page
    .locator(".stat-tile")
    .filter({ has: page.locator(".stat-label", { hasText: label }) })
    .locator(".stat-value");

// Only the e2e config sets this; a plain `vitest run` that picks the file up skips it.
describe.skipIf(!process.env.TRIBUTARY_E2E)("tracking in a real browser", () => {
  let server: E2eServer;
  let vendor: VendorSite;
  let browser: Browser;
  let ownerContext: BrowserContext;
  let partnerContext: BrowserContext;
  const errors: string[] = [];

  const newPage = (context: BrowserContext) => pageRecordingErrors(context, errors);

  beforeAll(async () => {
    // Synchronous click writes: a redirect's click is stored before its 302 reaches the browser.
    server = await startE2eServer({ CLICK_DURABILITY: "sync" });
    vendor = await startVendorSite(server.baseUrl, program.slug);
    browser = await launchChromium();
    const options = { baseURL: server.baseUrl, viewport: { width: 1360, height: 860 } };
    ownerContext = await browser.newContext(options);
    partnerContext = await browser.newContext({ ...options, permissions: ["clipboard-read", "clipboard-write"] });
  });

  afterAll(async () => {
    await browser?.close();
    await vendor?.close();
    await server?.close();
  });

  test("a partner link click on the vendor's site is credited with the sale, in the console and the portal", async () => {
    // The owner account and a program, set up for tracking on the vendor's site in the Tracking tab.
    await callApi(ownerContext, "POST", "/v1/setup/owner", owner);
    const admin = await newPage(ownerContext);
    await admin.goto("/admin/programs/new");
    await admin.getByLabel("Program name").fill(program.name);
    await admin.getByRole("button", { name: "Create program" }).click();
    await admin.getByRole("heading", { name: program.name, level: 1 }).waitFor();
    await admin.getByRole("navigation", { name: "Program sections" }).getByRole("link", { name: "Tracking" }).click();
    const tracking = admin.getByRole("form", { name: "Tracking settings" });
    // The half-life is only drawn for time decay: a bad one left behind under another model is named in the alert…
    await tracking.getByLabel("Time decay").check();
    await tracking.getByLabel("Half-life (days)").fill("0");
    await tracking.getByLabel("Last click").check();
    await tracking.getByRole("button", { name: "Save tracking settings" }).click();
    await tracking.getByRole("alert").getByText("Half-life (time decay): Must be at least 1").waitFor();
    // …and a blank one keeps the saved value, so the save below goes through.
    await tracking.getByLabel("Time decay").check();
    await tracking.getByLabel("Half-life (days)").fill("");
    await tracking.getByLabel("Last click").check();
    await tracking.getByLabel("Allowed domains").fill("localhost");
    await tracking.getByLabel("Default landing page").fill("https://elsewhere.example/landing");
    await tracking.getByRole("button", { name: "Save tracking settings" }).click();
    await tracking.getByText("elsewhere.example is not one of the allowed domains").waitFor();
    await tracking.getByLabel("Default landing page").fill(`${vendor.origin}/landing`);
    await tracking.getByRole("button", { name: "Save tracking settings" }).click();
    await admin.getByText("Tracking settings saved").waitFor();
    // The form remounts with what was stored, and the focus stays on its Save button; a discard keeps it there too.
    const focusedText = () => admin.evaluate(() => document.activeElement?.textContent);
    await expect.poll(focusedText, { timeout: 2_000 }).toBe("Save tracking settings");
    await tracking.getByLabel("Cookie window (days)").fill("45");
    await tracking.getByRole("button", { name: "Discard changes" }).click();
    expect(await tracking.getByLabel("Cookie window (days)").inputValue()).toBe("30");
    expect(await focusedText()).toBe("Save tracking settings");
    // Saying what a change touches: the conversions already recorded keep their credit.
    await tracking.getByText("A change applies to leads and sales reported from then on").waitFor();
    await shot(admin, "11-program-tracking");
    const programId = new URL(admin.url()).pathname.split("/")[3] ?? "";
    expect(
      await callApi<{ attributionModel: string; timeDecayHalfLifeDays: number }>(
        ownerContext,
        "GET",
        `/v1/programs/${programId}`,
      ),
    ).toMatchObject({ attributionModel: "last_click", timeDecayHalfLifeDays: 7 });

    // A partner applies (its session lands in the partner context) and the owner approves it.
    const enrollment = await enrollApprovedPartner(
      { owner: ownerContext, partner: partnerContext },
      { id: programId, slug: program.slug },
      { ...partner, company },
    );

    // The partner copies its link in the portal and adds a custom one; a foreign destination is refused.
    const portal = await newPage(partnerContext);
    await portal.goto("/portal/links");
    const card = portal.getByRole("article", { name: program.name });
    // The default link says where it lands: the program's landing page, by its address.
    await card.getByText(`Goes to ${new URL(vendor.origin).host}/landing`).waitFor();
    await card.getByRole("button", { name: `Copy link for ${program.name}` }).click();
    await card
      .getByRole("button", { name: `Copy link for ${program.name}` })
      .getByText("Copied")
      .waitFor();
    // The outcome is said in a live region (the button's name stays "Copy …"), a refused copy included. Read before
    // the clipboard: it goes with the button's "Copied", which lasts 2 seconds.
    await card
      .getByRole("status")
      .filter({ hasText: `Copied link for ${program.name}` })
      .waitFor();
    const link = await portal.evaluate(() => navigator.clipboard.readText());
    expect(link).toMatch(new RegExp(`^${server.baseUrl}/r/[A-Za-z0-9_-]+$`));
    await portal.evaluate(() => {
      const { clipboard } = navigator;
      const [writeText, execCommand] = [clipboard.writeText, document.execCommand];
      clipboard.writeText = () => Promise.reject(new Error("denied"));
      document.execCommand = () => false;
      (window as unknown as { restoreCopy: () => void }).restoreCopy = () => {
        clipboard.writeText = writeText;
        document.execCommand = execCommand;
      };
    });
    await card.getByRole("button", { name: `Copy link for ${program.name}` }).click();
    await card.getByRole("status").filter({ hasText: "Copy failed — select and copy by hand" }).waitFor();
    await portal.evaluate(() => (window as unknown as { restoreCopy: () => void }).restoreCopy());
    await card.getByRole("button", { name: "New link" }).click();
    const dialog = portal.getByRole("dialog", { name: "New tracking link" });
    await dialog.getByLabel("Destination").fill("https://elsewhere.example/pricing");
    await dialog.getByLabel("Link name").fill("spring-deal");
    await dialog.getByRole("button", { name: "Create link" }).click();
    await dialog.getByText("elsewhere.example is not an allowed domain").waitFor();
    await shot(portal, "12-portal-new-link-refused", false);
    await dialog.getByLabel("Destination").fill(`${vendor.origin}/pricing`);
    await dialog.getByRole("button", { name: "Create link" }).click();
    await card.getByRole("cell", { name: "/r/spring-deal", exact: true }).waitFor();
    await shot(portal, "13-portal-links");

    // A deep link: the partner names a page of the vendor's site; one of another site is refused on the spot.
    const builder = portal.getByRole("region", { name: "Tag a link" });
    await builder.getByLabel("Link", { exact: true }).selectOption({ label: `/r/spring-deal · ${program.name}` });
    await builder.getByLabel("Page to land on").fill("https://elsewhere.example/blog");
    await builder.getByText(/^elsewhere\.example is not a site of this program/).waitFor();
    await builder.getByLabel("Page to land on").fill(`${vendor.origin}/blog/review?lang=en`);
    await builder.getByLabel("sub1").fill("deep");
    const deepLink = await builder.locator("code.id-box").textContent();
    expect(deepLink).toBe(
      `${server.baseUrl}/r/spring-deal?url=${encodeURIComponent(`${vendor.origin}/blog/review?lang=en`)}&sub1=deep`,
    );
    await shot(portal, "13b-portal-deep-link", false);
    // For print: its QR code reads back as the link, and downloads as a 1,024-pixel PNG named after the link.
    await builder.getByRole("button", { name: "QR code of the tagged link" }).click();
    const qrDialog = portal.getByRole("dialog", { name: "QR code" });
    const qrImage = qrDialog.getByRole("img", { name: `QR code for ${deepLink}` });
    await qrImage.waitFor();
    await shot(portal, "13c-portal-qr-code", false);
    const pixels = await qrImage.evaluate(async (img: HTMLImageElement) => {
      await img.decode();
      const canvas = Object.assign(document.createElement("canvas"), { width: 400, height: 400 });
      const context = canvas.getContext("2d")!;
      context.imageSmoothingEnabled = false;
      context.drawImage(img, 0, 0, 400, 400);
      return Array.from(context.getImageData(0, 0, 400, 400).data);
    });
    expect(jsQR(Uint8ClampedArray.from(pixels), 400, 400)?.data).toBe(deepLink);
    const [png] = await Promise.all([
      portal.waitForEvent("download"),
      qrDialog.getByRole("button", { name: "Download PNG" }).click(),
    ]);
    expect(png.suggestedFilename()).toBe("qr-spring-deal-deep.png");
    const pngBytes = await readFile((await png.path())!);
    expect(pngBytes.subarray(1, 4).toString()).toBe("PNG");
    expect([pngBytes.readUInt32BE(16), pngBytes.readUInt32BE(20)]).toEqual([1024, 1024]);
    await portal.keyboard.press("Escape");
    await qrDialog.waitFor({ state: "hidden" });

    // A visitor follows the link: the redirect lands on the vendor's page with a click id, and the snippet
    // there keeps it in a first-party cookie.
    const visitorContext = await browser.newContext({ userAgent: VISITOR_UA });
    const visitor = await newPage(visitorContext);
    await visitor.goto(`${link}?sub1=${LONG_SUB}`);
    await visitor.waitForURL((url) => url.origin === vendor.origin && url.pathname === "/landing");
    const tbClick = new URL(visitor.url()).searchParams.get("tb_click");
    expect(tbClick).toBeTruthy();
    const stored = await visitor.evaluate(() =>
      (window as unknown as TributaryGlobal).Tributary.ready.then(() =>
        (window as unknown as TributaryGlobal).Tributary.clickId(),
      ),
    );
    expect(stored).toBe(tbClick);
    // The install page's browser example, run as a vendor would paste it: it waits for the async snippet.
    const fromExample = (await visitor.evaluate(
      `(async () => {\n${browserExample}\nreturn await tributaryIds();\n})()`,
    )) as { clickId: string; touchpoints: string[] };
    expect(fromExample).toEqual({ clickId: tbClick, touchpoints: [tbClick] });

    // The vendor's backend reports the sale with that click id, with an API key of its own.
    const { secret } = await callApi<{ secret: string }>(ownerContext, "POST", "/v1/api-keys", {
      name: "Shop backend",
      scopes: ["track:write"],
    });
    const saleResponse = await fetch(`${server.baseUrl}/v1/track/sale`, {
      method: "POST",
      headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
      body: JSON.stringify({
        programId,
        orderId: "order-1001",
        amount: 12900,
        currency: "USD",
        customerExternalId: "cus_42",
        clickId: stored,
      }),
    });
    expect(saleResponse.status).toBe(201);
    const sale = (await saleResponse.json()) as { attributed: boolean; credits: { partnerId: string }[] };
    expect(sale.attributed).toBe(true);
    expect(sale.credits.map((c) => c.partnerId)).toEqual([enrollment.partnerId]);

    // The console shows the sale credited to the partner, and explains why.
    await admin.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Conversions" }).click();
    const row = admin.getByRole("row").filter({ hasText: "order-1001" });
    await row.getByText(company, { exact: true }).waitFor();
    await row.getByText("$129.00", { exact: true }).waitFor();
    await row.getByText("Partner-sourced").waitFor();
    await shot(admin, "14-conversions");
    await row.getByRole("button", { name: "Explain sale order-1001" }).click();
    const drawer = admin.getByRole("dialog", { name: /\$129\.00/ });
    await drawer.getByText("Credited", { exact: true }).waitFor();
    const touch = drawer.getByRole("row").filter({ hasText: company });
    await touch.getByText("Included", { exact: true }).waitFor();
    await touch.getByText("100%", { exact: true }).waitFor();
    await shot(admin, "15-attribution", false);
    await admin.keyboard.press("Escape");
    await drawer.waitFor({ state: "hidden" });

    // The partner's performance page: one click, one sale, its revenue.
    await portal.getByRole("link", { name: "Performance" }).click();
    await expect.poll(() => tile(portal, "Clicks").textContent(), { timeout: 10_000 }).toBe("1");
    expect(await tile(portal, "Sales").textContent()).toBe("1");
    expect(await tile(portal, "Revenue").textContent()).toBe("$129.00");
    await portal.locator(".recharts-surface").first().waitFor();
    // The chart's figures, for screen readers: today's row has the click, the sale and its revenue.
    const figures = portal.getByRole("table", { name: "All programs: figures per day" });
    const today = figures.getByRole("row").nth(1);
    expect(await today.getByRole("cell").allTextContents()).toEqual(["1", "0", "1", "$129.00"]);
    const recent = portal.getByRole("region", { name: "Recent conversions" });
    const saleRow = recent.getByRole("row").filter({ hasText: "Sale" });
    await saleRow.getByText("$129.00", { exact: true }).waitFor();
    expect(await saleRow.count()).toBe(1);
    // What performs: the sale counts for the link its click came through.
    const linkPath = new URL(link).pathname;
    const byLink = (page: typeof portal) =>
      page.getByRole("region", { name: "What performs" }).getByRole("row").filter({ hasText: linkPath });
    await expect
      .poll(() => byLink(portal).getByRole("cell").allTextContents(), { timeout: 10_000 })
      .toEqual([linkPath, "1", "0", "1", "$129.00"]);
    await shot(portal, "16-portal-performance");
    // Per sub-id value: the long value is cut short, and the figures stay inside the card.
    const performs = portal.getByRole("region", { name: "What performs" });
    await performs.getByLabel("Group by").selectOption("sub1");
    await performs.getByRole("cell", { name: LONG_SUB }).waitFor();
    expect(await performs.getByRole("cell", { name: LONG_SUB }).getAttribute("title")).toBe(LONG_SUB);
    expect(
      await performs.evaluate((card) => card.querySelector("table")!.scrollWidth - card.clientWidth),
    ).toBeLessThanOrEqual(0);
    await performs.getByLabel("Group by").selectOption("link");
    // The amounts are the sales', not the partner's earnings, and the heading says so.
    await performs.getByRole("columnheader", { name: "Sales revenue" }).waitFor();

    // Revenue over time: the chart switches to the program's currency, on a money axis.
    await portal.getByRole("button", { name: "Revenue", exact: true }).click();
    await portal.getByText("Revenue in USD").waitFor();
    // recharts draws tick labels in a layer of their own, apart from the axis.
    const revenueTicks = await portal.locator(".recharts-yAxis-tick-labels text").allTextContents();
    expect(revenueTicks.length).toBeGreaterThan(1);
    for (const tick of revenueTicks) expect(tick).toMatch(/^-?\$\d/);
    await shot(portal, "16b-portal-revenue");
    await portal.getByRole("button", { name: "Activity", exact: true }).click();

    // `?via=<link slug>` on the vendor's site: the snippet records a click itself, and the portal's chart,
    // refreshing by itself, picks it up.
    const viaContext = await browser.newContext({ userAgent: VISITOR_UA });
    const via = await newPage(viaContext);
    await via.goto(`${vendor.origin}/landing?via=spring-deal`);
    const viaClick = await via.evaluate(() => (window as unknown as TributaryGlobal).Tributary.ready);
    expect(viaClick).toBeTruthy();
    expect(viaClick).not.toBe(stored);
    expect(await via.evaluate(() => (window as unknown as TributaryGlobal).Tributary.clickId())).toBe(viaClick);
    await expect.poll(() => tile(portal, "Clicks").textContent(), { timeout: 20_000, interval: 500 }).toBe("2");

    // Program tabs in the console.
    await admin.goto(`/admin/programs/${programId}/performance`);
    await expect.poll(() => tile(admin, "Clicks").textContent(), { timeout: 10_000 }).toBe("2");
    await admin.locator(".recharts-surface").first().waitFor();
    await shot(admin, "17-program-performance");

    await admin.goto(`/admin/programs/${programId}/clicks`);
    await admin.getByRole("row").filter({ hasText: "Site snippet" }).waitFor();
    expect(await admin.getByRole("row").filter({ hasText: company }).count()).toBe(2);
    // The long sub-id value's chip is cut short (whole in its title): the list does not scroll sideways for it.
    await admin.locator(`.badge[title="sub1=${LONG_SUB}"]`).waitFor();
    const clicksTable = admin.locator(".clicks-table");
    expect(
      await clicksTable.evaluate((table) => table.scrollWidth - table.parentElement!.clientWidth),
    ).toBeLessThanOrEqual(0);
    await shot(admin, "18-program-clicks");
    // The export downloads what the list shows, with the session, as a file.
    const [download] = await Promise.all([
      admin.waitForEvent("download"),
      admin.getByRole("link", { name: "Export CSV" }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^clicks-\d{4}-\d{2}-\d{2}\.csv$/);
    const exported = await readFile((await download.path())!, "utf8");
    const lines = exported.trim().split("\n");
    expect(lines[0]).toMatch(/^clicked_at,click_id,/);
    expect(lines.slice(1).filter((line) => line.includes(company))).toHaveLength(2);

    await admin.goto(`/admin/programs/${programId}/links`);
    await admin.getByRole("row").filter({ hasText: "/r/spring-deal" }).waitFor();
    await shot(admin, "19-program-links");
    await admin.getByRole("button", { name: "Change destination of /r/spring-deal" }).click();
    const destination = admin.getByRole("dialog", { name: "Change destination" });
    await destination.getByLabel("Destination").fill(`${vendor.origin}/sale`);
    await destination.getByRole("button", { name: "Save destination" }).click();
    await admin.getByRole("cell", { name: /localhost:\d+\/sale/ }).waitFor();
    // Disabling a link asks first (it breaks every shared copy of it); from the keyboard the focus comes back to
    // its button once the change is saved. Enabling it again does not ask.
    await admin.getByRole("button", { name: "Disable /r/spring-deal" }).focus();
    await admin.keyboard.press("Enter");
    const confirm = admin.getByRole("dialog", { name: "Disable /r/spring-deal?" });
    await confirm.getByText("the partner's audience included").waitFor();
    await confirm.getByRole("button", { name: "Cancel" }).click();
    await confirm.waitFor({ state: "hidden" });
    await admin.getByRole("button", { name: "Disable /r/spring-deal" }).focus();
    await admin.keyboard.press("Enter");
    await confirm.getByRole("button", { name: "Disable link" }).focus();
    await admin.keyboard.press("Enter");
    await admin.getByRole("button", { name: "Enable /r/spring-deal" }).waitFor();
    const focused = () => admin.evaluate(() => document.activeElement?.getAttribute("aria-label"));
    expect(await focused()).toBe("Enable /r/spring-deal");
    await admin.keyboard.press("Enter");
    await admin.getByRole("button", { name: "Disable /r/spring-deal" }).waitFor();
    expect(await focused()).toBe("Disable /r/spring-deal");

    // The dialog opens before the program's partners have arrived: the partner it then shows is the one submitted.
    const slowEnrollments = /\/v1\/enrollments\?/;
    await admin.route(slowEnrollments, async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await route.continue();
    });
    await admin.goto(`/admin/programs/${programId}/coupons`);
    await admin.getByRole("button", { name: "New coupon" }).click();
    const couponDialog = admin.getByRole("dialog", { name: "New coupon code" });
    await couponDialog.getByLabel("Partner").waitFor();
    await admin.unroute(slowEnrollments);
    await couponDialog.getByLabel("Code").fill("bright20");
    await couponDialog.getByRole("button", { name: "Create coupon" }).click();
    await admin.getByRole("cell", { name: "BRIGHT20", exact: true }).waitFor();
    await shot(admin, "20-program-coupons");

    await admin.goto(`/admin/programs/${programId}/install`);
    const snippet = admin.getByRole("figure", { name: "Site snippet" });
    expect(await snippet.locator("pre").textContent()).toBe(
      `<script src="${server.baseUrl}/t.js" data-program="${program.slug}" async></script>`,
    );
    expect(await admin.getByRole("figure", { name: /^Sale/ }).locator("pre").textContent()).toContain(programId);
    // The live status says what arrived: the partner's clicks and the credited sale.
    const live = admin.getByRole("region", { name: "Live status" });
    // The latest click was the snippet's (the ?via= visit), so the snippet needs no line of its own.
    await live.getByText(/^Last click .+, recorded by the site snippet$/).waitFor();
    expect(await live.getByText(/^The site snippet/).count()).toBe(0);
    await live.getByText(/^Last sale /).waitFor();
    await live.getByText("The latest lead or sale was credited to a partner").waitFor();
    await shot(admin, "21-program-install");

    // The partner's own page in the console: its links and the coupon.
    await admin.goto(`/admin/partners/${enrollment.partnerId}`);
    await admin.getByRole("region", { name: "Links" }).getByRole("row").filter({ hasText: "/r/spring-deal" }).waitFor();
    await admin.getByRole("region", { name: "Coupons" }).getByRole("cell", { name: "BRIGHT20", exact: true }).waitFor();
    // The partner team sees the same figures per link on the partner's page.
    await expect
      .poll(() => byLink(admin).getByRole("cell").allTextContents(), { timeout: 10_000 })
      .toEqual([linkPath, "1", "0", "1", "$129.00"]);
    await shot(admin, "22-partner-tracking");

    // The portal shows the coupon code next to the links.
    await portal.getByRole("link", { name: "Links" }).click();
    await card.getByText("BRIGHT20").waitFor();

    // A partial refund is listed as the reversal of its sale, not as a sale of its own kind.
    const refundResponse = await fetch(`${server.baseUrl}/v1/track/refund`, {
      method: "POST",
      headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
      body: JSON.stringify({ programId, orderId: "order-1001", refundId: "refund-77", amount: 2900 }),
    });
    expect(refundResponse.status).toBe(201);
    await admin.goto(`/admin/programs/${programId}/conversions`);
    const refundRow = admin.getByRole("row").filter({ hasText: "refund-77" });
    await refundRow.getByText("Reverses a partner-sourced sale").waitFor();
    expect(await refundRow.getByText("Partner-sourced", { exact: true }).count()).toBe(0);
    // A backwards date range says so, rather than that nothing matches.
    await admin.goto(`/admin/programs/${programId}/conversions?from=2026-03-02&to=2026-03-01`);
    await admin.getByRole("heading", { name: "The date range is backwards" }).waitFor();
    await admin.getByText("Earlier than From: the range is backwards").waitFor();
    // A link to a conversion that cannot be loaded opens the drawer to say why.
    await admin.goto(`/admin/programs/${programId}/conversions?conversion=cnv_doesnotexist`);
    await admin.getByRole("dialog").getByRole("alert").getByText("cnv_doesnotexist not found").waitFor();
    await admin.keyboard.press("Escape");

    // On a phone (390 px): the current tab of a strip that scrolls sideways is in view, What performs keeps its
    // controls inside the card, and a long coupon code stays inside its card.
    await callApi(ownerContext, "POST", "/v1/coupons", {
      enrollmentId: enrollment.id,
      code: "BRIGHTLANE_SPRING_NEWSLETTER_2026_EXTRA",
    });
    // How far `inner` sticks out of `outer` sideways; under a pixel is rounding.
    const overflow = (outer: Locator, inner: Locator) =>
      Promise.all([outer.boundingBox(), inner.boundingBox()]).then(([o, i]) =>
        Math.max(o!.x - i!.x, i!.x + i!.width - (o!.x + o!.width)),
      );
    await admin.setViewportSize({ width: 390, height: 844 });
    await portal.setViewportSize({ width: 390, height: 844 });
    await admin.goto(`/admin/programs/${programId}/install`);
    const sections = admin.getByRole("navigation", { name: "Program sections" });
    expect(await overflow(sections, sections.getByRole("link", { name: "Install" }))).toBeLessThan(1);
    await portal.goto("/portal/profile");
    const portalNav = portal.getByRole("navigation", { name: "Portal" });
    expect(await overflow(portalNav, portalNav.getByRole("link", { name: "Profile" }))).toBeLessThan(1);
    await portal.goto("/portal/performance");
    await performs.getByRole("row").nth(1).waitFor();
    expect(await overflow(performs, performs.getByLabel("Group by"))).toBeLessThan(1);
    await portal.goto("/portal/links");
    const longCoupon = card.locator(".coupon").filter({ hasText: "BRIGHTLANE_SPRING_NEWSLETTER_2026_EXTRA" });
    await longCoupon.waitFor();
    expect(await overflow(card, longCoupon)).toBeLessThan(1);
    await shot(portal, "23-portal-links-phone");
    // The attribution drawer's touchpoints stack as cards: the weight is on screen, not scrolled off to the side.
    await admin.goto(`/admin/programs/${programId}/conversions`);
    await admin.getByRole("button", { name: "Explain sale order-1001" }).click();
    const touchpoints = admin.getByRole("dialog").locator(".table-frame");
    const weight = touchpoints.locator("tbody tr").filter({ hasText: company }).getByText("100%", { exact: true });
    await weight.waitFor();
    expect(await overflow(touchpoints, weight)).toBeLessThan(1);
    await shot(admin, "24-attribution-phone", false);

    // The deep link built above lands a visitor on that page, with a click id (last: the counts above leave it out).
    const deepVisitor = await newPage(await browser.newContext({ userAgent: VISITOR_UA }));
    await deepVisitor.goto(deepLink!);
    await deepVisitor.waitForURL((url) => url.origin === vendor.origin && url.pathname === "/blog/review");
    expect(new URL(deepVisitor.url()).searchParams.get("lang")).toBe("en");
    expect(new URL(deepVisitor.url()).searchParams.get("tb_click")).toBeTruthy();
    await deepVisitor.context().close();
    // The clicks list says where that click landed.
    await admin.setViewportSize({ width: 1360, height: 860 });
    await admin.goto(`/admin/programs/${programId}/clicks`);
    await admin
      .getByRole("row")
      .filter({ hasText: "/r/spring-deal" })
      .getByText(`→ ${new URL(vendor.origin).host}/blog/review`)
      .waitFor();
    // The partner sees which pages its clicks landed on: the deep link's page, and the ?via= visit's page.
    await portal.setViewportSize({ width: 1360, height: 860 });
    await portal.goto("/portal/performance");
    await performs.getByLabel("Group by").selectOption("page");
    await performs.getByRole("columnheader", { name: "Landing page" }).waitFor();
    await performs.getByRole("cell", { name: `${new URL(vendor.origin).host}/blog/review`, exact: true }).waitFor();
    await performs.getByRole("cell", { name: `${new URL(vendor.origin).host}/landing`, exact: true }).waitFor();
    // And what its visitors used: the visitors above browsed on a desktop.
    await performs.getByLabel("Group by").selectOption("device");
    await performs.getByRole("columnheader", { name: "Device" }).waitFor();
    await performs.getByRole("cell", { name: "Desktop", exact: true }).waitFor();
    await shot(portal, "25-portal-performs-by-device");
    // And which of its coupon codes sold: the clicks are in the row without one.
    await performs.getByLabel("Group by").selectOption("coupon");
    await performs.getByRole("columnheader", { name: "Coupon code" }).waitFor();
    await performs.getByRole("cell", { name: "No coupon code (link clicks, and what they brought)" }).waitFor();

    await visitorContext.close();
    await viaContext.close();
    expect(errors).toEqual([]);
    // The whole journey in one test (every page of it): 85 s of the default 90 on a loaded two-core machine.
  }, 180_000);
});
