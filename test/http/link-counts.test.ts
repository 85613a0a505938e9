import { afterAll, beforeAll, expect, test } from "vitest";
import { click, type ProgramSetup, programWithPartners } from "../helpers/program-setup.js";
import { type Agent, createTestApp, type TestApp } from "../helpers/test-app.js";

/**
 * The figures beside each link of the console's program links list (GET /v1/stats/links): a page of several
 * partners' links, counted as the partner breakdown counts them.
 */
let t: TestApp;
let owner: Agent;
let setup: ProgramSetup;
let other: ProgramSetup;
const ids = { aDefault: "", spring: "", quiet: "", bDefault: "", elsewhere: "" };

beforeAll(async () => {
  t = await createTestApp();
  owner = await t.team("owner");
  const api = t.agent();
  api.bearer = (await owner.post("/v1/api-keys", { name: "billing", scopes: ["track:write"] })).json().secret;
  setup = await programWithPartners(t, owner, 2);
  other = await programWithPartners(t, owner, 1);
  const [a, b] = setup.partners as [ProgramSetup["partners"][number], ProgramSetup["partners"][number]];
  const custom = (slug: string) =>
    a.agent.post(`/v1/portal/enrollments/${a.enrollmentId}/links`, {
      slug,
      destinationUrl: `https://acme.example/${slug}`,
    });
  ids.spring = (await custom("spring")).json().id;
  ids.quiet = (await custom("quiet")).json().id;
  const defaultOf = async (agent: Agent) =>
    (await agent.get("/v1/portal/links")).json().items.find((l: { isDefault: boolean }) => l.isDefault).id;
  ids.aDefault = await defaultOf(a.agent);
  ids.bDefault = await defaultOf(b.agent);
  ids.elsewhere = await defaultOf(other.partners[0]!.agent);

  const aClick = await click(t, a.slug, {}, "10.0.0.1");
  await click(t, a.slug, {}, "10.0.0.2");
  const springClick = await click(t, "spring", {}, "10.0.0.3");
  const bClick = await click(t, b.slug, {}, "10.0.0.4");
  await click(t, other.partners[0]!.slug, {}, "10.0.0.5");
  t.clock.advance(60_000);
  const sale = (orderId: string, extra: Record<string, unknown>) =>
    api.post("/v1/track/sale", { programId: setup.program.id, orderId, amount: 10_000, currency: "USD", ...extra });
  await sale("o-a", { clickId: aClick, customerExternalId: "c1" });
  await sale("o-spring", { clickId: springClick, customerExternalId: "c2", amount: 5_000 });
  await api.post("/v1/track/refund", {
    programId: setup.program.id,
    orderId: "o-spring",
    refundId: "r-spring",
    amount: 1_000,
  });
  await api.post("/v1/track/lead", { programId: setup.program.id, customerExternalId: "c3", clickId: bClick });
  t.clock.advance(1_000);
  await t.app.tracking.writer.drain();
});
afterAll(() => t.close());

const countsOf = (linkIds: string[], extra = "") =>
  owner.get(`/v1/stats/links?programId=${setup.program.id}&linkIds=${linkIds.join(",")}${extra}`);

test("each link of a page, whoever's, with its clicks, leads, sales and revenue; a quiet link has zeros", async () => {
  const r = await countsOf([ids.bDefault, ids.aDefault, ids.spring, ids.quiet]);
  expect(r.statusCode).toBe(200);
  expect(r.json()).toEqual({
    rows: [
      { linkId: ids.bDefault, clicks: 1, leads: 1, sales: 0, revenue: {} },
      { linkId: ids.aDefault, clicks: 2, leads: 0, sales: 1, revenue: { USD: 10_000 } },
      // The refund counts where its sale did.
      { linkId: ids.spring, clicks: 1, leads: 0, sales: 1, revenue: { USD: 4_000 } },
      { linkId: ids.quiet, clicks: 0, leads: 0, sales: 0, revenue: {} },
    ],
  });
});

test("the same figures as the partner's own breakdown of its links", async () => {
  const a = setup.partners[0]!;
  const breakdown = (await a.agent.get(`/v1/portal/breakdown?programId=${setup.program.id}`)).json().rows;
  const counts = (await countsOf([ids.aDefault, ids.spring])).json().rows;
  for (const row of counts) {
    const { key: _key, linkSlug: _slug, ...figures } = breakdown.find((b: { key: string }) => b.key === row.linkId);
    expect({ linkId: row.linkId, ...figures }).toEqual(row);
  }
});

test("another program's links and unknown ids have no row; a window before the clicks has zeros", async () => {
  const r = await countsOf([ids.elsewhere, "lnk_0000nothing", ids.aDefault]);
  expect(r.json().rows.map((row: { linkId: string }) => row.linkId)).toEqual([ids.aDefault]);
  const before = new Date(t.clock.now().getTime() - 86_400_000).toISOString();
  expect((await countsOf([ids.aDefault], `&to=${before}`)).json().rows).toEqual([
    { linkId: ids.aDefault, clicks: 0, leads: 0, sales: 0, revenue: {} },
  ]);
});

test("bad input is named: the link ids, the window", async () => {
  for (const linkIds of ["", "nope", `${ids.aDefault},`, Array(101).fill(ids.aDefault).join(",")]) {
    const r = await owner.get(`/v1/stats/links?programId=${setup.program.id}&linkIds=${linkIds}`);
    expect(r.statusCode, linkIds).toBe(422);
    expect(r.json().errors[0].field).toBe("querystring:/linkIds");
  }
  const missing = await owner.get(`/v1/stats/links?programId=${setup.program.id}`);
  expect(missing.json().errors[0].field).toBe("querystring:/linkIds");
  const now = t.clock.now().toISOString();
  const backwards = await countsOf([ids.aDefault], `&from=${now}&to=${now}`);
  expect(backwards.statusCode).toBe(422);
  expect(backwards.json().errors[0].field).toBe("querystring:/to");
});
