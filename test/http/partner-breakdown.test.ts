import { afterAll, beforeAll, expect, test } from "vitest";
import { click, type ProgramSetup, programWithPartners } from "../helpers/program-setup.js";
import { type Agent, createTestApp, type TestApp } from "../helpers/test-app.js";

/**
 * Which of a partner's links and sub-ids bring clicks, leads, sales and revenue: the partner's own in the portal
 * (GET /v1/portal/breakdown), any partner's in the console (GET /v1/stats/breakdown).
 */
let t: TestApp;
let api: Agent;
let setup: ProgramSetup;
let springLinkId: string;
let defaultLinkId: string;

beforeAll(async () => {
  t = await createTestApp({ COUNTRY_HEADER: "cf-ipcountry" });
  const owner = await t.team("owner");
  api = t.agent();
  api.bearer = (await owner.post("/v1/api-keys", { name: "billing", scopes: ["track:write"] })).json().secret;
  setup = await programWithPartners(t, owner, 2);
  const [a, b] = setup.partners as [ProgramSetup["partners"][number], ProgramSetup["partners"][number]];
  const spring = await a.agent.post(`/v1/portal/enrollments/${a.enrollmentId}/links`, {
    slug: "spring",
    destinationUrl: "https://acme.example/spring",
  });
  springLinkId = spring.json().id;
  defaultLinkId = (await a.agent.get("/v1/portal/links"))
    .json()
    .items.find((l: { isDefault: boolean }) => l.isDefault).id;
  await owner.post("/v1/coupons", { enrollmentId: a.enrollmentId, code: "ADA10" });

  // Partner A: two newsletter visitors on its default link, one podcast visitor on the spring link.
  const newsletter1 = await click(t, `${a.slug}?sub1=newsletter`, {}, "10.0.0.1");
  const newsletter2 = await click(t, `${a.slug}?sub1=newsletter`, {}, "10.0.0.2");
  const podcast = await click(t, "spring?sub1=podcast", {}, "10.0.0.3");
  const bClick = await click(t, b.slug, {}, "10.0.0.4");
  t.clock.advance(60_000);
  const sale = (orderId: string, extra: Record<string, unknown>) =>
    api.post("/v1/track/sale", { programId: setup.program.id, orderId, amount: 10_000, currency: "USD", ...extra });
  await sale("o-newsletter", { clickId: newsletter1, customerExternalId: "c1" });
  await api.post("/v1/track/lead", { programId: setup.program.id, customerExternalId: "c2", clickId: newsletter2 });
  await sale("o-podcast", { clickId: podcast, customerExternalId: "c3", amount: 5_000 });
  await api.post("/v1/track/refund", {
    programId: setup.program.id,
    orderId: "o-podcast",
    refundId: "r-podcast",
    amount: 1_000,
  });
  await sale("o-coupon", { couponCode: "ada10", customerExternalId: "c4", amount: 2_000 });
  await sale("o-b", { clickId: bClick, customerExternalId: "c5" });
  // The window ends now, exclusive. Clicks are written in batches: counts are read once they are stored.
  t.clock.advance(1_000);
  await t.app.tracking.writer.drain();
});
afterAll(() => t.close());

const breakdown = (agent: Agent, query = "") => agent.get(`/v1/portal/breakdown${query}`);

/** A USD sale through a click a minute after it, then the clicks stored and the window's end past both. */
async function saleThenStored(programId: string, orderId: string, amount: number, clickId: string) {
  t.clock.advance(60_000);
  const r = await api.post("/v1/track/sale", { programId, orderId, amount, currency: "USD", clickId });
  expect(r.statusCode).toBe(201);
  t.clock.advance(1_000);
  await t.app.tracking.writer.drain();
}

test("per link: each link's clicks and what they earned; a coupon sale has no link", async () => {
  const r = await breakdown(setup.partners[0]!.agent);
  expect(r.statusCode).toBe(200);
  expect(r.json()).toEqual({
    by: "link",
    rows: [
      {
        key: defaultLinkId,
        linkSlug: setup.partners[0]!.slug,
        clicks: 2,
        leads: 1,
        sales: 1,
        revenue: { USD: 10_000 },
      },
      // The refund counts where its sale did.
      { key: springLinkId, linkSlug: "spring", clicks: 1, leads: 0, sales: 1, revenue: { USD: 4_000 } },
      { key: null, linkSlug: null, clicks: 0, leads: 0, sales: 1, revenue: { USD: 2_000 } },
    ],
  });
});

