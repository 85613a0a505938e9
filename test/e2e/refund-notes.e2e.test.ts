import type { Page } from "playwright-core";
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

const owner = { name: "Nora Owner", email: "nora@notes.test", password: "correct-horse-battery" };
const partner = { name: "Ines Partner", email: "ines@notes.test", password: "ines-partner-secret-42" };
const company = "Ines Infusions";
const program = { name: "Tidal Tea", slug: "tidal-tea" };
// Negative as the ledger's amount column beside it writes it: with the minus sign (U+2212), not a hyphen.
const REFUND_NOTE = "Refund before payout: −$10.00 reverses part of the commission";
const DESKTOP = { width: 1366, height: 900 };
const PHONE = { width: 390, height: 844 };

/**
 * The engine writes its notes' amounts as "USD 10.00", and stores them so; the pages write money as "$10.00". A
 * refund's reversal and a manual adjustment, wherever a person reads their note: the console's ledger and its
 * drawer, the audit log, the partner's earnings and statement.
 */
describe.skipIf(!process.env.TRIBUTARY_E2E)("a ledger note's amounts read as the pages write money", () => {
  let stage: BrowserStage;
  const errors: string[] = [];
  let programId = "";
  /** The month (UTC) the entries were made in: the statement's, even if the run crosses into the next one. */
  let arrangedMonth = "";

  beforeAll(async () => {
    stage = await openBrowserStage(owner, { contexts: { viewport: DESKTOP, locale: "en-US" } });
    const arranged = await arrangeShopProgram(stage, program, { ...partner, company }, { standardPlan: true });
    programId = arranged.programId;
    const { enrollment } = arranged;
    await callApi(stage.owner, "POST", "/v1/coupons", { enrollmentId: enrollment.id, code: "TIDAL20" });
    const secret = await createTrackKey(stage.owner);
    const track = async (event: "sale" | "refund", body: Record<string, unknown>) => {
      const response = await reportToTrack(stage.server, secret, event, { programId, ...body });
      expect(response.status, await response.clone().text()).toBe(201);
    };
    // A $200 sale earns $20 (the Standard plan's 10 %); half of it is refunded before payout: a reversal of $10.
    arrangedMonth = new Date().toISOString().slice(0, 7);
    await track("sale", { orderId: "order-1", amount: 20_000, currency: "USD", couponCode: "TIDAL20" });
    await track("refund", { orderId: "order-1", refundId: "refund-1", amount: 10_000 });
    await callApi(stage.owner, "POST", "/v1/commissions/adjustments", {
      programId,
      partnerId: enrollment.partnerId,
      amount: 1_250,
      reason: "Missed sale",
    });
    for (let tries = 0; ; tries++) {
      const { items } = await callApi<{ items: { kind: string; explanation: { summary: string } }[] }>(
        stage.owner,
        "GET",
        `/v1/commissions?programId=${programId}`,
      );
      const reversal = items.find((e) => e.kind === "reversal");
      if (reversal) {
        // The API keeps the note as it is stored: the pages are what write it for people.
        expect(reversal.explanation.summary).toBe("refund before payout: -USD 10.00 reverses part of the commission");
        break;
      }
      if (tries > 60) throw new Error("the refund's reversal never appeared");
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  });

  afterAll(() => stage?.close());

  /** No amount in the server's form ("USD 10.00") anywhere on the page. */
  const noServerMoney = async (page: Page) => expect(await page.locator("main").innerText()).not.toMatch(/USD \d/);

  test("the console: the ledger's summary line, the drawer's explanation, the audit log's snapshot", async () => {
    const admin = await pageRecordingErrors(stage.owner, errors);
    await admin.goto(`/admin/commissions?programId=${programId}`);
    const ledger = admin.getByRole("region", { name: "Ledger" });
    const row = ledger.getByRole("row").filter({ hasText: REFUND_NOTE });
    await row.waitFor();
    await ledger.getByText("Manual adjustment $12.50: Missed sale").waitFor();
    await noServerMoney(admin);
    await row.getByText(REFUND_NOTE).click();
    const drawer = admin.getByRole("dialog");
    await drawer.locator(".explanation-summary").getByText(REFUND_NOTE).waitFor();
    expect(await drawer.locator(".explanation-steps").innerText()).not.toMatch(/USD \d/);
    await shot(admin, "refund-note-drawer", false);
    await admin.keyboard.press("Escape");

    await admin.goto("/admin/audit-log");
    const adjusted = admin.getByRole("button", { name: "Show changes of commission.adjust" });
    await adjusted.click();
    await admin
      .getByText(/manual adjustment \$12\.50: Missed sale/)
      .first()
      .waitFor();
    await noServerMoney(admin);
    await shot(admin, "refund-note-audit-log");
    expect(errors).toEqual([]);
  });

  test("the portal: the earnings list and the month's statement, on a desktop and a phone", async () => {
    const portal = await pageRecordingErrors(stage.partner, errors);
    for (const [viewport, name] of [
      [DESKTOP, "desktop"],
      [PHONE, "phone"],
    ] as const) {
      await portal.setViewportSize(viewport);
      await portal.goto("/portal/earnings");
      await portal.getByRole("region", { name: "Earnings" }).getByText(REFUND_NOTE).waitFor();
      await noServerMoney(portal);
      await shot(portal, `refund-note-portal-earnings-${name}`);
    }
    await portal.goto("/portal/payouts");
    // The page opens on the current month: the entries' own, unless the run has crossed into the next.
    await portal.getByLabel("Month").fill(arrangedMonth);
    const statement = portal.getByRole("region", { name: /Statement for/ });
    await statement.getByText(REFUND_NOTE).waitFor();
    await noServerMoney(portal);
    await shot(portal, "refund-note-portal-statement-phone");
    expect(errors).toEqual([]);
  });
});
