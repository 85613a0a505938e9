import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { clicks } from "../../src/db/schema/index.js";
import { rollUpClickHours } from "../../src/domain/stats/click-hours.js";
import { systemClock } from "../../src/lib/clock.js";
import { newId } from "../../src/lib/ids.js";
import { callApi, enrollApprovedPartner, launchChromium, pageRecordingErrors, shot } from "./browser-kit.js";
import { type E2eServer, startE2eServer } from "./e2e-server.js";

const DEMO_PASSWORD = "tributary-demo";
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
const partner = { name: "Rhea Partner", email: "rhea@phone.test", password: "rhea-partner-secret-42" };
const COMPANY = "Rhea Reviews";

/** Click rows are named like the redirect's (`clk_` and a ULID of the click time). */
const clickRowId = (at: Date) => newId("link", at).replace(/^lnk_/, "clk_");

/** What overflows sideways on the page: the document, or any table wider than the box that holds it. */
const sidewaysOverflow = (page: Page) =>
  page.evaluate(() => {
    const root = document.documentElement;
    const wide = [...document.querySelectorAll("table")]
      .filter((table) => table.scrollWidth > table.parentElement!.clientWidth)
      .map((table) => `${table.className}: ${table.scrollWidth} > ${table.parentElement!.clientWidth}`);
    return { document: root.scrollWidth - root.clientWidth, wide };
  });

/**
 * The console's and the portal's lists on a phone (390 px): each row is a card whose fields show their column's
 * label, nothing scrolls sideways, checkboxes and row buttons still work, and screen readers still get a table.
 * And the clicks list's range of days (From … Up to …), kept in the URL.
 */
