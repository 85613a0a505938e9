import { readFileSync } from "node:fs";
import { join } from "node:path";
import { brotliDecompressSync, gunzipSync, gzipSync } from "node:zlib";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { clickHours, clicks } from "../../src/db/schema/index.js";
import { rollUpClickHours } from "../../src/domain/stats/click-hours.js";
import { verifyClickId } from "../../src/domain/tracking/click-id.js";
import { newId } from "../../src/lib/ids.js";
import { packageRoot } from "../../src/lib/package-root.js";
import { pageThroughClicks } from "../helpers/click-pages.js";
import { click, programWithPartners } from "../helpers/program-setup.js";
import {
  type Agent,
  applicationBody,
  createTestApp,
  type ProgramJson,
  programBody,
  type TestApp,
} from "../helpers/test-app.js";

/** Click rows are named by the redirect's signed ids (`clk_` and a ULID of the click time); any ULID will do. */
const clickRowId = (at: Date) => newId("link", at).replace(/^lnk_/, "clk_");
/** The ULID of the click row a click id names. */
const verifiedRow = (clickId: string) => {
  const verified = verifyClickId(t.app.tracking.keys, clickId);
  if (!verified.ok) throw new Error(`not a click id: ${verified.reason}`);
  return verified.claims.clickRowId.slice("clk_".length);
};
const CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36";
const SITE = "https://www.acme.example";

let t: TestApp;
let owner: Agent;
let partner: Agent;
let program: ProgramJson & { id: string };
let slug: string;

const snippetClick = (body: unknown, headers: Record<string, string> = { origin: SITE, "user-agent": CHROME }) =>
  t.app.inject({
    method: "POST",
    url: "/v1/track/click",
    headers: { "content-type": "text/plain", ...headers },
    payload: typeof body === "string" ? body : JSON.stringify(body),
  });

beforeAll(async () => {
  t = await createTestApp();
  owner = await t.team("owner");
  program = (await owner.post("/v1/programs", programBody({ applicationQuestions: [], cookieWindowDays: 45 }))).json();
  partner = t.agent();
  const e = (
    await partner.post(
      `/v1/public/programs/${program.slug}/applications`,
      applicationBody(program, "snippet@partner.test"),
    )
  ).json();
  await owner.post(`/v1/enrollments/${e.id}/approve`, {});
  slug = (await partner.get("/v1/portal/links")).json().items[0].slug;
});
afterAll(() => t.close());

