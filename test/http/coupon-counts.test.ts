import { afterAll, beforeAll, expect, test } from "vitest";
import { click, type ProgramSetup, programWithPartners } from "../helpers/program-setup.js";
import { type Agent, createTestApp, type TestApp } from "../helpers/test-app.js";

/** How each coupon code of a program was used (GET /v1/stats/coupons): the console's coupons list shows it. */
let t: TestApp;
let owner: Agent;
let api: Agent;
let setup: ProgramSetup;
const coupons: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  owner = await t.team("owner");
  api = t.agent();
  api.bearer = (await owner.post("/v1/api-keys", { name: "billing", scopes: ["track:write"] })).json().secret;
  setup = await programWithPartners(t, owner, 2);
  for (const [partner, code] of [
    [setup.partners[0]!, "ADA10"],
    [setup.partners[1]!, "BOB5"],
  ] as const)
    coupons[code] = (await owner.post("/v1/coupons", { enrollmentId: partner.enrollmentId, code })).json().id;
  const programId = setup.program.id;
  const sale = (orderId: string, extra: Record<string, unknown>) =>
    api.post("/v1/track/sale", { programId, orderId, amount: 10_000, currency: "USD", ...extra });
  // Written in any case; refunded in part; a lead; a sale without a code, and one with a code nobody holds.
  await sale("o-1", { couponCode: "ada10", customerExternalId: "c1" });
  await api.post("/v1/track/refund", { programId, orderId: "o-1", refundId: "r-1", amount: 4_000 });
  await sale("o-2", { couponCode: "ADA10", customerExternalId: "c2", amount: 5_000 });
  await api.post("/v1/track/lead", { programId, couponCode: "Ada10", customerExternalId: "c3" });
  await sale("o-3", { clickId: await click(t, setup.partners[1]!.slug, {}, "10.0.0.9"), customerExternalId: "c4" });
  await sale("o-4", { couponCode: "NOPE", customerExternalId: "c5" });
  t.clock.advance(1_000);
});
afterAll(() => t.close());

const counts = (query = "") => owner.get(`/v1/stats/coupons?programId=${setup.program.id}${query}`);

test("each code: the leads and sales that gave it, in any case, and their revenue net of refunds; unused codes at zero", async () => {
  const r = await counts();
  expect(r.statusCode).toBe(200);
  expect(r.json().rows).toEqual([
    { couponId: coupons.ADA10, leads: 1, sales: 2, revenue: { USD: 11_000 } },
    { couponId: coupons.BOB5, leads: 0, sales: 0, revenue: {} },
  ]);
  // A window before them: nothing.
  const before = new Date(t.clock.now().getTime() - 86_400_000).toISOString();
  expect((await counts(`&to=${before}`)).json().rows.map((row: { sales: number }) => row.sales)).toEqual([0, 0]);
});

test("bad input is named; an unknown program is a 404; partners and keys without partners:read are refused", async () => {
  const backwards = await counts(`&from=${t.clock.now().toISOString()}&to=2020-01-01T00:00:00Z`);
  expect(backwards.statusCode).toBe(422);
  expect(backwards.json().errors[0].field).toBe("querystring:/to");
  expect((await owner.get("/v1/stats/coupons")).json().errors[0].field).toBe("querystring:/programId");
  expect((await owner.get("/v1/stats/coupons?programId=prg_nothing")).statusCode).toBe(404);
  expect((await setup.partners[0]!.agent.get(`/v1/stats/coupons?programId=${setup.program.id}`)).statusCode).toBe(401);
  expect((await api.get(`/v1/stats/coupons?programId=${setup.program.id}`)).statusCode).toBe(403);
});
