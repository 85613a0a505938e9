import { count } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { conversions, customers } from "../../src/db/schema/index.js";
import { encodeTimeCursor } from "../../src/db/time-cursor.js";
import { NOT_FOUND_PAGE } from "../../src/http/redirect-responder.js";
import { click, type ProgramSetup, programWithPartners } from "../helpers/program-setup.js";
import { type Agent, createTestApp, type TestApp } from "../helpers/test-app.js";

/**
 * Input that passes a schema's types and lengths but that PostgreSQL or JavaScript cannot take as it is: a NUL, a
 * lone UTF-16 surrogate, a date-time outside what either can hold, an address that is not a URL. Each is a 4xx
 * problem naming the field, never a 500, and writes nothing.
 */
let t: TestApp;
let owner: Agent;
let api: Agent;
let setup: ProgramSetup;

beforeAll(async () => {
  t = await createTestApp();
  owner = await t.team("owner");
  api = t.agent();
  api.bearer = (await owner.post("/v1/api-keys", { name: "billing", scopes: ["track:write"] })).json().secret;
  setup = await programWithPartners(t, owner, 1);
});
afterAll(() => t.close());

let orders = 0;
const sale = (extra: Record<string, unknown>) =>
  api.post("/v1/track/sale", {
    programId: setup.program.id,
    orderId: `order-${++orders}`,
    amount: 4_900,
    currency: "USD",
    customerExternalId: `cus-${orders}`,
    ...extra,
  });
const stored = async () => ({
  conversions: (await t.database.db.select({ n: count() }).from(conversions))[0]!.n,
  customers: (await t.database.db.select({ n: count() }).from(customers))[0]!.n,
});
const fieldsOf = (r: { json: () => { errors?: { field: string }[] } }) => r.json().errors?.map((e) => e.field);

describe("text PostgreSQL cannot store is a 422 naming the field", () => {
  test("a NUL anywhere in a sale or a lead: nothing is written", async () => {
    const before = await stored();
    for (const [extra, field] of [
      [{ orderId: "o\u0000x" }, "/orderId"],
      [{ customerExternalId: "a\u0000b" }, "/customerExternalId"],
      [{ couponCode: "A\u0000B" }, "/couponCode"],
      [{ clickId: "a\u0000b" }, "/clickId"],
      [{ touchpoints: ["\u0000"] }, "/touchpoints/0"],
      [{ products: [{ id: "p\u0000" }] }, "/products/0/id"],
    ] as const) {
      const r = await sale(extra);
      expect(r.statusCode, JSON.stringify(extra)).toBe(422);
      expect(r.headers["content-type"]).toContain("application/problem+json");
      expect(fieldsOf(r)).toEqual([field]);
    }
    const lead = await api.post("/v1/track/lead", {
      programId: setup.program.id,
      customerExternalId: "c-1",
      eventName: "sign\u0000up",
    });
    expect(lead.statusCode).toBe(422);
    expect(fieldsOf(lead)).toEqual(["/eventName"]);
    expect(await stored()).toEqual(before);
  });

  test("an unpaired surrogate is refused, so two order ids never become one", async () => {
    const first = await sale({ orderId: "lone-\ud800" });
    expect(first.statusCode).toBe(422);
    expect(fieldsOf(first)).toEqual(["/orderId"]);
    expect((await sale({ customerExternalId: "a\udc00b" })).statusCode).toBe(422);
    // A real character outside the BMP (a surrogate pair) is text like any other.
    const emoji = await sale({ orderId: "gift-🎁" });
    expect(emoji.statusCode).toBe(201);
    expect(emoji.json().idempotencyKey).toBe("gift-🎁");
  });

  test("path and query parameters too", async () => {
    const bad = [
      ["/v1/conversions/%00", "params:/id"],
      ["/v1/conversions/%00/attribution", "params:/id"],
      ["/v1/conversions?programId=%00", "querystring:/programId"],
      ["/v1/clicks?linkId=a%00", "querystring:/linkId"],
      ["/v1/links?programId=%00", "querystring:/programId"],
    ] as const;
    for (const [url, field] of bad) {
      const r = await owner.get(url);
      expect(r.statusCode, url).toBe(422);
      expect(fieldsOf(r)).toEqual([field]);
    }
    const patch = await owner.patch("/v1/links/%00", { disabled: true });
    expect(patch.statusCode).toBe(422);
  });
});

describe("numbers", () => {
  test("a product quantity JavaScript cannot hold exactly (or none could mean) is a 422 naming it", async () => {
    for (const quantity of [2 ** 53, 1e300, 1_000_000_001]) {
      const r = await sale({ products: [{ id: "seat", quantity }] });
      expect(r.statusCode, String(quantity)).toBe(422);
      expect(fieldsOf(r)).toEqual(["/products/0/quantity"]);
    }
    expect((await sale({ products: [{ id: "seat", quantity: 1_000_000_000 }] })).statusCode).toBe(201);
  });
});