describe.skipIf(!process.env.TRIBUTARY_E2E)("lists on a phone, and the clicks' range of days", () => {
  let server: E2eServer;
  let browser: Browser;
  let owner: BrowserContext;
  let program: { id: string; slug: string };
  const errors: string[] = [];
  const newPage = (context: BrowserContext) => pageRecordingErrors(context, errors);
  const signIn = async (page: Page, area: "admin" | "portal", email: string) => {
    await page.goto(`/${area}/login`);
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: /sign in/i }).click();
    await page.waitForURL(new RegExp(`/${area}(?!/login)`));
  };

  beforeAll(async () => {
    server = await startE2eServer({}, { demo: true });
    browser = await launchChromium();
    // Noon UTC is the same calendar day in Berlin, whose days the date fields are.
    owner = await browser.newContext({ baseURL: server.baseUrl, viewport: DESKTOP, timezoneId: "Europe/Berlin" });
    await signIn(await newPage(owner), "admin", "owner@demo.test");
    // A program of its own, with three clicks on known days (3, 5 and 7 March 2025), one with a long referrer
    // and sub-ids that could widen a card.
    program = await callApi(owner, "POST", "/v1/programs", {
      name: "Pocket Deals",
      slug: "pocket-deals",
      type: "affiliate",
      currency: "USD",
      allowedDomains: ["pocket.example"],
      defaultLandingUrl: "https://pocket.example/",
      status: "active",
    });
    const applicant = await browser.newContext({ baseURL: server.baseUrl });
    const { partnerId } = await enrollApprovedPartner({ owner, partner: applicant }, program, {
      ...partner,
      company: COMPANY,
    });
    await applicant.close();
    const { items } = await callApi<{ items: { id: string }[] }>(owner, "GET", `/v1/links?programId=${program.id}`);
    await server.database.db.insert(clicks).values(
      ["2025-03-03", "2025-03-05", "2025-03-07"].map((day, i) => {
        const at = new Date(`${day}T12:00:00Z`);
        return {
          id: clickRowId(at),
          programId: program.id,
          partnerId,
          linkId: items[0]!.id,
          at,
          source: "redirect" as const,
          country: "DE",
          browser: "Firefox",
          os: "Linux",
          deviceType: "desktop",
          referrer: i === 1 ? `https://news.example/${"a-very-long-article-path/".repeat(6)}` : null,
          sub1: i === 1 ? "spring-newsletter-with-a-very-long-campaign-name" : null,
          sub2: i === 1 ? "footer" : null,
        };
      }),
    );
    // Clicks of days long past, written as the demo writes its history: their hours are counted again, or the
    // list's total would read them from a rollup that ran before they were there.
    await rollUpClickHours(
      { db: server.database.db, clock: systemClock },
      { recountFrom: new Date("2025-03-03T00:00:00Z") },
    );
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test("on a phone the clicks list is cards: nothing scrolls sideways, and each field shows its column's label", async () => {
    const page = await newPage(owner);
    await page.setViewportSize(PHONE);
    await page.goto(`/admin/programs/${program.id}/clicks`);
    const table = page.locator(".clicks-table");
    await expect.poll(() => table.locator("tbody tr").count()).toBe(3);

    expect(await sidewaysOverflow(page)).toEqual({ document: 0, wide: [] });
    // Nor does the card the list is in (it would scroll the table inside it).
    const card = page.getByRole("region", { name: "Clicks" });
    expect(await card.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);

    // Each field shows its column's label beside its value; the first field is the card's title, without one.
    const row = table.locator("tbody tr").nth(1);
    const labels = await row.locator("td").evaluateAll((cells) =>
      cells.map((cell) => {
        const before = getComputedStyle(cell, "::before");
        return before.content === "none" ? null : before.content;
      }),
    );
    expect(labels[0]).toBeNull();
    for (const [i, label] of ["Partner", "Visitor", "Country", "Referrer", "Sub-ids"].entries()) {
      expect(labels[i + 1]).toContain(`"${label}"`);
    }
    // The label is beside the value: the value starts to its right, on the label's line.
    const partnerCell = row.locator('td[data-label="Partner"]');
    const [cellBox, valueBox] = [await partnerCell.boundingBox(), await partnerCell.getByRole("link").boundingBox()];
    expect(valueBox!.x - cellBox!.x).toBeGreaterThanOrEqual(80);
    expect(Math.abs(valueBox!.y - cellBox!.y)).toBeLessThan(4);
    // The long referrer and sub-id stay inside the card.
    const cardBox = (await row.boundingBox())!;
    for (const cell of [row.locator('td[data-label="Referrer"]'), row.locator('td[data-label="Sub-ids"] .badge')]) {
      const box = (await cell.first().boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(cardBox.x + cardBox.width);
    }

    // Screen readers still get the table: its column headers, and cells that read as their values alone (the
    // label is drawn for the eye only; the header already names the column).
    expect(await page.getByRole("table").count()).toBe(1);
    expect(await page.getByRole("columnheader", { name: "Referrer" }).count()).toBe(1);
    expect(await page.getByRole("row").count()).toBe(4);
    expect(await page.getByRole("cell", { name: "Germany", exact: true }).count()).toBe(3);
    await shot(page, "phone-lists-clicks-390");

    // On a desktop it is the table it was.
    await page.setViewportSize(DESKTOP);
    expect(await row.evaluate((tr) => getComputedStyle(tr).display)).toBe("table-row");
    expect(await partnerCell.evaluate((td) => getComputedStyle(td, "::before").content)).toBe("none");
    await page.close();
  });

  test("every list of the console and the portal fits a phone, with its checkboxes and row buttons at hand", async () => {
    const page = await newPage(owner);
    await page.setViewportSize(PHONE);
    const programs = await callApi<{ items: { id: string }[] }>(owner, "GET", "/v1/programs");
    const demo = programs.items.find((p) => p.id !== program.id)!;
    const lists = [
      "/admin/conversions",
      `/admin/programs/${demo.id}/conversions`,
      "/admin/commissions",
      "/admin/partners",
      "/admin/applications",
      "/admin/payouts",
      "/admin/payouts?view=batches",
      "/admin/payouts?view=runs",
      "/admin/fraud",
      "/admin/audit-log",
    ];
    for (const path of lists) {
      await page.goto(path);
      await page.locator("table tbody tr").first().waitFor();
      expect(await sidewaysOverflow(page), path).toEqual({ document: 0, wide: [] });
      // A field of the first card shows its label.
      const labelled = page.locator("table tbody tr").first().locator("td[data-label]").first();
      expect(await labelled.evaluate((td) => getComputedStyle(td, "::before").content), path).toMatch(/^"\w/);
    }

    // A partner's page: its programs, links, coupons and portal users, all inside the phone's width.
    const partners = await callApi<{ items: { id: string }[] }>(owner, "GET", "/v1/partners?limit=1");
    await page.goto(`/admin/partners/${partners.items[0]!.id}`);
    await page.getByRole("heading", { name: "Programs" }).waitFor();
    await page.getByRole("heading", { name: "Portal users" }).waitFor();
    await page.locator("table tbody tr").first().waitFor();
    expect(await sidewaysOverflow(page), "partner page").toEqual({ document: 0, wide: [] });
    await shot(page, "phone-lists-partner-390");

    // The ledger's checkboxes select, one row or the page ("Select all" keeps its words on a phone).
    await page.goto("/admin/commissions");
    const rows = page.locator("table tbody tr");
    await rows.first().waitFor();
    const bar = page.getByRole("toolbar", { name: "Selected entries" });
    const first = rows.locator("input[type=checkbox]:not(:disabled)").first();
    await first.check();
    await expect.poll(() => bar.textContent()).toContain("1 selected");
    await first.uncheck();
    const selectAll = page.getByText("Select all", { exact: true });
    expect(await selectAll.isVisible()).toBe(true);
    await selectAll.click();
    const enabled = await rows.locator("input[type=checkbox]:not(:disabled)").count();
    await expect.poll(() => bar.textContent()).toContain(`${enabled} selected`);
    await shot(page, "phone-lists-commissions-selected-390");
    await bar.getByRole("button", { name: "Clear" }).click();

    // A row's opener is on screen, at the card's top right, and opens the row.
    const opener = rows.first().getByRole("button", { name: /^Explain / });
    const box = (await opener.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
    expect(box.y - (await rows.first().boundingBox())!.y).toBeLessThan(24);
    await opener.click();
    await page.getByRole("dialog").waitFor();
    await page.keyboard.press("Escape");

    // A payout's buttons are on screen, on a line of their own.
    await page.goto("/admin/payouts");
    const markPaid = page.getByRole("button", { name: /^Mark the payout to .* paid$/ }).first();
    await markPaid.waitFor();
    const paidBox = (await markPaid.boundingBox())!;
    expect(paidBox.x).toBeGreaterThanOrEqual(0);
    expect(paidBox.x + paidBox.width).toBeLessThanOrEqual(PHONE.width);
    await page.close();

    // The partner's earnings and payouts too.
    const context = await browser.newContext({ baseURL: server.baseUrl, viewport: PHONE });
    const portal = await newPage(context);
    await signIn(portal, "portal", "partner@demo.test");
    for (const path of ["/portal/earnings", "/portal/payouts"]) {
      await portal.goto(path);
      await portal.locator("table tbody tr").first().waitFor();
      expect(await sidewaysOverflow(portal), path).toEqual({ document: 0, wide: [] });
    }
    await context.close();
  });

  test("the clicks list takes a range of days, From … Up to …, kept in the URL, and says what an empty range was", async () => {
    const page = await newPage(owner);
    await page.goto(`/admin/programs/${program.id}/clicks`);
    const rows = page.locator(".clicks-table tbody tr");
    const shown = () => rows.locator("td:first-child .cell-sub").allTextContents();
    await expect.poll(shown).toEqual(["7 Mar, 13:00", "5 Mar, 13:00", "3 Mar, 13:00"]);
    const from = page.getByLabel("From");
    const upTo = page.getByLabel("Up to");
    const param = (name: string) => new URL(page.url()).searchParams.get(name);
    // The list's total heads it, counted with the same filters.
    const total = () => page.locator(".clicks-head .card-title").textContent();
    await expect.poll(total).toBe("3 clicks");

    await from.fill("2025-03-04");
    await expect.poll(shown).toEqual(["7 Mar, 13:00", "5 Mar, 13:00"]);
    await expect.poll(total).toBe("2 clicks");
    expect(param("from")).toBe("2025-03-04");
    // At 1,280 px, with Clear filters shown, the filters take one line and Live and the export stay in the head,
    // on the total's line.
    const centreY = async (locator: Locator) => {
      const box = (await locator.boundingBox())!;
      return box.y + box.height / 2;
    };
    const totalY = await centreY(page.locator(".clicks-head .card-title"));
    expect(
      Math.abs((await centreY(page.getByRole("region", { name: "Clicks" }).locator(".live-note"))) - totalY),
    ).toBeLessThan(4);
    expect(Math.abs((await centreY(page.getByRole("link", { name: "Export CSV" }))) - totalY)).toBeLessThan(4);
    const filtersY = await centreY(from);
    for (const filter of [page.getByLabel("Partner"), page.getByLabel("Link"), upTo])
      expect(Math.abs((await centreY(filter)) - filtersY)).toBeLessThan(2);
    expect(Math.abs((await centreY(page.getByRole("button", { name: "Clear filters" }))) - filtersY)).toBeLessThan(8);
    await shot(page, "phone-lists-clicks-total-1280");
    await upTo.fill("2025-03-06");
    await expect.poll(shown).toEqual(["5 Mar, 13:00"]);
    await expect.poll(total).toBe("1 click");
    expect(param("until")).toBe("2025-03-06");
    // The export takes the same range: from the first moment of the From day to the end of the Up to day.
    const href = new URL((await page.getByRole("link", { name: "Export CSV" }).getAttribute("href"))!, server.baseUrl);
    expect(href.searchParams.get("from")).toBe("2025-03-03T23:00:00.000Z");
    expect(href.searchParams.get("before")).toBe("2025-03-06T23:00:00.000Z");
    // A reload keeps the range.
    await page.reload();
    await expect.poll(shown).toEqual(["5 Mar, 13:00"]);
    expect(await from.inputValue()).toBe("2025-03-04");
    expect(await upTo.inputValue()).toBe("2025-03-06");
    await shot(page, "phone-lists-clicks-range");

    // An empty range says which it was, and what clearing brings back.
    const empty = page.locator(".empty-state");
    const says = async (title: string, text: string) => {
      await expect.poll(() => empty.locator(".empty-state-title").textContent()).toBe(title);
      expect(await empty.locator(".empty-state-text").textContent()).toBe(text);
    };
    await upTo.fill("2025-03-04");
    await says("No clicks on 4 Mar 2025", "Clear the dates to see the latest clicks.");
    await upTo.fill("2025-03-09");
    await from.fill("2025-03-08");
    await says("No clicks from 8 Mar 2025 to 9 Mar 2025", "Clear the dates to see the latest clicks.");
    await from.fill("");
    await upTo.fill("2025-03-02");
    await says("No clicks up to 2 Mar 2025", "Clear the date to see the latest clicks.");
    await upTo.fill("");
    await from.fill("2099-01-01");
    await says("No clicks since 1 Jan 2099", "Clear the date to see earlier clicks.");

    // A From after the Up to is not sent: the field says why.
    await from.fill("");
    await upTo.fill("2025-03-06");
    await expect.poll(shown).toEqual(["5 Mar, 13:00", "3 Mar, 13:00"]);
    const asked: string[] = [];
    page.on("request", (request) => {
      if (new URL(request.url()).pathname.startsWith("/v1/clicks")) asked.push(request.url());
    });
    await from.fill("2025-03-08");
    await empty.getByText("From is after Up to").waitFor();
    // Nor is a total counted or shown for it.
    expect(await total()).toBe("Clicks");
    expect(await from.getAttribute("aria-invalid")).toBe("true");
    expect(
      await from.evaluate((input) => document.getElementById(input.getAttribute("aria-describedby")!)?.textContent),
    ).toBe("From is after Up toChoose a From day on or before the Up to day.");
    expect(asked).toEqual([]);
    expect(await page.getByRole("link", { name: "Export CSV" }).count()).toBe(0);
    await shot(page, "phone-lists-clicks-backwards");

    // Clear filters empties every filter at once (the address too) and is gone once nothing is filtered.
    await page.getByRole("button", { name: "Clear filters" }).click();
    await expect.poll(() => from.inputValue()).toBe("");
    expect(await upTo.inputValue()).toBe("");
    expect(new URL(page.url()).search).toBe("");
    expect(await page.getByRole("button", { name: "Clear filters" }).count()).toBe(0);
    await upTo.fill("2025-03-06");
    await expect.poll(shown).toEqual(["5 Mar, 13:00", "3 Mar, 13:00"]);

    await expect.poll(total).toBe("2 clicks");

    // On a phone the two days share a line, and the head's total, Live and export fit its width.
    await page.setViewportSize(PHONE);
    const [fromBox, upToBox] = [(await from.boundingBox())!, (await upTo.boundingBox())!];
    expect(fromBox.y).toBe(upToBox.y);
    expect(upToBox.x + upToBox.width).toBeLessThanOrEqual(PHONE.width);
    const head = page.locator(".clicks-head");
    expect(await head.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
    const exportBox = (await page.getByRole("link", { name: "Export CSV" }).boundingBox())!;
    expect(exportBox.x + exportBox.width).toBeLessThanOrEqual(PHONE.width);
    await shot(page, "phone-lists-clicks-total-390");
    await page.close();
    expect(errors).toEqual([]);
  });
});
