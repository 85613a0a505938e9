import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { clicks } from "../../src/db/schema/index.js";
import { newId } from "../../src/lib/ids.js";
import { click, type ProgramSetup, programWithPartners } from "../helpers/program-setup.js";
import { type Agent, apiKeyAgent, createTestApp, type TestApp } from "../helpers/test-app.js";

/** Click rows are named by the redirect's signed ids (`clk_` and a ULID of the click time); any ULID will do. */
const clickRowId = (at: Date) => newId("link", at).replace(/^lnk_/, "clk_");

let t: TestApp;
let owner: Agent;
let api: Agent;
let setup: ProgramSetup;
let names: string[];

const csvOf = (body: string) => parse(body, { columns: true, bom: true }) as Record<string, string>[];

beforeAll(async () => {
  // A click through the redirect is stored before its 302, so the export lists it at once.
  t = await createTestApp({ CLICK_DURABILITY: "sync" });
  owner = await t.team("owner");
  api = await apiKeyAgent(t, owner, ["track:write", "partners:read"]);
  setup = await programWithPartners(t, owner, 2);
  names = await Promise.all(
    setup.partners.map(async (p) => (await owner.get(`/v1/partners/${p.id}`)).json().name as string),
  );
});
afterAll(() => t.close());

describe("clicks export", () => {
  test("every click of the filter as CSV, newest first, across pages, with names and inert partner text", async () => {
    const [first, second] = setup.partners;
    const links = (await first!.agent.get("/v1/portal/links")).json().items as { id: string; slug: string }[];
    // 2,150 clicks for the first partner: the export reads them in three pages of 1,000.
    const base = Date.parse("2026-02-01T00:00:00Z");
    const rows = Array.from({ length: 2_150 }, (_, i) => {
      const at = new Date(base + i * 60_000);
      return {
        id: clickRowId(at),
        programId: setup.program.id,
        partnerId: first!.id,
        linkId: links[0]!.id,
        at,
        source: "redirect" as const,
        country: "DE",
        referrer: i === 7 ? "+cmd|' /C calc'!A0" : null,
        sub1: i === 7 ? '=HYPERLINK("https://evil.example","click me")' : `post-${i % 3}`,
      };
    });
    await t.database.db.insert(clicks).values(rows);
    // Through a search ad pointing straight at the link: the network's click id came with the visit.
    await click(t, `${second!.slug}?gclid=Cj0KCQiA&url=%2Fpricing%3Fplan%3Dteam`);

    const all = await owner.get(`/v1/clicks/export?programId=${setup.program.id}`);
    expect(all.statusCode, all.body).toBe(200);
    expect(all.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(all.headers["content-disposition"]).toBe('attachment; filename="clicks-2026-03-02.csv"');
    const exported = csvOf(all.body);
    expect(exported).toHaveLength(2_151);
    expect(Object.keys(exported[0]!)).toEqual([
      "clicked_at",
      "click_id",
      "program_id",
      "partner_id",
      "partner_name",
      "link_id",
      "link",
      "source",
      "country",
      "device",
      "browser",
      "os",
      "referrer",
      "sub1",
      "sub2",
      "sub3",
      "sub4",
      "sub5",
      "ad_network",
      "ad_click_param",
      "landing_url",
    ]);
    // Newest first: the real click through the redirect (at the test clock's time), then the seeded ones backwards.
    expect(exported[0]).toMatchObject({ partner_id: second!.id, partner_name: names[1], link: `/r/${second!.slug}` });
    expect(exported[0]!.browser).toBe("Chrome");
    // A deep link: the page it landed on.
    const landed = "https://acme.example/pricing?plan=team";
    expect(exported[0]).toMatchObject({ ad_network: "google_ads", ad_click_param: "gclid", landing_url: landed });
    expect(exported[1]).toMatchObject({ ad_network: "", ad_click_param: "", landing_url: "" });
    const listed = (await owner.get(`/v1/clicks?partnerId=${second!.id}`)).json().items;
    expect(listed).toMatchObject([{ adNetwork: "google_ads", adClickParam: "gclid", landingUrl: landed }]);
    const seeded = exported.slice(1);
    expect(seeded.map((r) => r.click_id)).toEqual(rows.map((r) => r.id).reverse());
    expect(new Set(seeded.map((r) => r.partner_name))).toEqual(new Set([names[0]]));
    const hostile = seeded.find((r) => r.click_id === rows[7]!.id)!;
    expect(hostile.sub1).toBe(`'${rows[7]!.sub1}`);
    expect(hostile.referrer).toBe(`'${rows[7]!.referrer}`);
    expect(hostile.clicked_at).toBe(rows[7]!.at.toISOString());

    // The list's filters: a partner, and a time range (from inclusive, before exclusive).
    const mine = csvOf((await owner.get(`/v1/clicks/export?partnerId=${second!.id}`)).body);
    expect(mine.map((r) => r.partner_id)).toEqual([second!.id]);
    const from = rows[100]!.at.toISOString();
    const before = rows[110]!.at.toISOString();
    const range = csvOf(
      (await api.get(`/v1/clicks/export?programId=${setup.program.id}&from=${from}&before=${before}`)).body,
    );
    expect(range.map((r) => r.click_id)).toEqual(
      rows
        .slice(100, 110)
        .map((r) => r.id)
        .reverse(),
    );

    expect(all.body.startsWith("\uFEFF")).toBe(true);
    // HEAD says what a GET would send, without reading the export.
    const head = await t.app.inject({
      method: "HEAD",
      url: `/v1/clicks/export?programId=${setup.program.id}`,
      headers: { authorization: `Bearer ${api.bearer}` },
    });
    expect(head.statusCode).toBe(200);
    expect(head.headers["content-disposition"]).toBe('attachment; filename="clicks-2026-03-02.csv"');
    expect(head.body).toBe("");
    // All programs' clicks together are not in any time order the database keeps.
    const unfiltered = await owner.get("/v1/clicks/export");
    expect(unfiltered.statusCode).toBe(422);
    expect(unfiltered.json().errors.map((e: { field: string }) => e.field)).toEqual(["querystring:/programId"]);

    // A bad filter is a problem, not a CSV.
    const bad = await owner.get(`/v1/clicks/export?programId=${setup.program.id}&from=yesterday`);
    expect(bad.statusCode).toBe(422);
    expect(bad.headers["content-type"]).toContain("application/problem+json");
    expect(bad.json().errors.map((e: { field: string }) => e.field)).toEqual(["querystring:/from"]);
  });
});

describe("conversions export", () => {
  test("leads, sales and refunds with decimal amounts, credited partners and their shares", async () => {
    const [first] = setup.partners;
    const programId = setup.program.id;
    const clickId = await click(t, first!.slug);
    const lead = await api.post("/v1/track/lead", { programId, customerExternalId: "cus_1", clickId });
    expect(lead.statusCode, lead.body).toBe(201);
    const sale = await api.post("/v1/track/sale", {
      programId,
      orderId: "order-1001",
      amount: 12_900,
      currency: "USD",
      customerExternalId: "cus_1",
    });
    expect(sale.statusCode, sale.body).toBe(201);
    const refund = await api.post("/v1/track/refund", {
      programId,
      orderId: "order-1001",
      refundId: "refund-1",
      amount: 2_950,
    });
    expect(refund.statusCode, refund.body).toBe(201);
    const stray = await api.post("/v1/track/sale", {
      programId,
      orderId: "=1+1",
      amount: 500,
      currency: "JPY",
      customerExternalId: "-stranger",
    });
    expect(stray.statusCode, stray.body).toBe(201);

    const r = await owner.get(`/v1/conversions/export?programId=${programId}`);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers["content-disposition"]).toBe('attachment; filename="conversions-2026-03-02.csv"');
    const rows = csvOf(r.body);
    expect(rows.map((row) => [row.kind, row.reference])).toEqual([
      ["sale", "'=1+1"],
      ["refund", "refund-1"],
      ["sale", "order-1001"],
      ["lead", expect.any(String)],
    ]);
    const [strayRow, refundRow, saleRow, leadRow] = rows;
    expect(saleRow).toMatchObject({
      conversion_id: sale.json().id,
      customer_external_id: "cus_1",
      amount: "129.00",
      currency: "USD",
      refunded_amount: "29.50",
      attributed: "true",
      source: "partner_sourced",
      partner_ids: first!.id,
      partners: `${names[0]} (100%)`,
    });
    expect(refundRow).toMatchObject({ amount: "-29.50", sale_id: sale.json().id, refunded_amount: "" });
    // Summing a currency's amounts gives its net revenue: 129.00 sold, 29.50 refunded.
    const usdCents = rows
      .filter((row) => row.currency === "USD")
      .reduce((sum, row) => sum + Math.round(Number(row.amount) * 100), 0);
    expect(usdCents).toBe(9_950);
    expect(leadRow).toMatchObject({ amount: "", currency: "", event_name: "signup", partners: `${names[0]} (100%)` });
    expect(strayRow).toMatchObject({
      amount: "500",
      currency: "JPY",
      customer_external_id: "'-stranger",
      attributed: "false",
      partners: "",
    });
    expect(strayRow!.summary).not.toBe("");

    const sales = csvOf((await api.get(`/v1/conversions/export?programId=${programId}&kind=sale`)).body);
    expect(sales.map((row) => row.reference)).toEqual(["'=1+1", "order-1001"]);
    const credited = csvOf((await api.get(`/v1/conversions/export?partnerId=${first!.id}&kind=sale`)).body);
    expect(credited.map((row) => row.reference)).toEqual(["order-1001"]);

    // A time range, from inclusive, before exclusive, of a program or a partner.
    const now = t.clock.now().getTime();
    const at = (ms: number) => new Date(ms).toISOString();
    const within = async (filter: string) =>
      csvOf((await api.get(`/v1/conversions/export?${filter}`)).body).map((row) => row.reference);
    expect(await within(`programId=${programId}&from=${at(now)}&before=${at(now + 1)}`)).toHaveLength(4);
    expect(await within(`programId=${programId}&from=${at(now + 1)}`)).toEqual([]);
    expect(await within(`programId=${programId}&before=${at(now)}`)).toEqual([]);
    expect(await within(`partnerId=${first!.id}&kind=sale&from=${at(now)}`)).toEqual(["order-1001"]);
    expect(await within(`partnerId=${first!.id}&before=${at(now)}`)).toEqual([]);
    const listed = await api.get(`/v1/conversions?programId=${programId}&from=${at(now + 1)}`);
    expect(listed.json().items).toEqual([]);
    const everywhere = await api.get(`/v1/conversions/export?from=${at(now)}`);
    expect(everywhere.statusCode).toBe(422);
    expect(everywhere.json().errors.map((e: { field: string }) => e.field)).toEqual(["querystring:/programId"]);
  });
});

