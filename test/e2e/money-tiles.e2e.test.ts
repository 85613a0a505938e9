import { readFileSync } from "node:fs";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { callApi, enrollApprovedPartner, launchChromium, pageRecordingErrors, shot } from "./browser-kit.js";
import { type E2eServer, startE2eServer } from "./e2e-server.js";

const owner = { name: "Hana Owner", email: "hana@harbor.test", password: "correct-horse-battery" };
const partner = { name: "Tomas Partner", email: "tomas@tidewater.test", password: "tidewater-secret-42" };
const company = "Tidewater Media";
const usdProgram = { name: "Harbor Shop", slug: "harbor-shop" };
const eurProgram = { name: "Harbor Europe", slug: "harbor-europe" };
const DAY = 86_400_000;

/** A stat tile ("Pending", "Approved", …) inside `scope`. */
const tile = (scope: Page | Locator, label: string) => {
  const page = "page" in scope && typeof scope.page === "function" ? scope.page() : (scope as Page);
  return scope.locator(".stat-tile").filter({ has: page.locator(".stat-label", { hasText: label }) });
};
const lines = (loc: Locator) => loc.locator(".stat-value-line").allTextContents();

/** 00:00 UTC on the 1st of the month after `made`, + `days`: when a credit made then is payable (monthly, NET-N). */
const dueDay = (days = 0, made = new Date()) => {
  const first = Date.UTC(made.getUTCFullYear(), made.getUTCMonth() + 1, 1);
  return new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" }).format(
    new Date(first + days * DAY),
  );
};