describe("addresses", () => {
  test("a slug no link can have, or an address that is not a URL, gets the link-not-found page", async () => {
    for (const url of ["/r/%00", "/r/a%00b", "/r/a.b", "/r/%FF"]) {
      const r = await t.app.inject({ method: "GET", url });
      expect(r.statusCode, url).toBe(404);
      expect(r.headers["content-type"]).toContain("text/html");
      expect(r.body).toBe(NOT_FOUND_PAGE);
    }
  });

  test("bad percent-encoding in an API address is a 400 problem", async () => {
    const r = await owner.get("/v1/conversions/%FF");
    expect(r.statusCode).toBe(400);
    expect(r.headers["content-type"]).toContain("application/problem+json");
    expect(r.json().code).toBe("bad_request");
  });
});

describe("times", () => {
  test("date-times JavaScript or PostgreSQL cannot hold are a 422 on occurredAt", async () => {
    const before = await stored();
    for (const occurredAt of [
      "0000-01-01T00:00:00Z",
      "0026-05-01T00:00:00Z",
      "9999-12-31T23:59:59-14:00",
      "2026-06-30T23:59:60Z",
    ]) {
      const r = await sale({ occurredAt });
      expect(r.statusCode, occurredAt).toBe(422);
      expect(fieldsOf(r)).toEqual(["/occurredAt"]);
    }
    const refund = await api.post("/v1/track/refund", {
      programId: setup.program.id,
      orderId: "any",
      refundId: "r-1",
      amount: 1,
      occurredAt: "0000-01-01T00:00:00Z",
    });
    expect(refund.statusCode).toBe(422);
    expect(await stored()).toEqual(before);
  });

  test("an event more than a day ahead of the server's clock is refused; a few hours of drift is not", async () => {
    const now = t.clock.now().getTime();
    const ahead = await sale({ occurredAt: new Date(now + 25 * 3_600_000).toISOString() });
    expect(ahead.statusCode).toBe(422);
    expect(fieldsOf(ahead)).toEqual(["/occurredAt"]);
    expect((await sale({ occurredAt: new Date(now + 3 * 3_600_000).toISOString() })).statusCode).toBe(201);
  });

  test("a refund dated before its sale is refused", async () => {
    const now = t.clock.now().getTime();
    const sold = await sale({ orderId: "dated-sale", occurredAt: new Date(now - 3_600_000).toISOString() });
    expect(sold.statusCode).toBe(201);
    const refund = (occurredAt?: string) =>
      api.post("/v1/track/refund", {
        programId: setup.program.id,
        orderId: "dated-sale",
        refundId: `refund-${occurredAt ?? "now"}`,
        amount: 100,
        ...(occurredAt ? { occurredAt } : {}),
      });
    const early = await refund(new Date(now - 2 * 3_600_000).toISOString());
    expect(early.statusCode).toBe(422);
    expect(fieldsOf(early)).toEqual(["/occurredAt"]);
    expect((await refund()).statusCode).toBe(201);
  });

  test("a cursor no list returned is a 422 on cursor, however it is dressed up", async () => {
    const forged = [
      Buffer.from("0000-01-01T00:00:00.000Z|cnv_x").toString("base64url"),
      Buffer.from("+275760-09-13T00:00:00.000Z|cnv_x").toString("base64url"),
      Buffer.from("5|cnv_x").toString("base64url"),
      Buffer.from("2026-01-01T00:00:00.000Z|cnv_\u0000").toString("base64url"),
      encodeTimeCursor(new Date("2026-01-01T00:00:00Z"), "clk_0123"),
    ];
    for (const cursor of forged) {
      const r = await owner.get(`/v1/conversions?programId=${setup.program.id}&cursor=${cursor}`);
      expect(r.statusCode, cursor).toBe(422);
      expect(fieldsOf(r)).toEqual(["querystring:/cursor"]);
    }
    const good = encodeTimeCursor(new Date("2026-01-01T00:00:00Z"), "cnv_0123");
    expect((await owner.get(`/v1/conversions?programId=${setup.program.id}&cursor=${good}`)).statusCode).toBe(200);
  });
});

describe("identities", () => {
  test("default lead keys keep a customer and an event apart when either holds a colon", async () => {
    const lead = (customerExternalId: string, eventName: string) =>
      api.post("/v1/track/lead", { programId: setup.program.id, customerExternalId, eventName });
    const first = await lead("aX:b", "c");
    const second = await lead("aX", "b:c");
    expect([first.statusCode, second.statusCode]).toEqual([201, 201]);
    expect(second.json().customerExternalId).toBe("aX");
    expect((await lead("aX", "b:c")).statusCode).toBe(200);
    // Keys without a colon or a backslash are what they always were.
    expect((await lead("plain", "signup")).json().idempotencyKey).toBe("plain:signup");
  });

  test("a lead recorded under the plain key before keys were escaped is still found by its retry", async () => {
    // As stored before: "customer:event" unescaped (here sent as the eventId, which gives the same row).
    const old = await api.post("/v1/track/lead", {
      programId: setup.program.id,
      customerExternalId: "urn:c:1",
      eventName: "signup",
      eventId: "urn:c:1:signup",
    });
    expect(old.statusCode).toBe(201);
    const retry = await api.post("/v1/track/lead", { programId: setup.program.id, customerExternalId: "urn:c:1" });
    expect(retry.statusCode).toBe(200);
    expect(retry.json().id).toBe(old.json().id);
    // The plain key of another customer and event is not a retry of this one.
    await api.post("/v1/track/lead", {
      programId: setup.program.id,
      customerExternalId: "aY:b",
      eventName: "c",
      eventId: "aY:b:c",
    });
    const other = await api.post("/v1/track/lead", {
      programId: setup.program.id,
      customerExternalId: "aY",
      eventName: "b:c",
    });
    expect(other.statusCode).toBe(201);
  });
});