describe("site snippet", () => {
  test("/t.js is dependency-free JavaScript under 3 KB gzipped", async () => {
    const r = await t.agent().get("/t.js");
    expect(r.statusCode).toBe(200);
    expect(r.headers["content-type"]).toContain("application/javascript");
    expect(r.body).toContain("Tributary");
    expect(r.body).not.toMatch(/\bimport\b|\brequire\(/);
    expect(gzipSync(r.body).length).toBeLessThan(3 * 1024);
  });

  test("/t.js is served minified, its notice kept", async () => {
    const source = readFileSync(join(packageRoot, "src", "snippet", "t.js"), "utf8");
    const served = (await t.agent().get("/t.js")).body;
    expect(served.length).toBeLessThan(source.length / 2);
    expect(served).not.toContain("// ");
    expect(served).toMatch(/^\/\*! Tributary tracking snippet/);
  });

  test("/t.js is sent compressed to browsers that take it: Brotli first, else gzip", async () => {
    const source = (await t.agent().get("/t.js")).body;
    const asked = async (acceptEncoding: string) => {
      const r = await t.app.inject({ method: "GET", url: "/t.js", headers: { "accept-encoding": acceptEncoding } });
      expect(r.statusCode).toBe(200);
      expect(r.headers.vary).toContain("Accept-Encoding");
      return { encoding: r.headers["content-encoding"], body: r.rawPayload };
    };
    const chrome = await asked("gzip, deflate, br, zstd");
    expect(chrome.encoding).toBe("br");
    expect(brotliDecompressSync(chrome.body).toString("utf8")).toBe(source);
    expect(chrome.body.length).toBeLessThan(3 * 1024);
    const gzipOnly = await asked("gzip, deflate");
    expect(gzipOnly.encoding).toBe("gzip");
    expect(gunzipSync(gzipOnly.body).toString("utf8")).toBe(source);
    expect((await asked("br;q=0, gzip")).encoding).toBe("gzip");
    const neither = await asked("identity");
    expect(neither.encoding).toBeUndefined();
    expect(neither.body.toString("utf8")).toBe(source);
  });

  test("a ?via= click from the program's site is counted and answered with a click id and the window", async () => {
    const before = (await t.database.db.select().from(clicks)).length;
    const r = await snippetClick({
      slug,
      referrer: "https://news.example/post",
      page: `${SITE}/pricing/teams?email=ada%40example.com#plans`,
    });
    expect(r.statusCode).toBe(200);
    expect(r.headers["access-control-allow-origin"]).toBe(SITE);
    expect(r.json()).toMatchObject({ windowDays: 45, clickId: expect.stringMatching(/^[A-Za-z0-9_-]{104}$/) });
    await t.app.tracking.writer.drain();
    const rows = await t.database.db.select().from(clicks);
    expect(rows.length).toBe(before + 1);
    // The page it landed on is kept without its query or fragment (a visitor's email, a token).
    expect(rows.find((c) => c.id === `clk_${verifiedRow(r.json().clickId)}`)).toMatchObject({
      source: "snippet",
      referrer: "https://news.example/post",
      landingUrl: `${SITE}/pricing/teams`,
    });
    // A page of another site than the one that called is not kept.
    for (const page of ["https://evil.example/x", "http://www.acme.example/x", "not a url", 42]) {
      const other = await snippetClick({ slug, page });
      await t.app.tracking.writer.drain();
      const row = (await t.database.db.select().from(clicks)).find(
        (c) => c.id === `clk_${verifiedRow(other.json().clickId)}`,
      );
      expect(row?.landingUrl, String(page)).toBeNull();
    }
    const again = await snippetClick({ slug, current: r.json().clickId });
    expect(again.json().clickId).toBe(r.json().clickId);
  });

  test("a ?via= click keeps the page's sub-ids, as a click through the redirect does", async () => {
    const r = await snippetClick({ slug, sub1: "newsletter", sub2: "hero", sub3: 7, sub9: "ignored" });
    expect(r.statusCode).toBe(200);
    await t.app.tracking.writer.drain();
    const [row] = await t.database.db
      .select()
      .from(clicks)
      .where(eq(clicks.id, `clk_${verifiedRow(r.json().clickId)}`));
    expect(row).toMatchObject({ source: "snippet", sub1: "newsletter", sub2: "hero", sub3: null });
  });

  test("a ?via= click keeps which ad network's click id its page was opened with; an unknown name is none", async () => {
    const rowOf = async (body: Record<string, unknown>) => {
      const r = await snippetClick({ slug, ...body });
      expect(r.statusCode, r.body).toBe(200);
      await t.app.tracking.writer.drain();
      const [row] = await t.database.db
        .select()
        .from(clicks)
        .where(eq(clicks.id, `clk_${verifiedRow(r.json().clickId)}`));
      return row;
    };
    expect(await rowOf({ adClick: "msclkid" })).toMatchObject({ adNetwork: "microsoft_ads", adClickParam: "msclkid" });
    expect(await rowOf({ adClick: "gad_source", sub1: "x" })).toMatchObject({
      adNetwork: "google_ads",
      adClickParam: "gad_source",
      sub1: "x",
    });
    for (const adClick of ["fbclid", "constructor", "Cj0KCQiA", 1, ["gclid"]])
      expect(await rowOf({ adClick })).toMatchObject({ adNetwork: null, adClickParam: null });
  });

  test("a click id arriving from the redirect is confirmed with its window, not counted again; a forged one is refused", async () => {
    const redirect = await t.app.inject({ method: "GET", url: `/r/${slug}`, headers: { "user-agent": CHROME } });
    const clickId = new URL(redirect.headers.location as string).searchParams.get("tb_click")!;
    await t.app.tracking.writer.drain();
    const count = (await t.database.db.select().from(clicks)).length;
    const r = await snippetClick({ clickId });
    expect(r.json()).toEqual({ clickId, windowDays: 45 });
    await t.app.tracking.writer.drain();
    expect((await t.database.db.select().from(clicks)).length).toBe(count);
    const forged = await snippetClick({ clickId: `${clickId.slice(0, -2)}AA` });
    expect(forged.statusCode).toBe(422);
  });

  test("an anonymous click body is small: a browser's longest referrer fits, 16 KiB more is a 413", async () => {
    const fits = await snippetClick({ slug, referrer: `https://news.example/${"x".repeat(4096)}` });
    expect(fits.statusCode).toBe(200);
    const tooBig = await snippetClick({ slug, referrer: "x".repeat(16 * 1024) });
    expect(tooBig.statusCode).toBe(413);
    await t.app.tracking.writer.drain();
  });

  test("other sites, missing origins, bots and bad bodies get no click", async () => {
    const count = (await t.database.db.select().from(clicks)).length;
    const evil = await snippetClick({ slug }, { origin: "https://evil.example", "user-agent": CHROME });
    expect(evil.statusCode).toBe(403);
    expect(evil.headers["access-control-allow-origin"]).toBeUndefined();
    expect((await snippetClick({ slug }, { "user-agent": CHROME })).statusCode).toBe(403);
    // Not an origin a browser sends, though each names the program's host: refused, and never echoed back.
    for (const malformed of [
      `${SITE}/landing`,
      `${SITE}/`,
      "https://user@www.acme.example",
      "https://www.acme.example:443",
      "https://WWW.ACME.EXAMPLE",
      "javascript://www.acme.example",
      `${SITE}, https://evil.example`,
    ]) {
      const refused = await snippetClick({ slug }, { origin: malformed, "user-agent": CHROME });
      expect(refused.statusCode, malformed).toBe(403);
      expect(refused.headers["access-control-allow-origin"], malformed).toBeUndefined();
    }
    expect((await snippetClick({ slug }, { origin: SITE, "user-agent": "curl/8.0" })).json().clickId).toBeNull();
    expect((await snippetClick("{oops")).statusCode).toBe(400);
    expect((await snippetClick({ slug: "../../etc" })).statusCode).toBe(422);
    expect((await snippetClick({ slug: "unknown-slug" })).statusCode).toBe(404);
    await t.app.tracking.writer.drain();
    expect((await t.database.db.select().from(clicks)).length).toBe(count);
  });
});

describe("performance series", () => {
  test("clicks, leads, sales and credited revenue per day; a partner sees only its own", async () => {
    const fresh = await createTestApp();
    try {
      const o = await fresh.team("owner");
      const p = (await o.post("/v1/programs", programBody({ applicationQuestions: [] }))).json();
      const agents: Agent[] = [];
      const slugs: string[] = [];
      for (const email of ["one@partner.test", "two@partner.test"]) {
        const a = fresh.agent();
        const e = (await a.post(`/v1/public/programs/${p.slug}/applications`, applicationBody(p, email))).json();
        await o.post(`/v1/enrollments/${e.id}/approve`, {});
        agents.push(a);
        slugs.push((await a.get("/v1/portal/links")).json().items[0].slug);
      }
      const api = fresh.agent();
      api.bearer = (await o.post("/v1/api-keys", { name: "s", scopes: ["track:write"] })).json().secret;
      const visit = async (s: string) => {
        const r = await fresh.app.inject({ method: "GET", url: `/r/${s}`, headers: { "user-agent": CHROME } });
        return new URL(r.headers.location as string).searchParams.get("tb_click")!;
      };
      const c1 = await visit(slugs[0]!);
      await visit(slugs[0]!); // same visitor cookie-less: counted again
      await api.post("/v1/track/lead", { programId: p.id, customerExternalId: "u1", clickId: c1 });
      await api.post("/v1/track/sale", { programId: p.id, orderId: "s1", amount: 2500, currency: "USD", clickId: c1 });
      fresh.clock.advance(86_400_000);
      const c2 = await visit(slugs[1]!);
      await api.post("/v1/track/sale", { programId: p.id, orderId: "s2", amount: 1000, currency: "EUR", clickId: c2 });
      await api.post("/v1/track/refund", { programId: p.id, orderId: "s1", refundId: "r1", amount: 500 });
      await fresh.app.tracking.writer.drain();

      const from = new Date(fresh.clock.now().getTime() - 2 * 86_400_000).toISOString();
      const to = new Date(fresh.clock.now().getTime() + 86_400_000).toISOString();
      const all = (await o.get(`/v1/stats?programId=${p.id}&from=${from}&to=${to}`)).json();
      expect(all.series).toHaveLength(4); // the first bucket starts at midnight before `from`
      expect(all.totals).toEqual({ clicks: 3, leads: 1, sales: 2, revenue: { USD: 2000, EUR: 1000 } });
      const mine = (await agents[0]!.get(`/v1/portal/stats?from=${from}&to=${to}`)).json();
      expect(mine.totals).toEqual({ clicks: 2, leads: 1, sales: 1, revenue: { USD: 2000 } });
      const theirs = (await agents[1]!.get(`/v1/portal/stats?from=${from}&to=${to}`)).json();
      expect(theirs.totals).toEqual({ clicks: 1, leads: 0, sales: 1, revenue: { EUR: 1000 } });
      // A sale split between two partners is one sale program-wide.
      await api.post("/v1/track/sale", {
        programId: p.id,
        orderId: "s3",
        amount: 1000,
        currency: "USD",
        touchpoints: [c1, c2],
      });
      await o.patch(`/v1/programs/${p.id}`, { attributionModel: "linear" });
      await api.post("/v1/track/sale", {
        programId: p.id,
        orderId: "s4",
        amount: 1000,
        currency: "USD",
        touchpoints: [c1, c2],
      });
      const myList = (await agents[0]!.get("/v1/portal/conversions")).json().items as Record<string, unknown>[];
      // Partner one: its half of the linear split (s4), the refund of s1, s1 itself, the lead; s3 went to the last click.
      expect(myList.map((c) => [c.kind, c.amount, c.weightBps])).toEqual([
        ["sale", 500, 5000],
        ["refund", -500, 10_000],
        ["sale", 2500, 10_000],
        ["lead", null, 10_000],
      ]);
      // The customer id (u1) and order ids (s1…) stay with the vendor: compared as whole JSON values, not substrings of ids.
      expect(JSON.stringify(myList)).not.toMatch(/"(u1|s1)"|customer/);
      expect((await agents[1]!.get("/v1/portal/conversions?kind=sale")).json().items).toHaveLength(3);
      // Page by page, one at a time: the same list, newest first, then the end.
      const paged: unknown[] = [];
      let cursor: string | null = null;
      do {
        const r = await agents[0]!.get(`/v1/portal/conversions?limit=1${cursor ? `&cursor=${cursor}` : ""}`);
        expect(r.statusCode).toBe(200);
        paged.push(...r.json().items);
        cursor = r.json().nextCursor;
      } while (cursor);
      expect(paged).toEqual(myList);
      expect((await agents[0]!.get("/v1/portal/conversions?cursor=nope")).statusCode).toBe(422);
      const split = (await o.get(`/v1/stats?programId=${p.id}&from=${from}&to=${to}`)).json();
      expect(split.totals).toMatchObject({ sales: 4, revenue: { USD: 4000, EUR: 1000 } });
      const hourly = (await o.get(`/v1/stats?programId=${p.id}&interval=hour`)).json();
      expect(hourly.series).toHaveLength(48);
      expect((await o.get(`/v1/stats?from=${to}&to=${from}`)).statusCode).toBe(422);
      expect(
        (await o.get(`/v1/stats?interval=hour&from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z`)).statusCode,
      ).toBe(422);
      const listed = (await o.get(`/v1/clicks?programId=${p.id}`)).json();
      expect(listed.items).toHaveLength(3);
      expect(listed.items[0]).toMatchObject({ source: "redirect", browser: "Chrome", os: "Linux" });
    } finally {
      await fresh.close();
    }
  });
});

describe("a partner's conversions", () => {
  test("a sale refunded in part is refunded, one refunded in full is fully refunded too", async () => {
    const o = await t.team("owner");
    const { program: p, partners } = await programWithPartners(t, o, 1);
    const api = t.agent();
    api.bearer = (await o.post("/v1/api-keys", { name: "refunds", scopes: ["track:write"] })).json().secret;
    const clickId = await click(t, partners[0]!.slug);
    const sale = (orderId: string, amount: number) =>
      api.post("/v1/track/sale", { programId: p.id, orderId, amount, currency: "USD", clickId });
    const refund = (orderId: string, amount: number) =>
      api.post("/v1/track/refund", { programId: p.id, orderId, refundId: `${orderId}-r`, amount });
    for (const r of [await sale("kept", 3000), await sale("part", 2000), await sale("whole", 1000)])
      expect(r.statusCode).toBe(201);
    expect((await refund("part", 500)).statusCode).toBe(201);
    // In two refunds: the second takes what was left.
    expect((await refund("whole", 400)).statusCode).toBe(201);
    expect(
      (await api.post("/v1/track/refund", { programId: p.id, orderId: "whole", refundId: "whole-r2", amount: 600 }))
        .statusCode,
    ).toBe(201);
    const sales = (await partners[0]!.agent.get("/v1/portal/conversions?kind=sale")).json().items as {
      amount: number;
      refunded: boolean;
      fullyRefunded: boolean;
    }[];
    // The three happened at the same moment (the test clock stands still): compared by amount, not by position.
    const byAmount = [...sales].sort((a, b) => a.amount - b.amount);
    expect(byAmount.map((s) => [s.amount, s.refunded, s.fullyRefunded])).toEqual([
      [1000, true, true],
      [2000, true, false],
      [3000, false, false],
    ]);
    // A refund itself is neither.
    const refunds = (await partners[0]!.agent.get("/v1/portal/conversions?kind=refund")).json().items;
    expect(refunds.map((r: { refunded: boolean; fullyRefunded: boolean }) => [r.refunded, r.fullyRefunded])).toEqual([
      [false, false],
      [false, false],
      [false, false],
    ]);
  });
});

describe("click hours", () => {
  test("a program's chart reads ended hours from the rollup and counts the rest, with the same result", async () => {
    const fresh = await createTestApp();
    try {
      const o = await fresh.team("owner");
      const { program: p, partners } = await programWithPartners(fresh, o, 1);
      const partner = partners[0]!;
      // Clicks over five hours, some in the hours the window starts and ends in.
      const start = fresh.clock.now().getTime();
      for (const minutes of [5, 40, 70, 71, 130, 200, 250, 290]) {
        fresh.clock.set(new Date(start + minutes * 60_000));
        await click(fresh, partner.slug);
      }
      await fresh.app.tracking.writer.drain();
      const window = (interval: string) =>
        `/v1/stats?programId=${p.id}&interval=${interval}&from=${new Date(start + 30 * 60_000).toISOString()}` +
        `&to=${new Date(start + 280 * 60_000).toISOString()}`;
      const counted = { hour: (await o.get(window("hour"))).json(), day: (await o.get(window("day"))).json() };
      expect(counted.hour.totals.clicks).toBe(6);

      fresh.clock.set(new Date(start + 6 * 3_600_000));
      const first = await rollUpClickHours({ db: fresh.database.db, clock: fresh.clock });
      expect(first.hours).toBe(5);
      expect((await o.get(window("hour"))).json()).toEqual(counted.hour);
      expect((await o.get(window("day"))).json()).toEqual(counted.day);

      // A batch that committed late, in an hour already rolled up: the next run counts that hour again.
      const late = new Date(start + 200 * 60_000);
      await fresh.database.db.insert(clicks).values({
        id: clickRowId(late),
        programId: p.id,
        partnerId: partner.id,
        at: late,
        source: "redirect",
      });
      expect(await rollUpClickHours({ db: fresh.database.db, clock: fresh.clock })).toMatchObject({ hours: 2 });
      expect((await o.get(window("hour"))).json().totals.clicks).toBe(7);
      const stored = await fresh.database.db.select().from(clickHours);
      expect(stored.reduce((n, h) => n + h.clicks, 0)).toBe(9);
      // The ended hours come from the rollup, not from the clicks: a rolled-up hour's count is what the chart shows.
      await fresh.database.db
        .update(clickHours)
        .set({ clicks: 1_001 })
        .where(eq(clickHours.hour, new Date(start + 2 * 3_600_000)));
      expect((await o.get(window("hour"))).json().totals.clicks).toBe(1_007);
    } finally {
      await fresh.close();
    }
  });
});

describe("clicks list", () => {
  test("pages newest first by time, across ties, for a program, a partner and a link", async () => {
    const [defaultLink] = (await partner.get("/v1/portal/links")).json().items;
    const enrollmentId = (await partner.get("/v1/portal/enrollments")).json().items[0].id;
    const custom = (
      await partner.post(`/v1/portal/enrollments/${enrollmentId}/links`, { destinationUrl: `${SITE}/pricing` })
    ).json();
    expect(custom.id).toMatch(/^lnk_/);
    // Three clicks in one millisecond: a page may end between them.
    const base = Date.parse("2026-03-01T12:00:00Z");
    const times = [0, 5, 5, 5, 9, 12, 20];
    await t.database.db.insert(clicks).values(
      times.map((offset, i) => ({
        id: clickRowId(new Date(base + offset)),
        programId: program.id,
        partnerId: defaultLink.partnerId ?? custom.partnerId,
        linkId: i % 2 ? custom.id : defaultLink.id,
        at: new Date(base + offset),
        source: "redirect" as const,
      })),
    );
    const all = (filter: string) => pageThroughClicks(owner, filter);
    const newestFirst = (items: { id: string; at: string }[]) =>
      [...items].sort((a, b) => (a.at === b.at ? (a.id < b.id ? 1 : -1) : a.at < b.at ? 1 : -1));
    const stored = (await t.database.db.select().from(clicks)).filter((c) => c.programId === program.id);
    const byProgram = await all(`programId=${program.id}`);
    expect(byProgram.map((c) => c.id)).toEqual(
      newestFirst(stored.map((c) => ({ id: c.id, at: c.at.toISOString() }))).map((c) => c.id),
    );
    const byLink = await all(`linkId=${custom.id}`);
    expect(byLink).toHaveLength(3);
    expect(byLink.every((c) => c.linkId === custom.id)).toBe(true);
    expect(byLink.map((c) => c.id)).toEqual(newestFirst(byLink).map((c) => c.id));
    expect((await all(`partnerId=${custom.partnerId}`)).length).toBe(stored.length);
    expect((await owner.get("/v1/clicks?linkId=lnk_00000000000000000000000000")).json().items).toEqual([]);
    // Up to a time: the clicks before it, newest first, paged like the rest.
    const before = new Date(base + 9).toISOString();
    const earlier = await all(`programId=${program.id}&before=${before}`);
    expect(earlier.map((c) => c.id)).toEqual(byProgram.filter((c) => c.at < before).map((c) => c.id));
    expect(earlier).toHaveLength(4);
    const bad = await owner.get("/v1/clicks?cursor=not-a-cursor");
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors[0].field).toBe("querystring:/cursor");
  });

  test("a range of days: from (inclusive) to before (exclusive), paged; a range that ends before it starts is refused", async () => {
    const [link] = (await partner.get("/v1/portal/links")).json().items;
    // One click at noon on each day from 10 to 14 February, and one at the first and last moment of the 12th.
    const at = [
      ...[10, 11, 12, 13, 14].map((d) => `2026-02-${d}T12:00:00.000Z`),
      "2026-02-12T00:00:00.000Z",
      "2026-02-12T23:59:59.999Z",
    ].map((iso) => new Date(iso));
    await t.database.db.insert(clicks).values(
      at.map((when) => ({
        id: clickRowId(when),
        programId: program.id,
        partnerId: link.partnerId,
        linkId: link.id,
        at: when,
        source: "redirect" as const,
      })),
    );
    const range = `programId=${program.id}&from=2026-02-11T00:00:00.000Z&before=2026-02-13T00:00:00.000Z`;
    const listed = (await pageThroughClicks(owner, range)).map((c) => c.at);
    expect(listed).toEqual([
      "2026-02-12T23:59:59.999Z",
      "2026-02-12T12:00:00.000Z",
      "2026-02-12T00:00:00.000Z",
      "2026-02-11T12:00:00.000Z",
    ]);
    // From alone: that moment on, whatever came later.
    const since = (
      await owner.get(`/v1/clicks?programId=${program.id}&from=2026-02-14T00:00:00.000Z&limit=500`)
    ).json();
    expect(since.items.map((c: { at: string }) => c.at)).toContain("2026-02-14T12:00:00.000Z");
    expect(since.items.every((c: { at: string }) => c.at >= "2026-02-14")).toBe(true);
    // The export takes the same range.
    const csv = (await owner.get(`/v1/clicks/export?${range}`)).body.trim().split("\n");
    expect(csv).toHaveLength(1 + 4);

    // A from after (or at) the end of the range, or one that is not a time, is a problem naming from; on the
    // export too, before any of the file is sent.
    for (const query of [
      `programId=${program.id}&from=2026-02-13T00:00:00.000Z&before=2026-02-11T00:00:00.000Z`,
      `programId=${program.id}&from=2026-02-11T00:00:00.000Z&before=2026-02-11T00:00:00.000Z`,
      `programId=${program.id}&from=11-02-2026&before=2026-02-13T00:00:00.000Z`,
    ]) {
      for (const path of ["/v1/clicks", "/v1/clicks/export"]) {
        const r = await owner.get(`${path}?${query}`);
        expect(r.statusCode, `${path}?${query}`).toBe(422);
        expect(r.headers["content-type"]).toContain("application/problem+json");
        expect(r.json().errors.map((e: { field: string }) => e.field)).toEqual(["querystring:/from"]);
      }
    }
  });
});

