import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  arrangeShopProgram,
  type BrowserStage,
  callApi,
  createTrackKey,
  openBrowserStage,
  pageRecordingErrors,
  shot,
} from "./browser-kit.js";

const owner = { name: "Ada Owner", email: "ada@intake.test", password: "correct-horse-battery" };
const applicant = { name: "Pia Partner", email: "pia@intake.test", password: "pia-partner-secret-42", company: "Pia" };
const program = { name: "Harbor Goods", slug: "harbor-goods" };
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };
const ORDER = "order-7731";

/**
 * A sale sent with Prefer: respond-async and refused by the worker (its order id was recorded before with another
 * amount): the console shows it above the conversions with its problem and fields, on the program's tab and the
 * Conversions page, and the install page's live status counts it; sent again as it should be, it is gone.
 */
describe.skipIf(!process.env.TRIBUTARY_E2E)("refused async sales in the console", () => {
  let stage: BrowserStage;
  let programId = "";
  let key = "";
  const errors: string[] = [];

  const send = (body: Record<string, unknown>, prefer?: string) =>
    fetch(`${stage.server.baseUrl}/v1/track/sale`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${key}`,
        "content-type": "application/json",
        ...(prefer ? { prefer } : {}),
      },
      body: JSON.stringify({ programId, orderId: ORDER, currency: "USD", customerExternalId: "cus_1", ...body }),
    });

  beforeAll(async () => {
    stage = await openBrowserStage(owner, { contexts: { viewport: DESKTOP, locale: "en-US" } });
    programId = (await arrangeShopProgram(stage, program, applicant)).programId;
    key = await createTrackKey(stage.owner);
  });
  afterAll(() => stage?.close());

  test("the program's conversions show the refused sale with its problem and field, on a desktop and a phone", async () => {
    expect((await send({ amount: 4_900 })).status).toBe(201);
    const accepted = await send({ amount: 5_900 }, "respond-async");
    expect(accepted.status).toBe(202);
    const location = accepted.headers.get("location")!;
    await expect
      .poll(
        async () =>
          (
            await (
              await fetch(`${stage.server.baseUrl}${location}`, {
                headers: { authorization: `Bearer ${key}` },
              })
            ).json()
          ).status,
      )
      .toBe("refused");
    const page = await pageRecordingErrors(stage.owner, errors);
    await page.goto(`/admin/programs/${programId}/conversions`);
    const card = page.getByRole("region", { name: "Async leads and sales not recorded" });
    const refused = card.getByRole("list", { name: "Refused async leads and sales" }).getByRole("listitem").first();
    await refused.locator(".intake-order", { hasText: ORDER }).waitFor();
    await refused.locator(".intake-detail", { hasText: `orderId ${ORDER} was recorded before` }).waitFor();
    await refused.locator("code", { hasText: "/amount" }).waitFor();
    // The conversion recorded at once is listed below, as before.
    await page.getByRole("region", { name: "Conversions" }).getByText(ORDER, { exact: true }).waitFor();
    await shot(page, "async-sales-program-1280");

    await page.setViewportSize(PHONE);
    await refused.locator(".intake-order", { hasText: ORDER }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await shot(page, "async-sales-program-390");
    await page.setViewportSize(DESKTOP);

    // All programs: the program is named.
    await page.goto("/admin/conversions");
    await card.getByText(program.name).waitFor();
    await card.locator(".intake-order", { hasText: ORDER }).waitFor();
    await shot(page, "async-sales-all-1280", false);

    // The install page's live status counts it and points at the list.
    await page.goto(`/admin/programs/${programId}/install`);
    await page.getByText("1 async lead or sale refused in the last 30 days").waitFor();
    expect(errors).toEqual([]);
  });

  test("sent again as recorded, it is no longer refused and the section is gone", async () => {
    expect((await send({ amount: 4_900 }, "respond-async")).status).toBe(202);
    await expect
      .poll(
        async () =>
          (
            await callApi<{ items: unknown[] }>(
              stage.owner,
              "GET",
              `/v1/track/submissions?programId=${programId}&status=refused`,
            )
          ).items.length,
      )
      .toBe(0);
    const page = await pageRecordingErrors(stage.owner, errors);
    await page.goto(`/admin/programs/${programId}/conversions`);
    await page.getByRole("region", { name: "Conversions" }).getByText(ORDER, { exact: true }).waitFor();
    expect(await page.getByRole("region", { name: "Async leads and sales not recorded" }).count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