test("the partner team reads any partner's breakdown; an unknown partner is a 404, none at all a 422", async () => {
  const owner = await t.team("owner");
  const [a, b] = setup.partners as [ProgramSetup["partners"][number], ProgramSetup["partners"][number]];
  const mine = (await breakdown(a.agent, "?by=sub1")).json();
  const r = await owner.get(`/v1/stats/breakdown?partnerId=${a.id}&by=sub1`);
  expect(r.statusCode).toBe(200);
  expect(r.json()).toEqual(mine);
  const byLink = (await owner.get(`/v1/stats/breakdown?partnerId=${b.id}&programId=${setup.program.id}`)).json();
  expect(byLink.rows.map((row: { linkSlug: string }) => row.linkSlug)).toEqual([b.slug]);
  const unknown = await owner.get("/v1/stats/breakdown?partnerId=ptn_nobody");
  expect(unknown.statusCode).toBe(404);
  const missing = await owner.get("/v1/stats/breakdown");
  expect(missing.statusCode).toBe(422);
  expect(missing.json().errors[0].field).toBe("querystring:/partnerId");
  // A partner's session is not the team's: the console's route does not know it.
  expect((await a.agent.get(`/v1/stats/breakdown?partnerId=${a.id}`)).statusCode).toBe(401);
});

test("per sub-id: the campaigns the partner tagged its clicks with", async () => {
  const r = await breakdown(setup.partners[0]!.agent, "?by=sub1");
  expect(r.json().rows).toEqual([
    { key: "newsletter", clicks: 2, leads: 1, sales: 1, revenue: { USD: 10_000 } },
    { key: "podcast", clicks: 1, leads: 0, sales: 1, revenue: { USD: 4_000 } },
    { key: null, clicks: 0, leads: 0, sales: 1, revenue: { USD: 2_000 } },
  ]);
  expect((await breakdown(setup.partners[0]!.agent, "?by=sub2")).json().rows).toEqual([
    { key: null, clicks: 3, leads: 1, sales: 3, revenue: { USD: 16_000 } },
  ]);
});

test("a partner sees only its own; a window before the clicks is empty; bad input is named", async () => {
  const b = await breakdown(setup.partners[1]!.agent, `?programId=${setup.program.id}`);
  expect(b.json().rows).toEqual([
    {
      key: (await setup.partners[1]!.agent.get("/v1/portal/links")).json().items[0].id,
      linkSlug: setup.partners[1]!.slug,
      clicks: 1,
      leads: 0,
      sales: 1,
      revenue: { USD: 10_000 },
    },
  ]);
  const before = new Date(t.clock.now().getTime() - 86_400_000).toISOString();
  expect((await breakdown(setup.partners[0]!.agent, `?to=${before}`)).json().rows).toEqual([]);
  const bad = await breakdown(setup.partners[0]!.agent, "?by=weather");
  expect(bad.statusCode).toBe(422);
  expect(bad.json().errors[0].field).toBe("querystring:/by");
});

test("a sale split between partners counts for each partner's own click, with its own share", async () => {
  const owner = await t.team("owner");
  const split = await programWithPartners(t, owner, 2, { attributionModel: "linear" });
  const [c, d] = split.partners as [ProgramSetup["partners"][number], ProgramSetup["partners"][number]];
  const cClick = await click(t, `${c.slug}?sub1=review`, {}, "10.0.1.1");
  t.clock.advance(60_000);
  const dClick = await click(t, `${d.slug}?sub1=video`, {}, "10.0.1.1");
  t.clock.advance(60_000);
  const sale = await api.post("/v1/track/sale", {
    programId: split.program.id,
    orderId: "o-split",
    amount: 10_001,
    currency: "USD",
    touchpoints: [cClick, dClick],
  });
  expect(
    sale
      .json()
      .credits.map((x: { amount: number }) => x.amount)
      .sort(),
  ).toEqual([5_000, 5_001]);
  t.clock.advance(1_000);
  await t.app.tracking.writer.drain();
  const shareOf = (p: typeof c) => sale.json().credits.find((x: { partnerId: string }) => x.partnerId === p.id).amount;
  for (const [p, tag] of [
    [c, "review"],
    [d, "video"],
  ] as const) {
    const rows = (await breakdown(p.agent, `?by=sub1&programId=${split.program.id}`)).json().rows;
    expect(rows).toEqual([{ key: tag, clicks: 1, leads: 0, sales: 1, revenue: { USD: shareOf(p) } }]);
  }
});

