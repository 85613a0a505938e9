import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  type BrowserStage,
  callApi,
  enrollApprovedPartner,
  openBrowserStage,
  pageRecordingErrors,
  shot,
  VISITOR_UA,
} from "./browser-kit.js";
import { startVendorSite, type VendorSite } from "./vendor-site.js";

const owner = { name: "Uma Owner", email: "uma@utm.test", password: "correct-horse-battery" };
const applicant = {
  name: "Theo Partner",
  email: "theo@utm.test",
  password: "theo-partner-secret-42",
  company: "Theo Reviews",
};
const program = { name: "Northwind Shop", slug: "northwind-utm" };
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

/**
 * The portal's link builder with UTM tags, followed through the real redirect to the vendor's own page: the
 * partner's tags arrive, and where the program sets one the builder shows the program's value, which is the one
 * that arrives.
 */
describe.skipIf(!process.env.TRIBUTARY_E2E)("UTM tags in the portal's link builder", () => {
  let stage: BrowserStage;
  let vendor: VendorSite;
  let partner: BrowserContext;
  const errors: string[] = [];

  beforeAll(async () => {
    stage = await openBrowserStage(owner, {
      contexts: { viewport: DESKTOP },
      partnerOnly: { permissions: ["clipboard-read", "clipboard-write"] },
    });
    vendor = await startVendorSite(stage.server.baseUrl, program.slug);
    partner = stage.partner;
    const { id } = await callApi<{ id: string }>(stage.owner, "POST", "/v1/programs", {
      ...program,
      type: "affiliate",
      status: "active",
      currency: "USD",
      allowedDomains: ["localhost"],
      defaultLandingUrl: `${vendor.origin}/landing`,
      utmParams: { utm_source: "northwind-partners" },
    });
    await enrollApprovedPartner(stage, { id, slug: program.slug }, applicant);
  }, 120_000);

  afterAll(async () => {
    await vendor?.close();
    await stage?.close();
  });

  test("the partner's tags reach the landing page; the program's utm_source is shown and wins", async () => {
    const page = await pageRecordingErrors(partner, errors);
    await page.goto("/portal/links");
    const builder = page.getByRole("region", { name: "Tag a link" });
    const copy = builder.getByRole("button", { name: "Copy tagged link" });

    // The program sets utm_source: the field shows its value, read-only, and says so.
    const source = builder.getByLabel("Source");
    await source.waitFor();
    expect(await source.inputValue()).toBe("northwind-partners");
    expect(await source.isEditable()).toBe(false);
    expect(
      await source.evaluate(
        (input) => document.getElementById(input.getAttribute("aria-describedby") ?? "")?.textContent,
      ),
    ).toBe("Set by the program");

    await builder.getByLabel("sub1").fill("mail");
    await builder.getByLabel("Medium").fill(" email ");
    await builder.getByLabel("Campaign").fill("spring sale & more");
    // A pasted tab is named, and there is no link to copy until it is gone.
    await builder.getByLabel("Content").fill("hero\tbanner");
    await builder.getByText("Remove the tab, line break or other control character").waitFor();
    await builder.getByText("Fix the UTM tags marked to get the link.").waitFor();
    expect(await copy.isDisabled()).toBe(true);
    await builder.getByLabel("Content").fill("hero-banner");

    const shown = builder.locator("code.id-box");
    await expect
      .poll(() => shown.textContent())
      .toMatch(/\?sub1=mail&utm_medium=email&utm_campaign=spring\+sale\+%26\+more&utm_content=hero-banner$/);
    await copy.click();
    const link = await page.evaluate(() => navigator.clipboard.readText());
    expect(link).toBe(await shown.textContent());
    expect(link).toMatch(new RegExp(`^${stage.server.baseUrl}/r/[A-Za-z0-9_-]+\\?`));
    // Its QR code is the same link, tags and all.
    await builder.getByRole("button", { name: "QR code of the tagged link" }).click();
    await page
      .getByRole("dialog", { name: "QR code" })
      .getByRole("img", { name: `QR code for ${link}` })
      .waitFor();
    await page.keyboard.press("Escape");
    await shot(page, "portal-utm-builder-1280");
    await page.setViewportSize(PHONE);
    await builder.getByText("UTM tags").scrollIntoViewIfNeeded();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await shot(page, "portal-utm-builder-390");

    // A visitor follows the copied link: the vendor's page gets the partner's tags and the program's source.
    const visitorContext = await stage.browser.newContext({ userAgent: VISITOR_UA });
    const visitor = await pageRecordingErrors(visitorContext, errors);
    await visitor.goto(link);
    await visitor.waitForURL((url) => url.origin === vendor.origin && url.pathname === "/landing");
    await visitor.getByRole("heading", { name: "Northwind Shop" }).waitFor();
    const landed = new URL(visitor.url()).searchParams;
    expect(landed.get("utm_campaign")).toBe("spring sale & more");
    expect(landed.get("utm_medium")).toBe("email");
    expect(landed.get("utm_content")).toBe("hero-banner");
    expect(landed.getAll("utm_source")).toEqual(["northwind-partners"]);
    expect(landed.get("sub1")).toBeNull();
    expect(landed.get("tb_click")).toBeTruthy();
    await visitorContext.close();
    await page.close();
    expect(errors).toEqual([]);
  });
});