describe("days of the viewer's time zone", () => {
  test("a chart's days are the zone's own, across a change of clocks, whether its clicks are counted or rolled up", async () => {
    const fresh = await createTestApp();
    try {
      const o = await fresh.team("owner");
      const { program: p, partners } = await programWithPartners(fresh, o, 1);
      const partner = partners[0]!;
      const api = fresh.agent();
      api.bearer = (await o.post("/v1/api-keys", { name: "s", scopes: ["track:write"] })).json().secret;
      // New York's clocks go forward on 8 March 2026: its 8 March is 23 hours long, 05:00Z to 04:00Z next day.
      const clicksAt = [
        "2026-03-07T23:30:00Z", // 18:30 on 7 March in New York, 7 March in UTC
        "2026-03-08T04:30:00Z", // 23:30 on 7 March in New York, 8 March in UTC
        "2026-03-08T06:00:00Z", // 01:00 on 8 March in New York
        "2026-03-09T03:30:00Z", // 23:30 on 8 March in New York (summer time), 9 March in UTC
      ];
      let clickId = "";
      for (const at of clicksAt) {
        fresh.clock.set(new Date(at));
        clickId = await click(fresh, partner.slug);
      }
      // The sale of an evening in New York: already the next day in UTC.
      await api.post("/v1/track/sale", { programId: p.id, orderId: "ny-1", amount: 4900, currency: "USD", clickId });
      await fresh.app.tracking.writer.drain();

      // 7 and 8 March in New York: from its midnight (05:00Z) to the next but one (04:00Z, summer time).
      const range = "from=2026-03-07T05:00:00Z&to=2026-03-09T04:00:00Z";
      const newYork = `/v1/stats?programId=${p.id}&${range}&timeZone=America/New_York`;
      const days = (body: { series: { bucket: string; clicks: number; sales: number }[] }) =>
        body.series.map((s) => [s.bucket, s.clicks, s.sales]);
      const expected = [
        ["2026-03-07T05:00:00.000Z", 2, 0],
        ["2026-03-08T05:00:00.000Z", 2, 1],
      ];
      const counted = (await o.get(newYork)).json();
      expect(counted.timeZone).toBe("America/New_York");
      expect(days(counted)).toEqual(expected);
      // Without a zone, days are UTC's, as before: the same clicks fall on three days.
      const utc = (await o.get(`/v1/stats?programId=${p.id}&${range}`)).json();
      expect(utc.timeZone).toBe("UTC");
      expect(days(utc).map(([, clicks]) => clicks)).toEqual([1, 2, 1]);
      // The partner's own chart, and the program's once its hours are rolled up, say the same.
      const mine = (await partner.agent.get(`/v1/portal/stats?${range}&timeZone=America/New_York`)).json();
      expect(days(mine)).toEqual(expected);
      fresh.clock.set(new Date("2026-03-09T06:00:00Z"));
      expect((await rollUpClickHours({ db: fresh.database.db, clock: fresh.clock })).hours).toBeGreaterThan(0);
      expect(days((await o.get(newYork)).json())).toEqual(expected);

      // An offset is not a zone here (PostgreSQL would read "+05:00" five hours the other way), nor is a made-up name.
      for (const zone of ["%2B05:00", "Mars/Olympus"]) {
        const refused = await o.get(`/v1/stats?programId=${p.id}&${range}&timeZone=${zone}`);
        expect(refused.statusCode).toBe(422);
        expect(refused.json().errors).toEqual([
          { field: "querystring:/timeZone", message: "must be an IANA time zone name, such as Europe/Paris" },
        ]);
      }
    } finally {
      await fresh.close();
    }
  });
});
