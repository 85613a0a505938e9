import { afterAll, beforeAll, expect, test } from "vitest";
import { click, type ProgramSetup, programWithPartners } from "../helpers/program-setup.js";
import { type Agent, createTestApp, type TestApp } from "../helpers/test-app.js";

/**
 * A program's partners ranked by what they brought (GET /v1/stats/partners): the leaderboard under the console's
 * program performance chart.
 */
let t: TestApp;
let owner: Agent;
let api: Agent;
let setup: ProgramSetup;
let other: ProgramSetup;

beforeAll(async () => {
  t = await createTestApp();
  owner = await t.team("owner");
  api = t.agent();
  api.bearer = (await owner.post("/v1/api-keys", { name: "billing", scopes: ["track:write"] })).json().secret;
  // Linear: a sale with two partners' clicks is split between them.
  setup = await programWithPartners(t, owner, 4, { attributionModel: "linear" });
  other = await programWithPartners(t, owner, 1);
  type Partner = ProgramSetup["partners"][number];
  const [a, b, c] = setup.partners as [Partner, Partner, Partner];
  const aClick = await click(t, a.slug, {}, "10.0.0.1");
  await click(t, a.slug, {}, "10.0.0.2");
  const bClick = await click(t, b.slug, {}, "10.0.0.3");
  const bSecond = await click(t, b.slug, {}, "10.0.0.4");
  await click(t, b.slug, {}, "10.0.0.5");
  const cClick = await click(t, c.slug, {}, "10.0.0.6");
  const elsewhere = await click(t, other.partners[0]!.slug, {}, "10.0.0.7");
  t.clock.advance(60_000);
  const programId = setup.program.id;
  const sale = (orderId: string, extra: Record<string, unknown>) =>
    api.post("/v1/track/sale", { programId, orderId, amount: 10_000, currency: "USD", ...extra });
  // a: one sale of $100, $40 of it refunded; b: a lead and a sale of $50; a and b share a $30 sale; c: a lead.
  await sale("o-a", { clickId: aClick, customerExternalId: "c1" });
  await api.post("/v1/track/refund", { programId, orderId: "o-a", refundId: "r-a", amount: 4_000 });
  await api.post("/v1/track/lead", { programId, customerExternalId: "c2", clickId: bClick });
  await sale("o-b", { clickId: bSecond, customerExternalId: "c3", amount: 5_000 });
  await sale("o-ab", { touchpoints: [aClick, bClick], customerExternalId: "c4", amount: 3_000 });
  await api.post("/v1/track/lead", { programId, customerExternalId: "c5", clickId: cClick });
  // Another program's sale is not this program's.
  await api.post("/v1/track/sale", {
    programId: other.program.id,
    orderId: "o-x",
    clickId: elsewhere,
    amount: 90_000,
    currency: "USD",
  });
  t.clock.advance(1_000);
  await t.app.tracking.writer.drain();
});
afterAll(() => t.close());

const ranking = (query = "") => owner.get(`/v1/stats/partners?programId=${setup.program.id}${query}`);

test("each partner with a click or a credit: its clicks, leads, sales and revenue share net of refunds, best first", async () => {
  const [a, b, c, quiet] = setup.partners;
  const r = await ranking();
  expect(r.statusCode).toBe(200);
  const name = async (partnerId: string) => (await owner.get(`/v1/partners/${partnerId}`)).json().name;
  expect(r.json()).toEqual({
    active: 3,
    rows: [
      // $100 − $40 + half of $30 = $75, ahead of b's $50 + $15 = $65 though b has more clicks and sales.
      { partnerId: a!.id, partnerName: await name(a!.id), clicks: 2, leads: 0, sales: 2, revenue: { USD: 7_500 } },
      { partnerId: b!.id, partnerName: await name(b!.id), clicks: 3, leads: 1, sales: 2, revenue: { USD: 6_500 } },
      { partnerId: c!.id, partnerName: await name(c!.id), clicks: 1, leads: 1, sales: 0, revenue: {} },
    ],
  });
  // The partner without a click or a credit has no row.
  expect(r.json().rows.map((row: { partnerId: string }) => row.partnerId)).not.toContain(quiet!.id);
  // A window before any of it: nobody.
  const before = new Date(t.clock.now().getTime() - 86_400_000).toISOString();
  expect((await ranking(`&to=${before}`)).json()).toEqual({ active: 0, rows: [] });
});

test("bad input is named; an unknown program is a 404; partners and keys without partners:read are refused", async () => {
  const backwards = await ranking(`&from=${t.clock.now().toISOString()}&to=2020-01-01T00:00:00Z`);
  expect(backwards.statusCode).toBe(422);
  expect(backwards.json().errors[0].field).toBe("querystring:/to");
  expect((await owner.get("/v1/stats/partners")).json().errors[0].field).toBe("querystring:/programId");
  expect((await ranking("&from=yesterday")).json().errors[0].field).toBe("querystring:/from");
  expect((await owner.get("/v1/stats/partners?programId=prg_nothing")).statusCode).toBe(404);
  const asPartner = await setup.partners[0]!.agent.get(`/v1/stats/partners?programId=${setup.program.id}`);
  expect(asPartner.statusCode).toBe(401);
  expect((await api.get(`/v1/stats/partners?programId=${setup.program.id}`)).statusCode).toBe(403);
});
