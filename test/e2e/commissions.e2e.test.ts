import { readFileSync } from "node:fs";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  arrangeShopProgram,
  type BrowserStage,
  callApi,
  createTrackKey,
  openBrowserStage,
  pageRecordingErrors,
  reportToTrack,
  shot,
} from "./browser-kit.js";

const owner = { name: "Grace Owner", email: "grace@ledger.test", password: "correct-horse-battery" };
const partner = { name: "Paula Partner", email: "paula@brightlane.test", password: "brightlane-secret-42" };
const company = "Brightlane Media";
const program = { name: "Northwind Shop", slug: "northwind-shop" };
const DAY = 86_400_000;

/** The value of a stat tile ("Pending", "Approved", …). */
const tile = (page: Page, label: string) =>
  page
    .locator(".stat-tile")
    .filter({ has: page.locator(".stat-label", { hasText: label }) })
    .locator(".stat-value");

// Only the e2e config sets this; a plain `vitest run` that picks the file up skips it.
describe.skipIf(!process.env.TRIBUTARY_E2E)("commissions and payouts in a real browser", () => {
  let stage: BrowserStage;
  const errors: string[] = [];
  let programId = "";
  let partnerId = "";
  let apiKey = "";

  const newPage = (context: BrowserContext) => pageRecordingErrors(context, errors);
  const sale = async (body: Record<string, unknown>) => {
    const response = await reportToTrack(stage.server, apiKey, "sale", {
      programId,
      currency: "USD",
      couponCode: "BRIGHT10",
      ...body,
    });
    expect(response.status).toBe(201);
    const result = (await response.json()) as { attributed: boolean };
    expect(result.attributed).toBe(true);
  };

  beforeAll(async () => {
    // The set-up the other browser tests cover goes through the API: owner, program, an approved partner with a
    // coupon code (sales credit it without a click), and an API key for the shop's backend.
    stage = await openBrowserStage(owner, {
      contexts: { viewport: { width: 1360, height: 860 } },
      ownerOnly: { acceptDownloads: true },
    });
    // No plan yet: the test builds it in the console.
    const arranged = await arrangeShopProgram(stage, program, { ...partner, company });
    programId = arranged.programId;
    partnerId = arranged.enrollment.partnerId;
    await callApi(stage.owner, "POST", "/v1/coupons", { enrollmentId: arranged.enrollment.id, code: "BRIGHT10" });
    apiKey = await createTrackKey(stage.owner);
  });

  afterAll(() => stage?.close());

  test("the owner builds the seed's tiered plan, previews a sale, approves its commission; the partner sees it", async () => {
    const admin = await newPage(stage.owner);
    await admin.goto(`/admin/programs/${programId}/commissions`);
    await admin.getByRole("heading", { name: "No commission plan yet" }).waitFor();
    await admin.getByRole("button", { name: "New plan" }).click();

    // 10% for the first 5 sales a month, 15% for every sale beyond (seed 002).
    const editor = admin.getByRole("form", { name: "Commission plan" });
    await editor.getByLabel("Plan name").fill("Seed tiered plan");
    const rule = editor.getByRole("group", { name: "Rule 1" });
    await rule.getByLabel("Rule name").fill("Tiered sales");
    await rule.getByLabel("Volume tiers").check();
    await rule.getByLabel("Level 1 up to sale").fill("5");
    await rule.getByLabel("Level 1 percentage").fill("10");
    await rule.getByLabel("Level 2 percentage").fill("15,5");
    await editor.getByRole("button", { name: "Create plan" }).click();
    // Typed input is read exactly: "15,5" is 15.5%, and three decimals would be refused rather than rounded.
    await admin.getByText("Seed tiered plan created").waitFor();
    await admin.getByRole("button", { name: "Edit Seed tiered plan" }).click();
    await rule.getByLabel("Level 2 percentage").fill("15.005");
    await editor.getByRole("button", { name: "Save new version" }).click();
    await rule.getByText("Use at most two decimals (basis points)").waitFor();
    await rule.getByLabel("Level 2 percentage").fill("15");
    await shot(admin, "31-plan-editor");
    await editor.getByRole("button", { name: "Save new version" }).click();
    await admin.getByText("Seed tiered plan saved as version 2").waitFor();
    const plans = admin.getByRole("region", { name: "Commission plans" });
    await plans.getByText("Any sale: 10% for the first 5 sales a month, then 15%").waitFor();
    await shot(admin, "32-plans");

    // "What would this sale earn this partner, and by which rule?"
    const preview = admin.getByRole("region", { name: "Preview a commission" });
    await preview.getByLabel("Partner").selectOption({ label: company });
    await preview.getByLabel("Sale amount").fill("129.00");
    await preview.getByRole("button", { name: "Preview" }).click();
    const outcome = preview.getByRole("region", { name: "Preview result" });
    await outcome.getByText("$12.90", { exact: true }).waitFor();
    await outcome.getByText("Tiered sales", { exact: true }).waitFor();
    await outcome.getByText("Sale #1 this month → tier level 1 (sales 1–5)").waitFor();
    await shot(admin, "33-preview");

    // The shop reports the sale; the engine credits the partner by the plan.
    await sale({ orderId: "order-2001", amount: 12_900, customerExternalId: "cus_2001" });
    await admin.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Commissions" }).click();
    const row = admin.getByRole("row").filter({ hasText: company }).filter({ hasText: "$12.90" });
    await expect.poll(async () => row.count(), { timeout: 10_000, interval: 250 }).toBe(1);
    await row.getByText("Pending").waitFor();
    // The tiles come from a query of their own (the ledger's totals), which may answer after the list.
    await expect.poll(() => tile(admin, "Pending").textContent()).toBe("$12.90");
    await row.getByRole("button", { name: `Explain ${company} $12.90` }).click();
    const drawer = admin.getByRole("dialog", { name: /\$12\.90/ });
    await drawer.getByText("10% of $129.00 = $12.90").waitFor();
    await drawer.getByText("Seed tiered plan v2").waitFor();
    await shot(admin, "34-commission-explained", false);
    await drawer.getByRole("button", { name: "Approve" }).click();
    await admin.getByText("1 entry approved").waitFor();
    await admin.keyboard.press("Escape");
    await row.getByText("Approved").waitFor();
    await expect.poll(() => tile(admin, "Approved").textContent()).toBe("$12.90");
    // Where the approved money stands on the payout schedule, as the server splits it (never a blanket promise).
    const approvedNote = admin
      .locator(".stat-tile")
      .filter({ has: admin.locator(".stat-label", { hasText: "Approved" }) })
      .locator(".stat-sub");
    expect(await approvedNote.textContent()).toMatch(/^(Due for payout now|Due for payout from \d{1,2} \w{3} \d{4})$/);
    await shot(admin, "35-commissions");

    // The partner's earnings: the approved amount, and why.
    const portal = await newPage(stage.partner);
    await portal.goto("/portal/earnings");
    await expect.poll(() => tile(portal, "Approved").textContent()).toBe("$12.90");
    const earned = portal.getByRole("region", { name: "Earnings" }).getByRole("row").filter({ hasText: "$12.90" });
    await earned.getByText("Approved").waitFor();
    await earned.click();
    await portal.getByRole("dialog").getByText("10% of $129.00 = $12.90").waitFor();
    await shot(portal, "36-portal-earnings", false);
    await portal.keyboard.press("Escape");
    expect(errors).toEqual([]);
  });

  test("payouts: run, batch, PayPal file, mark paid; the partner sees the payout and the statement", async () => {
    const admin = await newPage(stage.owner);
    // NET-15: what was earned in a month is paid 15 days after it ends, so a sale from 60 days ago is due.
    await admin.goto(`/admin/programs/${programId}/commissions`);
    const settings = admin.getByRole("region", { name: "Commission and payout settings" });
    await settings.getByLabel("Payout schedule").selectOption("net_15");
    await settings.getByRole("button", { name: "Save settings" }).click();
    await admin.getByText("Commission and payout settings saved").waitFor();

    // A sale from two months ago, past its 30-day holding period.
    await sale({
      orderId: "order-1501",
      amount: 20_000,
      customerExternalId: "cus_1501",
      occurredAt: new Date(Date.now() - 60 * DAY).toISOString(),
    });
    await admin.goto("/admin/commissions");
    const old = admin.getByRole("row").filter({ hasText: "$20.00" });
    await expect.poll(async () => old.count(), { timeout: 10_000, interval: 250 }).toBe(1);
    await admin.getByRole("button", { name: "Release holdings now" }).click();
    await admin.getByText("1 entry approved after their holding period").waitFor();
    await old.getByText("Approved").waitFor();

    // On a laptop's screen the ledger's four choices fill one line; the two days and the export share the next.
    await admin.setViewportSize({ width: 1280, height: 860 });
    const ledger = admin.getByRole("region", { name: "Ledger" });
    const top = async (label: string) => (await ledger.getByLabel(label, { exact: true }).boundingBox())!.y;
    const choices = await Promise.all(["Program", "Partner", "Status", "Kind"].map(top));
    expect(new Set(choices).size).toBe(1);
    const [from, to] = [await top("From"), await top("To")];
    expect(from).toBe(to);
    expect(from).toBeGreaterThan(choices[0]!);
    const exportBox = (await ledger.getByRole("link", { name: "Export CSV" }).boundingBox())!;
    expect(exportBox.y).toBeGreaterThan(choices[0]!);
    await admin.setViewportSize({ width: 1360, height: 860 });

    // The partner adds a PayPal account; the portal shows it masked.
    const portal = await newPage(stage.partner);
    await portal.goto("/portal/payouts");
    const method = portal.getByRole("region", { name: "Payout method" });
    await method.getByLabel("PayPal email").fill("paula.payouts@brightlane.test");
    await method.getByLabel("Your password").fill("not-my-password");
    await method.getByRole("button", { name: "Save payout method" }).click();
    await method.getByText("The password is not correct").waitFor();
    await method.getByLabel("Your password").fill(partner.password);
    await method.getByRole("button", { name: "Save payout method" }).click();
    await method.getByText("PayPal p***@brightlane.test").waitFor();

    // Finance runs payouts: one payout with the due commission (this month's sale is not due yet).
    await admin.goto("/admin/payouts");
    await admin.getByRole("button", { name: "Run payouts" }).click();
    const run = admin.getByRole("dialog", { name: "Run payouts" });
    await run.getByRole("button", { name: "Run payouts" }).click();
    await run.getByText("1 payout created", { exact: false }).waitFor();
    await run.getByText("$20.00").waitFor();
    await shot(admin, "37-payout-run", false);
    await run.getByRole("button", { name: "Done" }).click();
    const payoutRow = admin.getByRole("row").filter({ hasText: company });
    await payoutRow.getByText("Pending").waitFor();

    // A PayPal batch, its file, then the batch marked paid.
    await admin.getByRole("button", { name: "Create batch" }).click();
    const batchDialog = admin.getByRole("dialog", { name: "Create a payout batch" });
    await batchDialog.getByText("PayPal", { exact: true }).click();
    await batchDialog.getByRole("button", { name: "Create batch" }).click();
    await admin.getByText("Batch of 1 payout ($20.00) created").waitFor();
    const batch = admin.getByRole("region", { name: "Payout batches" }).getByRole("row").filter({ hasText: "PayPal" });
    const [download] = await Promise.all([
      admin.waitForEvent("download"),
      batch.getByRole("link", { name: "PayPal file" }).click(),
    ]);
    const file = readFileSync((await download.path())!, "utf8");
    expect(file).toContain("paula.payouts@brightlane.test");
    expect(file).toContain("20.00");
    await batch.getByRole("button", { name: "Mark paid" }).click();
    const paidDialog = admin.getByRole("dialog", { name: /Mark the PayPal batch paid/ });
    await paidDialog.getByLabel("Reference").fill("PAYPAL-B-77");
    await paidDialog.getByRole("button", { name: "Mark paid" }).click();
    await admin.getByText("Batch marked paid").waitFor();
    await batch.getByText("Completed").waitFor();
    await shot(admin, "38-payout-batches");

    // The partner sees the payout, and this month's statement: opening balance, the payout, the closing balance.
    await portal.reload();
    const history = portal.getByRole("region", { name: "Payout history" });
    await history.getByRole("row").filter({ hasText: "$20.00" }).getByText("Paid").waitFor();
    const statement = portal.getByRole("region", { name: /Statement for/ });
    const figure = (label: string) => statement.locator(".statement-figure").filter({ hasText: label }).locator("dd");
    await expect.poll(() => figure("Closing balance").textContent()).toBe("$12.90");
    expect(await figure("Opening balance").textContent()).toBe("$20.00");
    expect(await figure("Payouts").textContent()).toBe("−$20.00");
    await statement.getByRole("row").filter({ hasText: "Payout" }).waitFor();
    const csv = await portal
      .getByRole("link", { name: "Download CSV" })
      .getAttribute("href")
      .then((href) => stage.partner.request.get(href ?? ""));
    expect(csv.headers()["content-type"]).toContain("text/csv");
    expect(await csv.text()).toContain("payout");
    await shot(portal, "39-portal-payouts");

    // The console shows the same on the partner's page.
    await admin.goto(`/admin/partners/${partnerId}`);
    const finance = admin.getByRole("region", { name: "Earnings and payouts" });
    await finance.getByRole("paragraph").filter({ hasText: "PayPal p***@brightlane.test" }).waitFor();
    await finance
      .getByRole("table", { name: "Recent payouts" })
      .getByRole("row")
      .filter({ hasText: "$20.00" })
      .getByText("Paid")
      .waitFor();
    await shot(admin, "40-partner-finance");
    expect(errors).toEqual([]);
  });
});
