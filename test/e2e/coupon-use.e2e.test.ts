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

const owner = { name: "Cleo Owner", email: "cleo@codes.test", password: "correct-horse-battery" };
const partner = { name: "Dan Partner", email: "dan@codes.test", password: "dan-partner-secret-42", company: "Dan Pod" };
const program = { name: "Code Shop", slug: "code-shop" };

// Only the e2e config sets this; a plain `vitest run` that picks the file up skips it.
describe.skipIf(!process.env.TRIBUTARY_E2E)("the console's coupon codes say how each was used", () => {
  let stage: BrowserStage;
  let programId = "";

  beforeAll(async () => {
    stage = await openBrowserStage(owner, { contexts: { viewport: { width: 1280, height: 900 } } });
    const arranged = await arrangeShopProgram(stage, program, partner);
    programId = arranged.programId;
    for (const code of ["DANPOD", "QUIET5"])
      await callApi(stage.owner, "POST", "/v1/coupons", { enrollmentId: arranged.enrollment.id, code });
    const secret = await createTrackKey(stage.owner);
    for (const [orderId, amount] of [
      ["order-1", 4_900],
      ["order-2", 2_000],
    ] as const) {
      const r = await reportToTrack(stage.server, secret, "sale", {
        programId,
        orderId,
        amount,
        currency: "USD",
        couponCode: "danpod",
        customerExternalId: orderId,
      });
      expect(r.status).toBe(201);
    }
  });
  afterAll(() => stage?.close());

  test("sales, leads and revenue of the last 30 days beside each code; an unused code says so", async () => {
    const errors: string[] = [];
    const admin = await pageRecordingErrors(stage.owner, errors);
    await admin.goto(`/admin/programs/${programId}/coupons`);
    const rowOf = (code: string) => admin.getByRole("row").filter({ hasText: code });
    await rowOf("DANPOD").getByText("2 sales · 0 leads · $69.00").waitFor();
    await rowOf("QUIET5").getByText("Not used", { exact: true }).waitFor();
    await shot(admin, "coupon-use");
    expect(errors).toEqual([]);
  });
});
