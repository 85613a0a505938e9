import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { clicks, partnerIdentifiers } from "../../src/db/schema/index.js";
import { createLink } from "../../src/domain/links/create-link.js";
import { ensureDefaultLink } from "../../src/domain/links/ensure-default-link.js";
import { createApp } from "../../src/http/app.js";
import { listening, overSocket, type RedirectResponse } from "../helpers/raw-http.js";
import {
  type Agent,
  applicationBody,
  createTestApp,
  PASSWORD,
  type ProgramJson,
  programBody,
  type TestApp,
} from "../helpers/test-app.js";

const CHROME =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36";
const IPHONE =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
const GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";

let t: TestApp;
let owner: Agent;
let program: ProgramJson & { id: string };
let partner: Agent;
let enrollmentId: string;
let defaultSlug: string;
let madeLater = 0;

/**
 * Every click row, in the order written: by the writing transaction, then by place within it. A plain select reads
 * in physical order, which PostgreSQL does not keep as insertion order: each pooled connection fills its own page.
 */
const allClicks = async () => {
  await t.app.tracking.writer.drain();
  return t.database.db.select().from(clicks).orderBy(sql`(xmin::text)::bigint`, sql`ctid`);
};
type Visit = (
  slug: string,
  headers?: Record<string, string>,
  cookie?: string,
  query?: string,
) => Promise<RedirectResponse>;

/** Through Fastify (`inject`), as every other route is tested. */
const injectedInto =
  (app: TestApp): Visit =>
  (slug, headers = { "user-agent": CHROME }, cookie, query = "") =>
    app.app.inject({
      method: "GET",
      url: `/r/${slug}${query}`,
      headers,
      cookies: cookie ? { tributary_click: cookie } : {},
    });
const injected: Visit = (...args) => injectedInto(t)(...args);

let visit: Visit = injected;

beforeAll(async () => {
  t = await createTestApp({ COUNTRY_HEADER: "CF-IPCountry" });
  owner = await t.team("owner");
  program = (
    await owner.post(
      "/v1/programs",
      programBody({
        applicationQuestions: [],
        allowedDomains: ["acme.example"],
        defaultLandingUrl: "https://acme.example/pricing",
        utmParams: { utm_source: "partner", utm_medium: "affiliate" },
      }),
    )
  ).json();
  partner = t.agent();
  enrollmentId = (
    await partner.post(
      `/v1/public/programs/${program.slug}/applications`,
      applicationBody(program, "links@partner.test"),
    )
  ).json().id;
  expect((await partner.get("/v1/portal/links")).json().items).toEqual([]);
  await owner.post(`/v1/enrollments/${enrollmentId}/approve`, {});
  defaultSlug = (await partner.get("/v1/portal/links")).json().items[0].slug;
});
afterAll(() => t.close());

