import { eq } from "drizzle-orm";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { sessions } from "../../src/db/schema/index.js";
import {
  arrangeShopProgram,
  type BrowserStage,
  callApi,
  openBrowserStage,
  pageRecordingErrors,
  shot,
} from "./browser-kit.js";

const owner = { name: "Olga Owner", email: "olga@expiry.test", password: "correct-horse-battery" };
const manager = { name: "Mia Manager", email: "mia@expiry.test", password: "manager-secret-4242", role: "manager" };
const partner = { name: "Pia Partner", email: "pia@sunlit.test", password: "sunlit-secret-4242" };
const company = "Sunlit Reviews";
const program = { name: "Expiry Shop", slug: "expiry-shop" };
const desktop = { width: 1360, height: 860 };
const phone = { width: 390, height: 844 };

interface Entry {
  kind: string;
  amount: number;
}

// Only the e2e config sets this; a plain `vitest run` that picks the file up skips it.
describe.skipIf(!process.env.TRIBUTARY_E2E)("a session that ends while someone works", () => {
  let stage: BrowserStage;
  const errors: string[] = [];
  let programId = "";
  let partnerId = "";

  const newPage = (context: BrowserContext) => pageRecordingErrors(context, errors);
  /** What an expired or revoked session looks like to the server: its row is gone. */
  const endSessions = (subject: "team" | "partner") =>
    stage.server.database.db.delete(sessions).where(eq(sessions.subjectType, subject));
  const reSignIn = (page: Page) => page.getByRole("dialog", { name: "Your session has ended" });
  const adjustments = async () =>
    (
      await callApi<{ items: Entry[] }>(stage.owner, "GET", `/v1/commissions?partnerId=${partnerId}&limit=100`)
    ).items.filter((entry) => entry.kind === "adjustment");

  /** The console's adjustment dialog, filled in and not yet saved. */
  async function typeAnAdjustment(admin: Page, amount: string, reason: string) {
    await admin.goto(`/admin/commissions?programId=${programId}&partnerId=${partnerId}`);
    await admin.getByRole("button", { name: "Manual adjustment" }).click();
    const dialog = admin.getByRole("dialog", { name: "Manual adjustment" });
    await dialog.getByLabel("Amount").fill(amount);
    await dialog.getByLabel("Reason").fill(reason);
    return dialog;
  }

  beforeAll(async () => {
    stage = await openBrowserStage(owner, { contexts: { viewport: desktop } });
    await callApi(stage.owner, "POST", "/v1/team/users", manager);
    const arranged = await arrangeShopProgram(stage, program, { ...partner, company });
    programId = arranged.programId;
    partnerId = arranged.enrollment.partnerId;
  });

  afterAll(() => stage?.close());

  test("console: Save after the session ended asks to sign in over the page, then saves what was typed", async () => {
    const admin = await newPage(stage.owner);
    const dialog = await typeAnAdjustment(admin, "12.34", "Spring campaign bonus");
    await endSessions("team");
    await dialog.getByRole("button", { name: "Record adjustment" }).click();

    const reauth = reSignIn(admin);
    await reauth.waitFor();
    // The page stays, with what was typed, under one dialog that offers the user's email and waits for the password.
    expect(new URL(admin.url()).pathname).toBe("/admin/commissions");
    const form = admin.locator("form[aria-label='Manual adjustment']");
    expect(await form.locator("textarea").inputValue()).toBe("Spring campaign bonus");
    expect(await form.locator("input[inputmode=decimal]").inputValue()).toBe("12.34");
    expect(await reauth.getByLabel("Email").inputValue()).toBe(owner.email);
    expect(await admin.evaluate(() => document.activeElement?.getAttribute("type"))).toBe("password");
    expect(await admin.locator("dialog[open]", { hasText: "Your session has ended" }).count()).toBe(1);
    await shot(admin, "90-session-ended-console", false);

    // Escape does not dismiss it, not even for a moment: the session is still over.
    await admin.evaluate(() => {
      const closes = { count: 0 };
      (window as unknown as { closes: typeof closes }).closes = closes;
      const dialogs = [...document.querySelectorAll("dialog")];
      const reauth = dialogs.find((dialog) => dialog.textContent?.includes("Your session has ended"));
      reauth?.addEventListener("close", () => closes.count++);
    });
    await admin.keyboard.press("Escape");
    await admin.keyboard.press("Escape");
    await admin.waitForTimeout(200);
    expect(await admin.evaluate(() => (window as unknown as { closes: { count: number } }).closes.count)).toBe(0);
    expect(await reauth.isVisible()).toBe(true);

    await reauth.getByLabel("Password").fill("not-the-password");
    await reauth.getByRole("button", { name: "Sign in again" }).click();
    await reauth.getByRole("alert").getByText("Email or password is incorrect").waitFor();
    await shot(admin, "91-session-ended-wrong-password", false);

    await reauth.getByLabel("Password").fill(owner.password);
    await reauth.getByRole("button", { name: "Sign in again" }).click();
    await reauth.waitFor({ state: "detached" });
    // The save that met the ended session is sent once, as the same user, and the dialog closes as after any save.
    await admin.getByText("Adjustment of $12.34 recorded").waitFor();
    await dialog.waitFor({ state: "detached" });
    expect((await adjustments()).map((entry) => entry.amount)).toEqual([1234]);
    // Focus is back on the page (the button that opened the adjustment dialog), not lost on <body>.
    expect(await admin.evaluate(() => document.activeElement?.textContent)).toContain("Manual adjustment");
    expect(new URL(admin.url()).pathname).toBe("/admin/commissions");
    expect(errors).toEqual([]);
    await admin.close();
  });

  test("console: signing in as someone else sends nothing and starts at the console's home", async () => {
    const admin = await newPage(stage.owner);
    const dialog = await typeAnAdjustment(admin, "99.00", "Should not be sent as Mia");
    await endSessions("team");
    await dialog.getByRole("button", { name: "Record adjustment" }).click();
    const reauth = reSignIn(admin);
    await reauth.getByLabel("Email").fill(manager.email);
    await reauth.getByLabel("Password").fill(manager.password);
    await reauth.getByRole("button", { name: "Sign in again" }).click();
    await admin.waitForURL((url) => url.pathname === "/admin/programs");
    await admin.getByText(`Signed in as ${manager.email}`).waitFor();
    await admin.getByRole("button", { name: `Account: ${manager.name}` }).waitFor();
    expect(await admin.getByRole("dialog").count()).toBe(0);
    await callApi(stage.owner, "POST", "/v1/auth/login", { email: owner.email, password: owner.password });
    expect((await adjustments()).map((entry) => entry.amount)).toEqual([1234]);
    expect(errors).toEqual([]);
    await admin.close();
  });

  test("console: signed in again in another tab, the dialog closes when this tab is back and the save is sent", async () => {
    const admin = await newPage(stage.owner);
    const dialog = await typeAnAdjustment(admin, "7.00", "Signed in elsewhere");
    await endSessions("team");
    await dialog.getByRole("button", { name: "Record adjustment" }).click();
    await reSignIn(admin).waitFor();
    const other = await newPage(stage.owner);
    await other.goto("/admin/login");
    await other.getByLabel("Email").fill(owner.email);
    await other.getByLabel("Password").fill(owner.password);
    await other.getByRole("button", { name: "Sign in" }).click();
    await other.waitForURL((url) => url.pathname === "/admin/programs");
    await other.close();
    await admin.bringToFront();
    await admin.evaluate(() => window.dispatchEvent(new Event("focus")));
    await reSignIn(admin).waitFor({ state: "detached" });
    await admin.getByText("Adjustment of $7.00 recorded").waitFor();
    expect((await adjustments()).map((entry) => entry.amount).sort((a, b) => a - b)).toEqual([700, 1234]);
    expect(errors).toEqual([]);
    await admin.close();
  });

  test("console: Sign out in the dialog goes to the sign-in page, which comes back to the page", async () => {
    const admin = await newPage(stage.owner);
    const dialog = await typeAnAdjustment(admin, "5.00", "Given up");
    await endSessions("team");
    await dialog.getByRole("button", { name: "Record adjustment" }).click();
    await reSignIn(admin).getByRole("button", { name: "Sign out" }).click();
    await admin.waitForURL((url) => url.pathname === "/admin/login");
    expect(new URL(admin.url()).searchParams.get("next")).toMatch(/^\/admin\/commissions\?/);
    expect(await reSignIn(admin).count()).toBe(0);
    await admin.getByLabel("Email").fill(owner.email);
    await admin.getByLabel("Password").fill(owner.password);
    await admin.getByRole("button", { name: "Sign in" }).click();
    await admin.waitForURL((url) => url.pathname === "/admin/commissions");
    expect((await adjustments()).map((entry) => entry.amount).sort((a, b) => a - b)).toEqual([700, 1234]);
    expect(errors).toEqual([]);
    await admin.close();
  });

  test("console: a tab that was never signed in goes to the sign-in page, no dialog", async () => {
    const context = await stage.browser.newContext({ baseURL: stage.server.baseUrl, viewport: desktop });
    const page = await newPage(context);
    await page.goto("/admin/commissions");
    await page.waitForURL((url) => url.pathname === "/admin/login");
    expect(new URL(page.url()).searchParams.get("next")).toBe("/admin/commissions");
    expect(await reSignIn(page).count()).toBe(0);
    await context.close();
    expect(errors).toEqual([]);
  });

  test("portal on a phone: a new link typed before the cookies went keeps its input and is created", async () => {
    const context = await stage.browser.newContext({ baseURL: stage.server.baseUrl, viewport: phone });
    const portal = await newPage(context);
    await portal.goto("/portal/login");
    await portal.getByLabel("Email").fill(partner.email);
    await portal.getByLabel("Password").fill(partner.password);
    await portal.getByRole("button", { name: "Sign in" }).click();
    await portal.waitForURL((url) => url.pathname === "/portal");
    await portal.goto("/portal/links");
    const card = portal.getByRole("article", { name: program.name });
    await card.getByRole("button", { name: "New link" }).click();
    const dialog = portal.getByRole("dialog", { name: "New tracking link" });
    await dialog.getByLabel("Destination").fill("https://shop.example/spring");
    await dialog.getByLabel("Link name").fill("spring-sale");
    // The browser drops the session cookie and the CSRF cookie with it: the new sign-in must bring a fresh token.
    await context.clearCookies();
    await dialog.getByRole("button", { name: "Create link" }).click();

    const reauth = reSignIn(portal);
    await reauth.waitFor();
    expect(new URL(portal.url()).pathname).toBe("/portal/links");
    expect(await reauth.getByLabel("Email").inputValue()).toBe(partner.email);
    const inputs = portal.locator("dialog[open] form input[type=text], dialog[open] form input[type=url]");
    expect(await inputs.evaluateAll((els) => els.map((el) => (el as HTMLInputElement).value))).toEqual(
      expect.arrayContaining(["https://shop.example/spring", "spring-sale"]),
    );
    await shot(portal, "92-session-ended-portal-phone", false);
    const box = await reauth.boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= phone.width).toBe(true);

    await reauth.getByLabel("Password").fill(partner.password);
    await reauth.getByRole("button", { name: "Sign in again" }).click();
    await reauth.waitFor({ state: "detached" });
    await card.getByRole("cell", { name: "/r/spring-sale", exact: true }).waitFor();
    await dialog.waitFor({ state: "detached" });
    const links = await callApi<{ items: { slug: string }[] }>(context, "GET", "/v1/portal/links");
    expect(links.items.filter((link) => link.slug === "spring-sale")).toHaveLength(1);
    expect(errors).toEqual([]);
    await context.close();
  });

  test("portal: charts refreshing in the background open one dialog, however many requests meet the ended session", async () => {
    const portal = await newPage(stage.partner);
    await portal.goto("/portal/performance");
    await portal.getByRole("heading", { name: "Performance", level: 1 }).waitFor();
    await endSessions("partner");
    const reauth = reSignIn(portal);
    // The performance chart and its breakdowns refresh every 10 s.
    await reauth.waitFor({ timeout: 15_000 });
    await portal.waitForTimeout(11_000);
    expect(await portal.locator("dialog[open]", { hasText: "Your session has ended" }).count()).toBe(1);
    expect(new URL(portal.url()).pathname).toBe("/portal/performance");
    await shot(portal, "93-session-ended-portal-desktop", false);
    await reauth.getByLabel("Password").fill(partner.password);
    await reauth.getByRole("button", { name: "Sign in again" }).click();
    await reauth.waitFor({ state: "detached" });
    await portal.getByRole("heading", { name: "Performance", level: 1 }).waitFor();
    expect(await portal.getByRole("alert").count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