describe("commissions export", () => {
  test("ledger entries with signed decimal amounts, statuses, reasons kept inert, and the list's filters", async () => {
    const [, second] = setup.partners;
    const programId = setup.program.id;
    const bonus = await owner.post("/v1/commissions/adjustments", {
      programId,
      partnerId: second!.id,
      amount: 1_234,
      reason: "launch bonus, paid twice",
    });
    expect(bonus.statusCode, bonus.body).toBe(201);
    t.clock.advance(60_000);
    const fee = await owner.post("/v1/commissions/adjustments", {
      programId,
      partnerId: second!.id,
      amount: -500,
      reason: '=HYPERLINK("https://evil.example")',
    });
    expect(fee.statusCode, fee.body).toBe(201);

    const r = await owner.get(`/v1/commissions/export?programId=${programId}&partnerId=${second!.id}&kind=adjustment`);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers["content-disposition"]).toMatch(/^attachment; filename="commissions-\d{4}-\d{2}-\d{2}\.csv"$/);
    const rows = csvOf(r.body);
    expect(rows.map((row) => [row.entry_id, row.amount, row.currency, row.status])).toEqual([
      [fee.json().id, "-5.00", "USD", "approved"],
      [bonus.json().id, "12.34", "USD", "approved"],
    ]);
    expect(rows[0]).toMatchObject({ partner_id: second!.id, partner_name: names[1], kind: "adjustment" });
    expect(rows[0]!.status_reason).toBe(`'=HYPERLINK("https://evil.example")`);
    expect(rows[1]!.status_reason).toBe("launch bonus, paid twice");
    expect(rows[1]!.explanation).toContain("manual adjustment");

    // The list's time filter: from inclusive, to exclusive.
    const to = new Date(t.clock.now().getTime()).toISOString();
    const before = csvOf(
      (await owner.get(`/v1/commissions/export?partnerId=${second!.id}&kind=adjustment&to=${to}`)).body,
    );
    expect(before.map((row) => row.entry_id)).toEqual([bonus.json().id]);
    // An API key needs commissions:read for the ledger.
    expect((await api.get(`/v1/commissions/export?programId=${programId}`)).statusCode).toBe(403);

    // The partner downloads its own entries, as the portal shows them: a held entry only says it is under review.
    const held = await owner.post("/v1/commissions/review", {
      action: "hold",
      ids: [bonus.json().id],
      reason: "suspected cookie stuffing",
    });
    expect(held.statusCode, held.body).toBe(200);
    const mine = await second!.agent.get("/v1/portal/earnings/export?kind=adjustment");
    expect(mine.statusCode, mine.body).toBe(200);
    expect(mine.headers["content-disposition"]).toMatch(/filename="earnings-\d{4}-\d{2}-\d{2}\.csv"/);
    const own = csvOf(mine.body);
    expect(own.map((row) => [row.entry_id, row.status, row.status_reason])).toEqual([
      [fee.json().id, "approved", `'=HYPERLINK("https://evil.example")`],
      [bonus.json().id, "held", "on hold — under review"],
    ]);
    expect(mine.body).not.toContain("cookie stuffing");
    // Another partner's download holds none of them, whatever it asks for.
    const other = await setup.partners[0]!.agent.get(`/v1/portal/earnings/export?partnerId=${second!.id}`);
    expect(other.statusCode).toBe(422);
    const others = csvOf((await setup.partners[0]!.agent.get("/v1/portal/earnings/export")).body);
    expect(others.some((row) => row.partner_id === second!.id)).toBe(false);
  });
});