describe("links", () => {
  test("approval gives the enrollment a default link that follows the program's landing URL", async () => {
    const [link] = (await partner.get("/v1/portal/links")).json().items;
    expect(link).toMatchObject({ isDefault: true, destinationUrl: null, path: `/r/${link.slug}`, disabled: false });
    expect(link.slug).toMatch(/^links-media-[0-9a-f]{5}$/);
  });

  test("a partner creates a custom link on an allowed domain (subdomains too), with a unique case-insensitive slug", async () => {
    const ok = await partner.post(`/v1/portal/enrollments/${enrollmentId}/links`, {
      slug: "Spring-Sale",
      destinationUrl: "https://blog.acme.example/spring?x=1",
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({
      slug: "Spring-Sale",
      isDefault: false,
      destinationUrl: "https://blog.acme.example/spring?x=1",
    });
    const dup = await partner.post(`/v1/portal/enrollments/${enrollmentId}/links`, {
      slug: "spring-sale",
      destinationUrl: "https://acme.example/",
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().errors[0].field).toBe("/slug");
  });

  test.each([
    ["https://evil.example/", "evil.example"],
    ["https://acme.example.evil.example/", "acme.example.evil.example"],
    ["https://notacme.example/", "notacme.example"],
  ])("%s is refused with a 422 naming the domain (no open redirect)", async (destinationUrl, domain) => {
    const r = await partner.post(`/v1/portal/enrollments/${enrollmentId}/links`, { destinationUrl });
    expect(r.statusCode).toBe(422);
    expect(r.json()).toMatchObject({ domain, errors: [{ field: "/destinationUrl" }] });
    expect(r.json().detail).toContain(domain);
  });

  test.each(["javascript:alert(1)", "//acme.example/x", "https://user:pw@acme.example/", "ftp://acme.example/"])(
    "%s is not a destination",
    async (destinationUrl) => {
      expect((await partner.post(`/v1/portal/enrollments/${enrollmentId}/links`, { destinationUrl })).statusCode).toBe(
        422,
      );
    },
  );

  test("coupon codes are unique per program regardless of case and visible to their partner only", async () => {
    expect((await owner.post("/v1/coupons", { enrollmentId, code: "LINKS20" })).statusCode).toBe(201);
    const dup = await owner.post("/v1/coupons", { enrollmentId, code: "links20" });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().errors[0].field).toBe("/code");
    // An emptied code is said to be empty, not described by its format.
    const empty = await owner.post("/v1/coupons", { enrollmentId, code: "" });
    expect(empty.statusCode).toBe(422);
    expect(empty.json().errors[0]).toEqual({ field: "/code", message: "must not be empty" });
    expect((await owner.post("/v1/coupons", { enrollmentId, code: "a b" })).json().errors[0].message).toMatch(
      /^has an invalid format \(2–40 letters/,
    );
    expect((await partner.get("/v1/portal/coupons")).json().items.map((c: { code: string }) => c.code)).toEqual([
      "LINKS20",
    ]);
    const other = t.agent();
    await other.post(
      `/v1/public/programs/${program.slug}/applications`,
      applicationBody(program, "other@partner.test"),
    );
    expect((await other.get("/v1/portal/coupons")).json().items).toEqual([]);
    expect((await other.get("/v1/portal/links")).json().items).toEqual([]);
  });

  test("links need an approved or active enrollment", async () => {
    const pending = t.agent();
    const e = (
      await pending.post(
        `/v1/public/programs/${program.slug}/applications`,
        applicationBody(program, "pending@partner.test"),
      )
    ).json();
    const r = await pending.post(`/v1/portal/enrollments/${e.id}/links`, { destinationUrl: "https://acme.example/" });
    expect(r.statusCode).toBe(409);
    expect(r.json().currentStatus).toBe("applied");
  });

  test("a generated slug that is taken already is drawn again: approval still gives a default link, a custom link without a slug is made", async () => {
    const taken = defaultSlug.toUpperCase();
    const drawn: string[] = [];
    const draws =
      (...slugs: string[]) =>
      () => {
        const slug = slugs[drawn.length] ?? `unused-${drawn.length}`;
        drawn.push(slug);
        return slug;
      };
    const applicant = t.agent();
    const e = (
      await applicant.post(
        `/v1/public/programs/${program.slug}/applications`,
        applicationBody(program, "unlucky@partner.test"),
      )
    ).json();
    const enrollment = { id: e.id, programId: program.id, partnerId: e.partnerId };
    const link = await t.database.db.transaction((tx) =>
      ensureDefaultLink(tx, t.ctx, enrollment, draws(taken, "unlucky-fresh")),
    );
    expect(drawn).toEqual([taken, "unlucky-fresh"]);
    expect(link).toMatchObject({ slug: "unlucky-fresh", isDefault: true, enrollmentId: e.id });
    // Called again (approval after activation, a concurrent approval): the link it has, nothing drawn.
    drawn.length = 0;
    const again = await t.database.db.transaction((tx) => ensureDefaultLink(tx, t.ctx, enrollment, draws("other")));
    expect(again?.id).toBe(link?.id);
    expect(drawn).toEqual([]);

    drawn.length = 0;
    const custom = await createLink(
      t.ctx,
      enrollmentId,
      { destinationUrl: "https://acme.example/spring" },
      draws(taken, "spring-fresh"),
    );
    expect(custom).toMatchObject({ slug: "spring-fresh", destinationUrl: "https://acme.example/spring" });
  });

  test("the console lists a program's links newest first, a page at a time, found by slug or partner name", async () => {
    const own = await t.team("owner");
    const other = (
      await own.post(
        "/v1/programs",
        programBody({
          applicationQuestions: [],
          allowedDomains: ["shop.example"],
          defaultLandingUrl: "https://shop.example/",
        }),
      )
    ).json();
    const agents = [t.agent(), t.agent()];
    const enrollments = [];
    for (const [i, agent] of agents.entries()) {
      const body = applicationBody(other, `lister${i}@partner.test`, { company: i ? "Zeta 50% Deals" : "Alpha Media" });
      const e = (await agent.post(`/v1/public/programs/${other.slug}/applications`, body)).json();
      await own.post(`/v1/enrollments/${e.id}/approve`, {});
      enrollments.push(e);
    }
    const created: string[] = [];
    for (let i = 0; i < 5; i++) {
      t.clock.advance(1_000);
      const link = await agents[0]!.post(`/v1/portal/enrollments/${enrollments[0].id}/links`, {
        destinationUrl: "https://shop.example/",
        slug: `spring-${i}`,
      });
      expect(link.statusCode, link.body).toBe(201);
      created.push(link.json().id);
    }
    const pages: { id: string; slug: string }[][] = [];
    let cursor: string | null = null;
    do {
      const r = await own.get(`/v1/links?programId=${other.id}&limit=3${cursor ? `&cursor=${cursor}` : ""}`);
      expect(r.statusCode, r.body).toBe(200);
      pages.push(r.json().items);
      cursor = r.json().nextCursor;
    } while (cursor);
    expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
    const ids = pages.flat().map((l) => l.id);
    // The custom links, newest first, then the two default links made on approval.
    expect(ids.slice(0, 5)).toEqual([...created].reverse());
    expect(new Set(ids).size).toBe(7);

    const search = async (q: string) =>
      (await own.get(`/v1/links?programId=${other.id}&q=${encodeURIComponent(q)}`))
        .json()
        .items.map((l: { slug: string; partnerId: string }) => l.slug);
    expect(await search("SPRING-3")).toEqual(["spring-3"]);
    expect(await search("alpha")).toHaveLength(6);
    // LIKE's wildcards are searched for as they are: "50%" finds the partner whose name has it, "_" nothing.
    expect(await search("50%")).toHaveLength(1);
    expect(await search("%")).toHaveLength(1);
    expect(await search("_")).toEqual([]);
    const bad = await own.get(`/v1/links?programId=${other.id}&cursor=not-a-cursor`);
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors.map((e: { field: string }) => e.field)).toEqual(["querystring:/cursor"]);
  });
});

// Over a real socket the redirect is answered by the fast path in front of Fastify: the same tests, both ways.
describe.each(["inject", "socket"] as const)("redirect GET /r/:slug (%s)", (transport) => {
  beforeAll(async () => {
    const socket = overSocket(await listening(t.app));
    visit =
      transport === "inject"
        ? injected
        : (slug, headers = { "user-agent": CHROME }, cookie, query) => socket(slug, headers, cookie, query);
  });
  afterAll(() => {
    visit = injected;
  });

  test("302 to the destination with UTM parameters and a signed click id; a first-party cookie; a click row without the IP", async () => {
    const before = (await allClicks()).length;
    const r = await visit(
      defaultSlug,
      { "user-agent": IPHONE, referer: "https://blog.example/review", "cf-ipcountry": "de" },
      undefined,
      "?sub1=email&sub2=hero&sub9=ignored",
    );
    expect(r.statusCode).toBe(302);
    // An empty body said up front, not a chunked one.
    expect(r.headers["content-length"]).toBe("0");
    expect(r.headers["transfer-encoding"]).toBeUndefined();
    expect(r.body).toBe("");
    const location = new URL(r.headers.location as string);
    expect(location.origin + location.pathname).toBe("https://acme.example/pricing");
    expect(location.searchParams.get("utm_source")).toBe("partner");
    const clickId = location.searchParams.get("tb_click")!;
    expect(clickId).toMatch(/^[A-Za-z0-9_-]{104}$/);
    const cookie = (r.cookies as { name: string; value: string; httpOnly: boolean; maxAge: number }[]).find(
      (c) => c.name === "tributary_click",
    )!;
    expect(cookie).toMatchObject({ value: clickId, httpOnly: true, maxAge: 30 * 86_400 });
    const rows = await allClicks();
    expect(rows.length).toBe(before + 1);
    const row = rows.at(-1)!;
    expect(row).toMatchObject({
      programId: program.id,
      source: "redirect",
      country: "DE",
      deviceType: "mobile",
      browser: "Mobile Safari",
      os: "iOS",
      referrer: "https://blog.example/review",
      sub1: "email",
      sub2: "hero",
    });
    expect(row.ipHash).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(JSON.stringify(row)).not.toContain("127.0.0.1");
  });

  test("a browser without Tributary's device cookie gets one (a year, site-wide); one with it keeps it; clicks keep only its hash", async () => {
    type SetCookie = { name: string; value: string; path?: string; maxAge?: number; httpOnly?: boolean };
    const deviceCookieOf = (r: RedirectResponse) =>
      (r.cookies as SetCookie[]).find((c) => c.name === "tributary_device");
    const first = deviceCookieOf(await visit(defaultSlug));
    expect(first).toMatchObject({ path: "/", maxAge: 365 * 86_400, httpOnly: true });
    const deviceId = first!.value;
    expect(deviceId).toMatch(/^[A-Za-z0-9_-]{16,64}$/);
    const again = await visit(defaultSlug, { "user-agent": CHROME, cookie: `tributary_device=${deviceId}` });
    expect(again.statusCode).toBe(302);
    expect(deviceCookieOf(again)).toBeUndefined();
    const [one, two] = (await allClicks()).slice(-2);
    expect(one!.deviceHash).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(two!.deviceHash).toBe(one!.deviceHash);
    expect(one!.deviceHash).not.toContain(deviceId);
    // A value we could not have set is replaced, not trusted.
    const forged = deviceCookieOf(await visit(defaultSlug, { "user-agent": CHROME, cookie: "tributary_device=x;y" }));
    expect(forged?.value).toMatch(/^[A-Za-z0-9_-]{16,64}$/);
    // Bots get no cookie at all.
    expect((await visit(defaultSlug, { "user-agent": GOOGLEBOT })).cookies).toEqual([]);
  });

  test("the click id replaces one already in the destination and goes before its fragment", async () => {
    const link = (
      await partner.post(`/v1/portal/enrollments/${enrollmentId}/links`, {
        destinationUrl: "https://acme.example/p?x=a+b&tb_click=old&y=%C3%A9#plans",
      })
    ).json();
    for (let i = 0; i < 2; i++) {
      const location = (await visit(link.slug)).headers.location as string;
      const id = new URL(location).searchParams.get("tb_click")!;
      expect(id).toMatch(/^[A-Za-z0-9_-]{104}$/);
      const expected = new URL(
        "https://acme.example/p?x=a+b&tb_click=old&y=%C3%A9&utm_medium=affiliate&utm_source=partner#plans",
      );
      expected.searchParams.set("tb_click", id);
      expect(location).toBe(expected.href);
    }
  });

  test("the destination's own query reaches the visitor as it was written: only the click id and missing UTMs are added", async () => {
    const link = (
      await partner.post(`/v1/portal/enrollments/${enrollmentId}/links`, {
        destinationUrl:
          "https://acme.example/p?flag&a=b%20c&sig=x;y&next=/plans&tb_click=old&utm_source=my%20blog&tb_click=older#top",
      })
    ).json();
    const location = (await visit(link.slug)).headers.location as string;
    const id = new URL(location).searchParams.get("tb_click")!;
    expect(id).toMatch(/^[A-Za-z0-9_-]{104}$/);
    expect(location).toBe(
      `https://acme.example/p?flag&a=b%20c&sig=x;y&next=/plans&tb_click=${id}&utm_source=my%20blog&utm_medium=affiliate#top`,
    );
  });

  test("a sub-id given twice (an ad network appending its own) keeps the first value instead of none", async () => {
    const r = await visit(
      defaultSlug,
      { "user-agent": CHROME },
      undefined,
      "?sub1=newsletter&sub2=a&sub1=tracker&sub2=b",
    );
    expect(r.statusCode).toBe(302);
    expect((await allClicks()).at(-1)).toMatchObject({ sub1: "newsletter", sub2: "a" });
  });

  test.each([
    ["?gclid=Cj0KCQiA2", "google_ads", "gclid"],
    ["?gbraid=0AAAAADhb", "google_ads", "gbraid"],
    ["?wbraid=CkcKCQiA", "google_ads", "wbraid"],
    ["?sub1=brand&gad_source=1", "google_ads", "gad_source"],
    ["?gad_source=1&gclid=Cj0", "google_ads", "gclid"],
    ["?dclid=CJrL9", "google_display", "dclid"],
    ["?msclkid=5f1c0e0a4b", "microsoft_ads", "msclkid"],
    ["?yclid=8123456789", "yandex_or_yahoo_japan", "yclid"],
  ])(
    "opened with an ad's click id (%s), the click row names the network and the parameter, never its value",
    async (query, network, param) => {
      const r = await visit(defaultSlug, { "user-agent": CHROME }, undefined, query);
      expect(r.statusCode).toBe(302);
      // The ad's click id is the partner's business, not the destination's: only the click id and UTMs are added.
      expect(r.headers.location).not.toContain(param);
      const row = (await allClicks()).at(-1)!;
      expect(row).toMatchObject({ adNetwork: network, adClickParam: param });
      // The hashes are left out: a salted hash in base64 may spell "Cj0" by chance (it did once in CI).
      const { ipHash: _ip, deviceHash: _device, ...stored } = row;
      expect(JSON.stringify(stored)).not.toMatch(/Cj0|0AAAAADhb|CkcKCQiA|CJrL9|5f1c0e0a4b|8123456789/);
    },
  );

  test.each(["", "?sub1=x", "?fbclid=IwAR0abc", "?gclid=", "?utm_source=google&utm_medium=cpc"])(
    "a click without an ad's click id (%s) has none",
    async (query) => {
      const before = (await allClicks()).length;
      expect((await visit(defaultSlug, { "user-agent": CHROME }, undefined, query)).statusCode).toBe(302);
      const rows = await allClicks();
      expect(rows.length).toBe(before + 1);
      expect(rows.at(-1)).toMatchObject({ adNetwork: null, adClickParam: null });
    },
  );

  test("a NUL or half a surrogate pair in a sub-id is dropped, and the click still counts", async () => {
    const before = (await allClicks()).length;
    const r = await visit(defaultSlug, { "user-agent": CHROME }, undefined, "?sub1=a%00b&sub2=%F0%9F%98%80&sub3=%00");
    expect(r.statusCode).toBe(302);
    const rows = await allClicks();
    expect(rows.length).toBe(before + 1);
    // Nothing left of a sub-id is no sub-id: reports group an empty one with the clicks that had none.
    expect(rows.at(-1)).toMatchObject({ sub1: "ab", sub2: "😀", sub3: null });
    expect(t.app.tracking.writer.dropped).toBe(0);
  });

  test("the same visitor clicking again within an hour keeps its click id and is counted once", async () => {
    const first = await visit(defaultSlug);
    const id = new URL(first.headers.location as string).searchParams.get("tb_click")!;
    const count = (await allClicks()).length;
    t.clock.advance(59 * 60_000);
    const again = await visit(defaultSlug, { "user-agent": CHROME }, id);
    expect(new URL(again.headers.location as string).searchParams.get("tb_click")).toBe(id);
    expect((await allClicks()).length).toBe(count);
    t.clock.advance(2 * 60_000);
    const later = await visit(defaultSlug, { "user-agent": CHROME }, id);
    expect(new URL(later.headers.location as string).searchParams.get("tb_click")).not.toBe(id);
    expect((await allClicks()).length).toBe(count + 1);
  });

  test("a tampered or malformed cookie is just ignored", async () => {
    const first = await visit(defaultSlug);
    const id = new URL(first.headers.location as string).searchParams.get("tb_click")!;
    const tampered = `${id.slice(0, 50)}${id[50] === "A" ? "B" : "A"}${id.slice(51)}`;
    for (const cookie of [tampered, "garbage", "%00"]) {
      const r = await visit(defaultSlug, { "user-agent": CHROME }, cookie);
      expect(r.statusCode).toBe(302);
      expect(new URL(r.headers.location as string).searchParams.get("tb_click")).not.toBe(cookie);
    }
  });

  test("bots and requests without a user agent are redirected but not counted, and get no click id", async () => {
    const count = (await allClicks()).length;
    for (const headers of [{ "user-agent": GOOGLEBOT }, {}] as Record<string, string>[]) {
      const r = await visit(defaultSlug, headers);
      expect(r.statusCode).toBe(302);
      expect(r.headers.location).not.toContain("tb_click");
      expect(r.cookies).toEqual([]);
    }
    expect((await allClicks()).length).toBe(count);
  });

  test("a deep link (?url=) lands on that page of the program's site, with UTM and click id; any other page is ignored", async () => {
    const before = (await allClicks()).length;
    const landing = async (url: string) => {
      const r = await visit(
        defaultSlug,
        { "user-agent": CHROME },
        undefined,
        `?url=${encodeURIComponent(url)}&sub1=deep`,
      );
      expect(r.statusCode).toBe(302);
      const location = r.headers.location as string;
      expect(new URL(location).searchParams.get("tb_click")).toMatch(/^[A-Za-z0-9_-]{104}$/);
      // The click id appended last, the rest as the redirect wrote it (URLSearchParams would re-encode it).
      return location.replace(/&tb_click=[A-Za-z0-9_-]{104}/, "");
    };
    // On the site: the page, its own query kept as written, the program's UTM added where the page has none
    // (in the order the program's settings are stored).
    expect(await landing("https://acme.example/blog/post?ref=x%20y#top")).toBe(
      "https://acme.example/blog/post?ref=x%20y&utm_medium=affiliate&utm_source=partner#top",
    );
    expect(await landing("https://shop.acme.example/cart?utm_source=newsletter")).toBe(
      "https://shop.acme.example/cart?utm_source=newsletter&utm_medium=affiliate",
    );
    // A path lands on the link's own site.
    expect(await landing("/features")).toBe("https://acme.example/features?utm_medium=affiliate&utm_source=partner");
    // Anywhere else: the link's own destination, as if no page had been named (never an open redirect, never an error).
    const own = "https://acme.example/pricing?utm_medium=affiliate&utm_source=partner";
    for (const elsewhere of [
      "https://evil.example/",
      "https://acme.example.evil.example/",
      "//evil.example/x",
      "/\\evil.example/x",
      "javascript:alert(1)",
      "ftp://acme.example/file",
      "https://user:pw@acme.example/",
      "evil.example",
      "https://",
      `https://acme.example/${"a".repeat(2_000)}`,
    ]) {
      expect(await landing(elsewhere), elsewhere).toBe(own);
    }
    // Given twice: ambiguous, so neither.
    const twice = await visit(defaultSlug, { "user-agent": CHROME }, undefined, "?url=%2Fa&url=%2Fb");
    expect(new URL(twice.headers.location as string).pathname).toBe("/pricing");
    // Each was one click of the link, with its sub-ids and the page it landed on (none: the link's own).
    const rows = (await allClicks()).slice(before);
    expect(rows).toHaveLength(14);
    expect(rows.filter((r) => r.sub1 === "deep")).toHaveLength(13);
    expect(rows.map((r) => r.landingUrl).slice(0, 4)).toEqual([
      "https://acme.example/blog/post?ref=x%20y&utm_medium=affiliate&utm_source=partner#top",
      "https://shop.acme.example/cart?utm_source=newsletter&utm_medium=affiliate",
      "https://acme.example/features?utm_medium=affiliate&utm_source=partner",
      null,
    ]);
    // Bots and link checkers learn the same page, with no click id.
    const bot = await visit(defaultSlug, { "user-agent": GOOGLEBOT }, undefined, "?url=%2Ffeatures");
    expect(bot.headers.location).toBe("https://acme.example/features?utm_medium=affiliate&utm_source=partner");
    const head = await overSocket(await listening(t.app), "HEAD")(
      defaultSlug,
      { "user-agent": CHROME },
      undefined,
      "?url=%2Ffeatures",
    );
    expect(head.headers.location).toBe("https://acme.example/features?utm_medium=affiliate&utm_source=partner");
  });

  test("the link's own query parameters are passed on to the page; not Tributary's, the sub-ids or a paid ad's click id; the destination's win", async () => {
    const before = (await allClicks()).length;
    const own = "https://acme.example/pricing?utm_medium=affiliate&utm_source=partner";
    const landing = async (query: string, userAgent = CHROME) => {
      const r = await visit(defaultSlug, { "user-agent": userAgent }, undefined, query);
      expect(r.statusCode).toBe(302);
      return (r.headers.location as string).replace(/&tb_click=[A-Za-z0-9_-]{104}(?=#|$)/, "");
    };
    // A partner's campaign tag, a social network's click id and a page's own parameter (twice) reach the page; the
    // program's utm_source stays; the sub-id, the Google Ads click id, a forged click id and an empty url do not.
    expect(
      await landing(
        "?utm_campaign=spring&utm_source=newsletter&fbclid=IwAR0&lang=de&lang=fr&sub1=email&gclid=Cj0&tb_click=forged&url=",
      ),
    ).toBe(`${own}&utm_campaign=spring&fbclid=IwAR0&lang=de&lang=fr`);
    // Encoded as a query holds it.
    expect(await landing("?q=a%20b%26c")).toBe(`${own}&q=a+b%26c`);
    // With a deep link: passed on to that page; the click keeps the page it landed on, not what the visitor brought.
    expect(await landing("?url=%2Ffeatures%23plans&ref=tw")).toBe(
      "https://acme.example/features?utm_medium=affiliate&utm_source=partner&ref=tw#plans",
    );
    // Nothing to pass on, or too much: the link's own destination.
    expect(await landing("?sub2=x&msclkid=5f1c")).toBe(own);
    expect(await landing(`?ref=${"a".repeat(2_000)}`)).toBe(own);
    expect(await landing(`?${Array.from({ length: 1_500 }, (_, i) => `p${i}=x`).join("&")}`)).toBe(own);
    // Bots and link checkers land where visitors do.
    expect(await landing("?ref=tw", GOOGLEBOT)).toBe(`${own}&ref=tw`);
    const head = await overSocket(await listening(t.app), "HEAD")(
      defaultSlug,
      { "user-agent": CHROME },
      undefined,
      "?ref=tw",
    );
    expect(head.headers.location).toBe(`${own}&ref=tw`);
    const rows = (await allClicks()).slice(before);
    expect(rows).toHaveLength(6);
    expect(rows.map((r) => r.landingUrl)).toEqual([
      null,
      null,
      "https://acme.example/features?utm_medium=affiliate&utm_source=partner#plans",
      null,
      null,
      null,
    ]);
  });

  test("a HEAD request (a link checker, a prefetch) learns where the link goes, and is not a click", async () => {
    const count = (await allClicks()).length;
    const overTheSocket = overSocket(await listening(t.app), "HEAD");
    for (const r of [
      await t.app.inject({ method: "HEAD", url: `/r/${defaultSlug}`, headers: { "user-agent": CHROME } }),
      await overTheSocket(defaultSlug, { "user-agent": CHROME }),
    ]) {
      expect(r.statusCode).toBe(302);
      expect(r.headers.location).toMatch(/^https:\/\/acme\.example/);
      expect(r.headers.location).not.toContain("tb_click");
      expect(r.cookies).toEqual([]);
    }
    expect((await allClicks()).length).toBe(count);
    expect((await t.app.inject({ method: "HEAD", url: "/r/no-such-link" })).statusCode).toBe(404);
    expect((await overTheSocket("no-such-link", { "user-agent": CHROME })).statusCode).toBe(404);
  });

  test("a browser's prefetch or prerender of a link is refused (503, not kept) and not a click; the visit that follows is", async () => {
    const count = (await allClicks()).length;
    const overTheSocket = overSocket(await listening(t.app));
    const speculative: Record<string, string>[] = [
      { "sec-purpose": "prefetch" },
      { "sec-purpose": "prefetch;prerender" },
      { "sec-purpose": "prefetch;anonymous-client-ip" },
      { purpose: "prefetch" },
      { "x-moz": "prefetch" },
      { "x-purpose": "preview" },
    ];
    for (const headers of speculative) {
      for (const r of [
        await t.app.inject({ method: "GET", url: `/r/${defaultSlug}`, headers: { "user-agent": CHROME, ...headers } }),
        await overTheSocket(defaultSlug, { "user-agent": CHROME, ...headers }),
      ]) {
        expect(r.statusCode, JSON.stringify(headers)).toBe(503);
        expect(r.headers["cache-control"]).toBe("no-store");
        expect(r.headers.location).toBeUndefined();
        expect(r.cookies).toEqual([]);
      }
    }
    expect((await allClicks()).length).toBe(count);
    // The navigation itself carries no such header: a click, as always.
    const visited = await overTheSocket(defaultSlug, { "user-agent": CHROME, "sec-fetch-mode": "navigate" });
    expect(visited.statusCode).toBe(302);
    expect(visited.headers.location).toContain("tb_click");
    expect((await allClicks()).length).toBe(count + 1);
  });

  test("unknown and disabled slugs get a 404 page; disabling reaches a second instance through LISTEN/NOTIFY", async () => {
    const unknown = await visit("no-such-link");
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers["content-type"]).toContain("text/html");
    expect(unknown.headers["content-security-policy"]).toContain("default-src 'none'");
    expect(unknown.headers["x-content-type-options"]).toBe("nosniff");
    const link = (
      await partner.post(`/v1/portal/enrollments/${enrollmentId}/links`, {
        destinationUrl: "https://acme.example/soon-off",
      })
    ).json();
    const second = await createApp(
      { config: t.config, database: t.database, clock: t.clock, cookieSecret: "another-instance-secret-0123456789" },
      { logger: false },
    );
    try {
      expect(
        (await second.inject({ method: "GET", url: `/r/${link.slug}`, headers: { "user-agent": CHROME } })).statusCode,
      ).toBe(302);
      await partner.patch(`/v1/portal/links/${link.id}`, { disabled: true });
      expect((await visit(link.slug)).statusCode).toBe(404);
      let status = 302;
      for (let i = 0; i < 50 && status !== 404; i++) {
        await new Promise((r) => setTimeout(r, 20));
        status = (await second.inject({ method: "GET", url: `/r/${link.slug}`, headers: { "user-agent": CHROME } }))
          .statusCode;
      }
      expect(status).toBe(404);
      await partner.patch(`/v1/portal/links/${link.id}`, { disabled: false });
      expect((await visit(link.slug)).statusCode).toBe(302);
    } finally {
      await second.close();
    }
  });

  test("a slug visited before its link existed answers as soon as the link is made", async () => {
    // This suite runs twice (injected, then over a socket) on one database: a slug of its own each time.
    const slug = `made-later-${++madeLater}`;
    expect((await visit(slug)).statusCode).toBe(404);
    const link = await partner.post(`/v1/portal/enrollments/${enrollmentId}/links`, {
      destinationUrl: "https://acme.example/later",
      slug,
    });
    expect(link.statusCode).toBe(201);
    expect((await visit(slug)).statusCode).toBe(302);
  });

  test("a new program landing URL applies to default links at once", async () => {
    await visit(defaultSlug);
    await owner.patch(`/v1/programs/${program.id}`, { defaultLandingUrl: "https://acme.example/welcome" });
    expect(new URL((await visit(defaultSlug)).headers.location as string).pathname).toBe("/welcome");
    await owner.patch(`/v1/programs/${program.id}`, { defaultLandingUrl: "https://acme.example/pricing" });
  });

  test("a suspended partner's links still redirect, without tracking", async () => {
    const count = (await allClicks()).length;
    await owner.post(`/v1/enrollments/${enrollmentId}/suspend`, { reason: "review" });
    const r = await visit(defaultSlug);
    expect(r.statusCode).toBe(302);
    expect(r.headers.location).not.toContain("tb_click");
    expect((await allClicks()).length).toBe(count);
    await owner.post(`/v1/enrollments/${enrollmentId}/activate`, {});
    expect(r.statusCode).toBe(302);
    expect((await visit(defaultSlug)).headers.location).toContain("tb_click");
  });
});

describe("the fast path in front of Fastify (real sockets)", () => {
  test("with TRUST_PROXY it reads the visitor's address and scheme from X-Forwarded-* like Fastify does", async () => {
    const s = await createTestApp({ TRUST_PROXY: "true" });
    try {
      const o = await s.team("owner");
      const p = (await o.post("/v1/programs", programBody({ applicationQuestions: [] }))).json();
      const a = s.agent();
      const e = (
        await a.post(`/v1/public/programs/${p.slug}/applications`, applicationBody(p, "proxy@partner.test"))
      ).json();
      await o.post(`/v1/enrollments/${e.id}/approve`, {});
      const [link] = (await a.get("/v1/portal/links")).json().items;
      const get = overSocket(await listening(s.app));
      const from = (forwardedFor: string, proto = "http") =>
        get(link.slug, { "user-agent": CHROME, "x-forwarded-for": forwardedFor, "x-forwarded-proto": proto });
      const secure = await from("203.0.113.7", "https");
      expect(secure.cookies).toEqual([
        expect.objectContaining({ name: "tributary_click", secure: true }),
        expect.objectContaining({ name: "tributary_device", secure: true }),
      ]);
      // Every proxy trusted: the client is the first address of the chain.
      await from("203.0.113.7, 10.0.0.1");
      await from("198.51.100.9");
      // Through Fastify as well: both paths must hash the same visitor alike.
      await s.app.inject({
        method: "GET",
        url: `/r/${link.slug}`,
        headers: { "user-agent": CHROME, "x-forwarded-for": "198.51.100.9" },
      });
      await s.app.tracking.writer.drain();
      const hashes = (await s.database.db.select().from(clicks)).map((c) => c.ipHash);
      expect(hashes).toHaveLength(4);
      expect(hashes[1]).toBe(hashes[0]);
      expect(hashes[2]).not.toBe(hashes[0]);
      expect(hashes[3]).toBe(hashes[2]);
    } finally {
      await s.close();
    }
  });

  test("without TRUST_PROXY forwarded headers are ignored; odd slugs and HEAD go through Fastify", async () => {
    const get = overSocket(await listening(t.app));
    const r = await get(defaultSlug, { "user-agent": CHROME, "x-forwarded-proto": "https" });
    expect(r.statusCode).toBe(302);
    expect(r.cookies).toEqual([
      expect.objectContaining({ name: "tributary_click" }),
      expect.objectContaining({ name: "tributary_device" }),
    ]);
    expect(r.cookies[0]).not.toHaveProperty("secure", true);
    expect(r.cookies[1]).not.toHaveProperty("secure", true);
    // Percent-encoded: Fastify decodes it and the link is found all the same.
    const encoded = `%${defaultSlug.charCodeAt(0).toString(16)}${defaultSlug.slice(1)}`;
    expect((await get(encoded, { "user-agent": CHROME })).headers.location).toContain("tb_click");
    expect((await get(`${defaultSlug}/extra`, { "user-agent": CHROME })).statusCode).toBe(404);
    const head = await t.app.inject({ method: "HEAD", url: `/r/${defaultSlug}`, headers: { "user-agent": GOOGLEBOT } });
    expect(head.statusCode).toBe(302);
  });
});

describe("CLICK_DURABILITY=sync", () => {
  test("the 302 is sent only after the click is committed", async () => {
    const s = await createTestApp({ CLICK_DURABILITY: "sync" });
    try {
      const o = await s.team("owner");
      const p = (await o.post("/v1/programs", programBody({ applicationQuestions: [] }))).json();
      const a = s.agent();
      const e = (
        await a.post(`/v1/public/programs/${p.slug}/applications`, applicationBody(p, "sync@partner.test"))
      ).json();
      await o.post(`/v1/enrollments/${e.id}/approve`, {});
      const [link] = (await a.get("/v1/portal/links")).json().items;
      const r = await s.app.inject({ method: "GET", url: `/r/${link.slug}`, headers: { "user-agent": CHROME } });
      expect(r.statusCode).toBe(302);
      expect(await s.database.db.select().from(clicks)).toHaveLength(1);
    } finally {
      await s.close();
    }
  });
});

describe("DEVICE_COOKIE=off", () => {
  test("neither the redirect nor the portal sets Tributary's device cookie, and clicks keep no device", async () => {
    const s = await createTestApp({ DEVICE_COOKIE: "off" });
    try {
      const o = await s.team("owner");
      const p = (await o.post("/v1/programs", programBody({ applicationQuestions: [] }))).json();
      const a = s.agent();
      const e = (
        await a.post(`/v1/public/programs/${p.slug}/applications`, applicationBody(p, "nodevice@partner.test"))
      ).json();
      expect(a.cookies.has("tributary_device")).toBe(false);
      await o.post(`/v1/enrollments/${e.id}/approve`, {});
      const [link] = (await a.get("/v1/portal/links")).json().items;
      for (const get of [overSocket(await listening(s.app)), injectedInto(s)]) {
        const r = await get(link.slug, { "user-agent": CHROME, cookie: "tributary_device=abcdefghijklmnopqrstu" });
        expect(r.statusCode).toBe(302);
        expect((r.cookies as { name: string }[]).map((c) => c.name)).toEqual(["tributary_click"]);
      }
      await s.app.tracking.writer.drain();
      expect((await s.database.db.select().from(clicks)).map((c) => c.deviceHash)).toEqual([null, null]);
      // A browser that still holds one from before is not remembered either.
      const browser = s.agent();
      browser.cookies.set("tributary_device", "abcdefghijklmnopqrstu");
      const login = await browser.post("/v1/portal/auth/login", { email: "nodevice@partner.test", password: PASSWORD });
      expect(login.statusCode).toBe(200);
      const kinds = (await s.database.db.select().from(partnerIdentifiers)).map((i) => i.kind);
      expect(kinds).not.toContain("device");
    } finally {
      await s.close();
    }
  });
});
