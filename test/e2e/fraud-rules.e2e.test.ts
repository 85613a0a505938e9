import type { BrowserContext, Locator, Page } from "playwright-core";
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
  VISITOR_UA,
} from "./browser-kit.js";

const owner = { name: "Rita Owner", email: "rita@rules.test", password: "correct-horse-battery" };
const finance = { name: "Finn Finance", email: "finn@rules.test", password: "finance-secret-4242", role: "finance" };
const partner = { name: "Pete Partner", email: "pete@greenleaf.test", password: "greenleaf-secret-42" };
const program = { name: "Rules Shop", slug: "rules-shop" };
const desktop = { width: 1360, height: 860 };
const phone = { width: 390, height: 844 };

interface RuleView {
  rule: string;
  enabled: boolean;
  action: string;
  thresholds: Record<string, unknown>;
  customized: boolean;
  lastChanged: { at: string } | null;
}
interface FraudCase {
  action: string;
  status: string;
  decisions: { rule: string; action: string; evidence: Record<string, unknown> }[];
}

// Only the e2e config sets this; a plain `vitest run` that picks the file up skips it.
describe.skipIf(!process.env.TRIBUTARY_E2E)("a program's fraud rules in the console", () => {
  let stage: BrowserStage;
  const errors: string[] = [];
  let programId = "";
  let apiKey = "";
  let linkSlug = "";
  let order = 0;

  const rulesPage = () => `/admin/programs/${programId}/fraud-rules`;
  const rules = async () =>
    (await callApi<{ items: RuleView[] }>(stage.owner, "GET", `/v1/programs/${programId}/fraud-rules`)).items;
  const ruleOf = async (rule: string) => (await rules()).find((r) => r.rule === rule)!;
  const card = (page: Page, name: string) => page.getByRole("form", { name, exact: true });
  /** A card's line saying who last changed the rule, and when. */
  const lastChange = (form: Locator) => form.locator(".fraud-rule-changed");
  const toast = (page: Page, text: string) => page.getByRole("status").filter({ hasText: text });
  /** The server's answer to a rule's save, awaited with the click that sends it. */
  const saved = (page: Page, rule: string) =>
    page.waitForResponse((r) => r.request().method() === "PATCH" && r.url().endsWith(`/fraud-rules/${rule}`));

  async function openRules(context: BrowserContext): Promise<Page> {
    const page = await pageRecordingErrors(context, errors);
    await page.goto(rulesPage());
    await page.getByRole("heading", { name: "Conversion-rate outlier" }).waitFor();
    return page;
  }

  /** A sale a few seconds after its click, through the partner's link: what click injection judges. */
  async function saleRightAfterClick(): Promise<string> {
    const clickId = await clickThrough(stage.server, linkSlug);
    order += 1;
    const response = await reportToTrack(stage.server, apiKey, "sale", {
      programId,
      orderId: `rules-${order}`,
      amount: 10_000,
      currency: "USD",
      clickId,
      customerExternalId: `cus-rules-${order}`,
    });
    expect(response.status).toBe(201);
    return ((await response.json()) as { id: string }).id;
  }
  const caseOf = (conversionId: string) => callApi<FraudCase>(stage.owner, "GET", `/v1/fraud/cases/${conversionId}`);

  beforeAll(async () => {
    stage = await openBrowserStage(owner, {
      env: { CLICK_DURABILITY: "sync" },
      contexts: { viewport: desktop },
      partnerOnly: { userAgent: VISITOR_UA },
    });
    await callApi(stage.owner, "POST", "/v1/team/users", finance);
    const extras = { landingPage: true, standardPlan: true };
    ({ programId } = await arrangeShopProgram(stage, program, { ...partner, company: "Greenleaf Reviews" }, extras));
    linkSlug = await defaultLinkSlug(stage.partner);
    apiKey = await createTrackKey(stage.owner);
  });

  afterAll(() => stage?.close());

  test("a rule turned to hold with a new threshold is kept after a reload, audited, and reset to its defaults", async () => {
    const page = await openRules(stage.owner);
    // The program page's own tab, current.
    await expect.poll(() => page.getByRole("link", { name: "Fraud rules" }).getAttribute("aria-current")).toBe("page");
    // Every rule of the API's catalog has its card, in words.
    expect(await page.locator("form[data-rule]").count()).toBe((await rules()).length);
    await shot(page, "fraud-rules-desktop");

    const outlier = card(page, "Conversion-rate outlier");
    await expect.poll(() => outlier.getByLabel("Action").inputValue()).toBe("flag");
    expect(await lastChange(outlier).innerText()).toBe("Default, never changed");
    await outlier.getByLabel("Action").selectOption("hold");
    await outlier.getByLabel("Robust z-score above").fill("2.5");
    await outlier.getByText("Unsaved changes").waitFor();
    await shot(page, "fraud-rules-unsaved", false);
    const response = saved(page, "conversion_rate_outlier");
    await outlier.getByRole("button", { name: "Save Conversion-rate outlier" }).click();
    expect((await response).status()).toBe(200);
    await toast(
      page,
      "Conversion-rate outlier saved: Action: flag for review → hold for review; Robust z-score above: 3.5 → 2.5.",
    ).waitFor();
    expect(await outlier.getByText("Unsaved changes").count()).toBe(0);
    // Who changed it, at once from the save's answer; the exact time is in the tooltip.
    expect(await lastChange(outlier).innerText()).toBe("Changed by Rita Owner, just now");

    await page.reload();
    await page.getByRole("heading", { name: "Conversion-rate outlier" }).waitFor();
    expect(await outlier.getByLabel("Action").inputValue()).toBe("hold");
    expect(await lastChange(outlier).innerText()).toBe("Changed by Rita Owner, just now");
    const changedAt = lastChange(outlier).locator("time");
    expect(await changedAt.getAttribute("datetime")).toBe((await ruleOf("conversion_rate_outlier")).lastChanged?.at);
    expect(await changedAt.getAttribute("title")).toMatch(/^\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}$/);
    expect(await lastChange(outlier).getByText("Rita Owner").getAttribute("title")).toBe(owner.email);
    expect(await outlier.getByLabel("Robust z-score above").inputValue()).toBe("2.5");
    await outlier.getByText("Customized").waitFor();
    expect(await ruleOf("conversion_rate_outlier")).toMatchObject({
      action: "hold",
      thresholds: { zScore: 2.5, minClicks: 100 },
      customized: true,
    });
    const audit = await callApi<{ items: { actorLabel: string; before: RuleView; after: RuleView }[] }>(
      stage.owner,
      "GET",
      "/v1/audit-log?entityType=fraud_rule",
    );
    expect(audit.items[0]).toMatchObject({
      actorLabel: owner.email,
      before: { action: "flag", thresholds: { zScore: 3.5 } },
      after: { action: "hold", thresholds: { zScore: 2.5 } },
    });

    // A threshold out of range: the API's 422 is shown at the field, which takes the focus; nothing is stored.
    await outlier.getByLabel("Robust z-score above").fill("0.5");
    await outlier.getByRole("button", { name: "Save Conversion-rate outlier" }).click();
    const zError = outlier.getByText("Must be a number from 1 to 100");
    await zError.waitFor();
    expect(await outlier.getByLabel("Robust z-score above").getAttribute("aria-invalid")).toBe("true");
    await expect
      .poll(() => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.value))
      .toBe("0.5");
    await shot(page, "fraud-rules-field-error", false);
    // A share is typed as a percentage, and its error says percentages too.
    const spamming = card(page, "Click spamming");
    const lateShare = spamming.getByLabel("Highest acceptable share of late conversions");
    expect(await lateShare.inputValue()).toBe("60");
    await lateShare.fill("150");
    await spamming.getByRole("button", { name: "Save Click spamming" }).click();
    await spamming.getByText("Enter a percentage from 0% to 100%").waitFor();
    await spamming.getByRole("button", { name: "Discard" }).click();
    expect(await lateShare.inputValue()).toBe("60");
    expect(await ruleOf("click_spamming")).toMatchObject({ thresholds: { maxLateShare: 0.6 }, customized: false });
    expect((await ruleOf("conversion_rate_outlier")).thresholds.zScore).toBe(2.5);

    // Reset to defaults: the dialog lists what goes back, and the program's settings are forgotten.
    await outlier.getByRole("button", { name: "Reset to defaults" }).click();
    const dialog = page.getByRole("dialog", { name: "Reset Conversion-rate outlier to its defaults?" });
    await dialog.getByText("Robust z-score above: 2.5 → 3.5").waitFor();
    await dialog.getByText("Action: hold for review → flag for review").waitFor();
    await shot(page, "fraud-rules-reset-dialog", false);
    await dialog.getByRole("button", { name: "Reset to defaults" }).click();
    await toast(page, "Conversion-rate outlier reset to its defaults").waitFor();
    expect(await outlier.getByLabel("Action").inputValue()).toBe("flag");
    expect(await outlier.getByLabel("Robust z-score above").inputValue()).toBe("3.5");
    expect(await outlier.getByText("Customized").count()).toBe(0);
    // Back on the defaults, and still someone's doing.
    expect(await lastChange(outlier).innerText()).toBe("Reset to the defaults by Rita Owner, just now");
    expect(await ruleOf("conversion_rate_outlier")).toMatchObject({ action: "flag", customized: false });
    await page.reload();
    await page.getByRole("heading", { name: "Conversion-rate outlier" }).waitFor();
    expect(await card(page, "Conversion-rate outlier").getByLabel("Action").inputValue()).toBe("flag");
    expect(errors).toEqual([]);
  });

  test("what is saved applies to the next conversion: flag at 60 s instead of hold at 15 s, then a confirmed reject", async () => {
    const page = await openRules(stage.owner);
    const injection = card(page, "Click injection");
    // The default first: a sale seconds after its click is held.
    const before = await saleRightAfterClick();
    expect(await caseOf(before)).toMatchObject({ action: "hold", decisions: [{ rule: "click_injection" }] });

    await injection.getByLabel("Action").selectOption("flag");
    await injection.getByLabel("Shortest believable click-to-conversion time").fill("60");
    await injection.getByRole("button", { name: "Save Click injection" }).click();
    await toast(page, "Click injection saved: Action: hold for review → flag for review").waitFor();
    const flagged = await saleRightAfterClick();
    expect(await caseOf(flagged)).toMatchObject({
      action: "flag",
      decisions: [{ rule: "click_injection", action: "flag", evidence: { minSeconds: 60 } }],
    });

    // Reject warns where it is chosen, and saving it takes a confirmation.
    await injection.getByLabel("Action").selectOption("reject");
    await injection.getByText("Reject is final.").waitFor();
    await shot(page, "fraud-rules-reject-warning", false);
    await injection.getByRole("button", { name: "Save Click injection" }).click();
    const confirm = page.getByRole("dialog", { name: "Reject what Click injection catches?" });
    await confirm.getByText("the ledger never un-rejects them").waitFor();
    await confirm.getByRole("button", { name: "Save with reject" }).click();
    await toast(page, "Action: flag for review → reject").waitFor();
    const rejected = await saleRightAfterClick();
    expect(await caseOf(rejected)).toMatchObject({ action: "reject", status: "rejected" });
    expect(errors).toEqual([]);
  });

  test("on a phone, with the keyboard: a rule switched off and saved; every control has its label", async () => {
    const context = await stage.browser.newContext({ baseURL: stage.server.baseUrl, viewport: phone });
    await callApi(context, "POST", "/v1/auth/login", { email: owner.email, password: owner.password });
    const page = await openRules(context);
    await shot(page, "fraud-rules-phone");
    // Nothing wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(phone.width);
    // Every input and select is named by a label.
    const unnamed = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLInputElement | HTMLSelectElement>("form[data-rule] :is(input, select)")]
        .filter((el) => el.labels?.length === 0 && !el.getAttribute("aria-labelledby"))
        .map((el) => el.outerHTML),
    );
    expect(unnamed).toEqual([]);

    const disposable = card(page, "Disposable email");
    const onOff = disposable.getByRole("switch", { name: "Disposable email" });
    await onOff.focus();
    await page.keyboard.press("Space");
    expect(await onOff.isChecked()).toBe(false);
    await disposable.getByText("Off: this rule decides nothing for this program.").waitFor();
    // Tab on to the card's Save button and press Enter.
    const save = disposable.getByRole("button", { name: "Save Disposable email" });
    for (let i = 0; i < 6 && !(await save.evaluate((el) => el === document.activeElement)); i++) {
      await page.keyboard.press("Tab");
    }
    expect(await save.evaluate((el) => el === document.activeElement)).toBe(true);
    await shot(page, "fraud-rules-phone-unsaved", false);
    await page.keyboard.press("Enter");
    await toast(page, "Disposable email saved: Turned off.").waitFor();
    // The focus stays on the card's Save button, ready for the next change.
    expect(await save.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await ruleOf("disposable_email")).toMatchObject({ enabled: false });
    await disposable.getByText("Off", { exact: true }).first().waitFor();
    await context.close();
    expect(errors).toEqual([]);
  });

  test("finance sees the rules, and who changed them, but cannot change them", async () => {
    // A change through the API, by a key that may make it: named by the key's name.
    const { secret } = await callApi<{ secret: string }>(stage.owner, "POST", "/v1/api-keys", {
      name: "Rules robot",
      scopes: ["fraud:write"],
    });
    const byKey = await fetch(`${stage.server.baseUrl}/v1/programs/${programId}/fraud-rules/velocity`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
      body: JSON.stringify({ thresholds: { maxConversions: 5 } }),
    });
    expect(byKey.status).toBe(200);
    const context = await stage.browser.newContext({ baseURL: stage.server.baseUrl, viewport: desktop });
    await callApi(context, "POST", "/v1/auth/login", { email: finance.email, password: finance.password });
    const page = await openRules(context);
    await page.getByText("You can see these rules; owners and managers change them.").waitFor();
    expect(await lastChange(card(page, "IP/device velocity")).innerText()).toBe(
      "Changed by API key Rules robot, just now",
    );
    expect(await lastChange(card(page, "Self-referral")).innerText()).toBe("Default, never changed");
    const controls: Locator = page.locator("form[data-rule] :is(input, select)");
    const count = await controls.count();
    expect(count).toBeGreaterThan(20);
    for (let i = 0; i < count; i++) expect(await controls.nth(i).isDisabled()).toBe(true);
    expect(await page.getByRole("button", { name: /^Save / }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "Reset to defaults" }).count()).toBe(0);
    await shot(page, "fraud-rules-read-only", false);
    await context.close();
    expect(errors).toEqual([]);
  });
});