describe("bodies and origins", () => {
  test("the API takes JSON: text/plain is a 415 (only the snippet's click route reads it)", async () => {
    const r = await api.request("POST", "/v1/track/sale", undefined, {
      payload: JSON.stringify({ programId: setup.program.id, orderId: "plain", amount: 1, currency: "USD" }),
      headers: { "content-type": "text/plain" },
    });
    expect(r.statusCode).toBe(415);
    expect(r.json().code).toBe("unsupported_media_type");
  });

  test("a __proto__ key is refused, and the problem says it may be why", async () => {
    const r = await api.request("POST", "/v1/track/sale", undefined, {
      payload: '{"__proto__": {"x": 1}, "programId": "p"}',
      headers: { "content-type": "application/json" },
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().detail).toContain("__proto__");
  });

  test("a body nested thousands deep is a 422 naming where, on authenticated and public routes alike", async () => {
    const deep = `{"programId":${"[".repeat(8000)}${"]".repeat(8000)},"orderId":"deep"}`;
    const sold = await api.request("POST", "/v1/track/sale", undefined, {
      payload: deep,
      headers: { "content-type": "application/json" },
    });
    expect(sold.statusCode).toBe(422);
    expect(fieldsOf(sold)).toEqual([`/programId${"/0".repeat(31)}`]);
    expect(sold.json().errors[0].message).toBe("nests more than 32 arrays and objects deep");
    const clicked = await t.app.inject({
      method: "POST",
      url: "/v1/track/click",
      headers: { origin: "https://acme.example", "content-type": "text/plain" },
      payload: deep,
    });
    expect(clicked.statusCode).toBe(422);
    expect(fieldsOf(clicked)).toEqual([`/programId${"/0".repeat(31)}`]);
    const login = await t.agent().request("POST", "/v1/auth/login", undefined, {
      headers: { "content-type": "application/json" },
      payload: `{"email":${"[".repeat(8000)}${"]".repeat(8000)},"password":"x"}`,
    });
    expect(login.statusCode).toBe(422);
    expect(fieldsOf(login)).toEqual([`/email${"/0".repeat(31)}`]);
  });

  test("the snippet's click route refuses a __proto__ or constructor.prototype key as the JSON API does", async () => {
    for (const payload of [
      `{"__proto__":{"a":1},"slug":"${setup.partners[0]!.slug}"}`,
      `{"constructor":{"prototype":{"a":1}},"slug":"${setup.partners[0]!.slug}"}`,
    ]) {
      const r = await t.app.inject({
        method: "POST",
        url: "/v1/track/click",
        headers: { origin: "https://acme.example", "content-type": "text/plain" },
        payload,
      });
      expect(r.statusCode, payload).toBe(400);
      expect(r.json().code).toBe("malformed_body");
    }
  });

  test("the snippet's clicks come only from http(s) pages of the program's site", async () => {
    const post = (origin: string) =>
      t.app.inject({
        method: "POST",
        url: "/v1/track/click",
        headers: { origin, "content-type": "text/plain" },
        payload: JSON.stringify({ slug: setup.partners[0]!.slug }),
      });
    for (const origin of ["javascript://acme.example", "file://acme.example"])
      expect((await post(origin)).statusCode, origin).toBe(403);
    expect((await post("https://acme.example")).statusCode).toBe(200);
  });
});

describe("links", () => {
  test("slugs of one to 64 characters, two included", async () => {
    const r = await owner.post("/v1/links", {
      enrollmentId: setup.partners[0]!.enrollmentId,
      slug: "ab",
      destinationUrl: "https://acme.example/",
    });
    expect(r.statusCode).toBe(201);
    expect((await click(t, "ab")).length).toBeGreaterThan(0);
  });

  test("the destination's length limit holds once it is percent-encoded", async () => {
    const r = await owner.post("/v1/links", {
      enrollmentId: setup.partners[0]!.enrollmentId,
      destinationUrl: `https://acme.example/${"é".repeat(600)}`,
    });
    expect(r.statusCode).toBe(422);
    expect(fieldsOf(r)).toEqual(["/destinationUrl"]);
  });
});