// Only the e2e config sets this; a plain `vitest run` that picks the file up skips it.
describe.skipIf(!process.env.TRIBUTARY_E2E)("money tiles, the adjustment dialog and statements", () => {
  let server: E2eServer;
  let browser: Browser;
  let ownerContext: BrowserContext;
  let partnerContext: BrowserContext;
  const errors: string[] = [];
  let usdId = "";
  let eurId = "";
  let partnerId = "";
  /**
   * When the entries were made: what their due days and statement month go by, rather than the clock when a test
   * reads them (a run that crossed into the next month between the two would expect the next month's).
   */
  let arrangedAt = new Date();

  const newPage = (context: BrowserContext) => pageRecordingErrors(context, errors);

  beforeAll(async () => {
    server = await startE2eServer();
    browser = await launchChromium();
    const options = { baseURL: server.baseUrl, viewport: { width: 1280, height: 900 } };
    ownerContext = await browser.newContext({ ...options, acceptDownloads: true });
    partnerContext = await browser.newContext(options);

    // A monthly USD program with a 20% plan, and a NET-30 EUR program; the partner is in both.
    await callApi(ownerContext, "POST", "/v1/setup/owner", owner);
    const program = (body: Record<string, unknown>) =>
      callApi<{ id: string }>(ownerContext, "POST", "/v1/programs", {
        type: "affiliate",
        status: "active",
        allowedDomains: ["harbor.example"],
        ...body,
      });
    usdId = (await program({ ...usdProgram, currency: "USD" })).id;
    eurId = (await program({ ...eurProgram, currency: "EUR", payoutSchedule: "net_30" })).id;
    await callApi(ownerContext, "POST", `/v1/programs/${usdId}/plans`, {
      name: "Revenue share",
      scope: "program",
      definition: {
        rules: [{ id: "share", name: "Revenue share", event: "sale", reward: { type: "percent", bps: 2_000 } }],
      },
    });
    const enrollment = await enrollApprovedPartner(
      { owner: ownerContext, partner: partnerContext },
      { id: usdId, slug: usdProgram.slug },
      { ...partner, company },
    );
    partnerId = enrollment.partnerId;
    const second = await callApi<{ id: string }>(
      partnerContext,
      "POST",
      `/v1/portal/programs/${eurProgram.slug}/applications`,
      { acceptTerms: true },
    );
    await callApi(ownerContext, "POST", `/v1/enrollments/${second.id}/approve`, {});
    await callApi(ownerContext, "POST", "/v1/coupons", { enrollmentId: enrollment.id, code: "TIDE20" });
    const apiKey = (
      await callApi<{ secret: string }>(ownerContext, "POST", "/v1/api-keys", { name: "Shop", scopes: ["track:write"] })
    ).secret;
    const track = async (path: string, body: Record<string, unknown>) => {
      const response = await fetch(`${server.baseUrl}/v1/track/${path}`, {
        method: "POST",
        headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
        body: JSON.stringify({ programId: usdId, ...body }),
      });
      expect(response.status, await response.clone().text()).toBe(201);
    };
    // A $100 sale earns $20 (pending for the holding period); half of it is refunded before payout: a reversal.
    arrangedAt = new Date();
    await track("sale", { orderId: "order-1", amount: 10_000, currency: "USD", couponCode: "TIDE20" });
    await track("refund", { orderId: "order-1", refundId: "refund-1", amount: 5_000 });
    const adjust = (programId: string, amount: number, reason: string) =>
      callApi<{ id: string }>(ownerContext, "POST", "/v1/commissions/adjustments", {
        programId,
        partnerId,
        amount,
        reason,
      });
    await adjust(usdId, 1_200, "Missed sale, credited by hand");
    await adjust(eurId, 2_500, "Launch bonus");
    const held = await adjust(usdId, 500, "Duplicate claim?");
    await callApi(ownerContext, "POST", "/v1/commissions/review", { action: "hold", ids: [held.id], reason: "check" });
    // The engine computes the sale's commission and its reversal in the background.
    for (let tries = 0; ; tries++) {
      const { items } = await callApi<{ items: { kind: string }[] }>(
        ownerContext,
        "GET",
        `/v1/commissions?partnerId=${partnerId}`,
      );
      if (items.some((e) => e.kind === "reversal")) break;
      if (tries > 60) throw new Error("the refund's reversal never appeared");
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test("the console's partner tiles: on hold shown, each currency on its own, approved money due when the schedule says", async () => {
    const admin = await newPage(ownerContext);
    await admin.goto(`/admin/partners/${partnerId}`);
    const panel = admin.getByRole("region", { name: "Earnings and payouts" });
    const approved = tile(panel, "Approved");
    await expect.poll(() => lines(approved.locator(".stat-value"))).toHaveLength(2);
    // Each currency's amount, in the same order in every tile; never one currency headlined as if it were the total.
    const order = await lines(approved.locator(".stat-value"));
    expect([...order].sort()).toEqual(["$12.00", "€25.00"]);
    const usdFirst = order[0] === "$12.00";
    const inOrder = (usd: string, eur: string) => (usdFirst ? [usd, eur] : [eur, usd]);
    expect(await lines(tile(panel, "Pending").locator(".stat-value"))).toEqual(inOrder("$10.00", "€0.00"));
    // On hold is shown, so pending + approved + on hold is the balance the statements close on.
    expect(await lines(tile(panel, "On hold").locator(".stat-value"))).toEqual(inOrder("$5.00", "€0.00"));
    expect(await lines(tile(panel, "Paid").locator(".stat-value"))).toEqual(inOrder("$0.00", "€0.00"));
    await panel
      .getByText(/^Balance owed (\$27\.00 and €25\.00|€25\.00 and \$27\.00): pending, approved and on hold/)
      .waitFor();
    // Approved today: monthly pays it from the 1st of next month, NET-30 thirty days after that. Not "next payout".
    const notes = await approved.locator(".stat-sub-line").allTextContents();
    expect([...notes].sort()).toEqual(
      [`$12.00 due from ${dueDay(0, arrangedAt)}`, `€25.00 due from ${dueDay(30, arrangedAt)}`].sort(),
    );
    expect(await panel.textContent()).not.toMatch(/next payout/i);
    await shot(admin, "61-partner-money");

    // The statement names a refund before payout a reversal, and the CSV is named by program and month.
    const statementProgram = panel.getByLabel("Program");
    if (await statementProgram.count()) await statementProgram.selectOption({ label: usdProgram.name });
    // The month the entries were made in: the one the statement opens on, unless the run has crossed into the next.
    const month = arrangedAt.toISOString().slice(0, 7);
    await panel.getByLabel("Month").fill(month);
    const statement = panel.getByRole("region", { name: /Statement for/ });
    const reversal = statement.getByRole("row").filter({ hasText: "−$10.00" });
    await reversal.getByRole("cell", { name: /^Reversal/ }).waitFor();
    expect(await statement.getByRole("cell", { name: /Clawback/ }).count()).toBe(0);
    const figure = (label: string) =>
      statement
        .locator(".statement-figure")
        .filter({ has: admin.locator("dt", { hasText: new RegExp(`^${label}$`) }) });
    expect(await figure("Reversals").locator("dd").textContent()).toBe("−$10.00");
    expect(await figure("Clawbacks").locator("dd").textContent()).toBe("$0.00");
    const [download] = await Promise.all([
      admin.waitForEvent("download"),
      panel.getByRole("link", { name: "Download CSV" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`statement-${usdProgram.slug}-tidewater-media-${month}.csv`);
    const csv = readFileSync((await download.path())!, "utf8");
    const lastDay = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5)), 0)).toISOString().slice(0, 10);
    expect(csv).toContain(`${lastDay},closing_balance,`);
    expect(csv).toContain(",reversal,");
    expect(errors).toEqual([]);
  });

  test("the adjustment dialog: when a credit is paid, and the limit in money", async () => {
    const admin = await newPage(ownerContext);
    await admin.goto(`/admin/commissions?programId=${usdId}&partnerId=${partnerId}`);
    await admin.getByRole("button", { name: "Manual adjustment" }).click();
    const dialog = admin.getByRole("dialog", { name: "Manual adjustment" });
    await dialog.getByText(`A credit is due for payout from ${dueDay()} on the program's monthly schedule.`).waitFor();
    expect(await dialog.textContent()).not.toMatch(/next payout/i);
    await dialog.getByLabel("Amount").fill("20000000000");
    await dialog.getByLabel("Reason").fill("Typo check");
    await dialog.getByRole("button", { name: "Record adjustment" }).click();
    await dialog.getByText("Use at most $10,000,000,000.00 in one adjustment").waitFor();
    expect(await dialog.textContent()).not.toContain("1000000000000");
    await dialog.getByRole("button", { name: "Debit (take back)" }).click();
    await dialog.getByText("A debit is taken off the partner's next payout.").waitFor();
    await shot(admin, "62-adjustment-limit", false);
    expect(errors).toEqual([]);
  });

  test("the partner's earnings say when approved money is paid; a cleared statement month says so", async () => {
    const portal = await newPage(partnerContext);
    await portal.goto("/portal/earnings");
    const approved = tile(portal, "Approved");
    await expect.poll(() => lines(approved.locator(".stat-value"))).toHaveLength(2);
    const notes = await approved.locator(".stat-sub-line").allTextContents();
    expect([...notes].sort()).toEqual(
      [`$12.00 due from ${dueDay(0, arrangedAt)}`, `€25.00 due from ${dueDay(30, arrangedAt)}`].sort(),
    );
    expect(await portal.locator(".stat-tiles").textContent()).not.toMatch(/next payout/i);
    await shot(portal, "63-portal-earnings-due");

    await portal.goto("/portal/payouts");
    await portal.getByRole("region", { name: /Statement for/ }).waitFor();
    await portal.getByLabel("Month").fill("");
    await portal.getByRole("heading", { name: "No month chosen" }).waitFor();
    expect(await portal.locator(".statement .skeleton-table").count()).toBe(0);
    await shot(portal, "64-portal-statement-no-month");
    expect(errors).toEqual([]);
  });
});