test("per landing page: the page each deep link landed on, whatever its query; a sale counts where its click landed", async () => {
  const owner = await t.team("owner");
  const pages = await programWithPartners(t, owner, 1);
  const p = pages.partners[0]!;
  const pricing = await click(t, `${p.slug}?url=${encodeURIComponent("/pricing?plan=team")}`, {}, "10.0.2.1");
  await click(t, `${p.slug}?url=${encodeURIComponent("https://acme.example/pricing#faq")}`, {}, "10.0.2.2");
  await click(t, `${p.slug}?url=%2Fblog%2Freview`, {}, "10.0.2.3");
  await click(t, p.slug, {}, "10.0.2.4");
  await saleThenStored(pages.program.id, "o-page", 7_000, pricing);
  const rows = (await breakdown(p.agent, `?by=page&programId=${pages.program.id}`)).json().rows;
  expect(rows).toEqual([
    { key: "https://acme.example/pricing", clicks: 2, leads: 0, sales: 1, revenue: { USD: 7_000 } },
    { key: "https://acme.example/blog/review", clicks: 1, leads: 0, sales: 0, revenue: {} },
    { key: null, clicks: 1, leads: 0, sales: 0, revenue: {} },
  ]);
});

test("per country, device, browser, OS and referring site: where the partner's visitors come from and what they bought", async () => {
  const owner = await t.team("owner");
  const where = await programWithPartners(t, owner, 1);
  const p = where.partners[0]!;
  const iphone =
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1";
  const german = await click(
    t,
    p.slug,
    { "cf-ipcountry": "de", referer: "https://www.News.example:8443/story?reader=ada@example.com" },
    "10.0.3.1",
  );
  await click(t, p.slug, { "cf-ipcountry": "DE", referer: "https://news.example/other" }, "10.0.3.2");
  await click(t, p.slug, { "cf-ipcountry": "FR", "user-agent": iphone }, "10.0.3.3");
  await saleThenStored(where.program.id, "o-where", 3_000, german);
  const rowsBy = async (by: string) =>
    (await breakdown(p.agent, `?by=${by}&programId=${where.program.id}`)).json().rows;
  expect(await rowsBy("country")).toEqual([
    { key: "DE", clicks: 2, leads: 0, sales: 1, revenue: { USD: 3_000 } },
    { key: "FR", clicks: 1, leads: 0, sales: 0, revenue: {} },
  ]);
  expect(await rowsBy("referrer")).toEqual([
    { key: "news.example", clicks: 2, leads: 0, sales: 1, revenue: { USD: 3_000 } },
    { key: null, clicks: 1, leads: 0, sales: 0, revenue: {} },
  ]);
  expect(await rowsBy("device")).toEqual([
    { key: "desktop", clicks: 2, leads: 0, sales: 1, revenue: { USD: 3_000 } },
    { key: "mobile", clicks: 1, leads: 0, sales: 0, revenue: {} },
  ]);
  expect(await rowsBy("browser")).toEqual([
    { key: "Chrome", clicks: 2, leads: 0, sales: 1, revenue: { USD: 3_000 } },
    { key: "Mobile Safari", clicks: 1, leads: 0, sales: 0, revenue: {} },
  ]);
  expect(await rowsBy("os")).toEqual([
    expect.objectContaining({ clicks: 2, sales: 1 }),
    { key: "iOS", clicks: 1, leads: 0, sales: 0, revenue: {} },
  ]);
});

test("per coupon code: the partner's own codes given at checkout; never another partner's code", async () => {
  expect((await breakdown(setup.partners[0]!.agent, `?by=coupon&programId=${setup.program.id}`)).json().rows).toEqual([
    { key: null, clicks: 3, leads: 1, sales: 2, revenue: { USD: 14_000 } },
    { key: "ADA10", clicks: 0, leads: 0, sales: 1, revenue: { USD: 2_000 } },
  ]);
  // The click wins here: B is credited for a sale made with A's code, and does not learn that code.
  const owner = await t.team("owner");
  const clickWins = await programWithPartners(t, owner, 2, { couponPrecedence: "cookie_over_coupon" });
  const [a, b] = clickWins.partners as [ProgramSetup["partners"][number], ProgramSetup["partners"][number]];
  await owner.post("/v1/coupons", { enrollmentId: a.enrollmentId, code: "ANNA5" });
  const bClick = await click(t, b.slug, {}, "10.0.4.1");
  t.clock.advance(60_000);
  const sale = await api.post("/v1/track/sale", {
    programId: clickWins.program.id,
    orderId: "o-click-wins",
    amount: 5_000,
    currency: "USD",
    clickId: bClick,
    couponCode: "anna5",
  });
  expect(sale.json().credits.map((c: { partnerId: string }) => c.partnerId)).toEqual([b.id]);
  t.clock.advance(1_000);
  await t.app.tracking.writer.drain();
  expect((await breakdown(b.agent, `?by=coupon&programId=${clickWins.program.id}`)).json().rows).toEqual([
    { key: null, clicks: 1, leads: 0, sales: 1, revenue: { USD: 5_000 } },
  ]);
  expect((await breakdown(a.agent, `?by=coupon&programId=${clickWins.program.id}`)).json().rows).toEqual([]);
});
