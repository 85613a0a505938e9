import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { auditLog, programs } from "../../src/db/schema/index.js";
import { type Agent, createTestApp, programBody, type TestApp } from "../helpers/test-app.js";

let t: TestApp;
let owner: Agent;
beforeAll(async () => {
  t = await createTestApp();
  owner = await t.team("owner");
});
afterAll(() => t.close());

const count = async (table: typeof programs | typeof auditLog) => (await t.database.db.select().from(table)).length;

describe("programs", () => {
  test("create, read, list with counts, update", async () => {
    const created = await owner.post(
      "/v1/programs",
      programBody({ slug: "acme-partners", allowedDomains: ["ACME.example", "acme.example."] }),
    );
    expect(created.statusCode).toBe(201);
    const p = created.json();
    expect(p).toMatchObject({
      slug: "acme-partners",
      status: "active",
      termsVersion: 1,
      allowedDomains: ["acme.example"],
      applyUrl: "/apply/acme-partners",
    });
    expect(p.id).toMatch(/^prg_[0-9a-z]{26}$/);
    expect(p.applicationQuestions).toHaveLength(2);
    expect(p.applicationQuestions[0].id).toMatch(/^q_/);

    expect((await owner.get(`/v1/programs/${p.id}`)).json().name).toBe("Acme Affiliates");
    const listed = (await owner.get("/v1/programs")).json().items.find((x: { id: string }) => x.id === p.id);
    expect(listed.enrollmentCounts).toEqual({});

    const updated = await owner.patch(`/v1/programs/${p.id}`, { name: "Acme Partners", cookieWindowDays: 60 });
    expect(updated.json()).toMatchObject({ name: "Acme Partners", cookieWindowDays: 60, termsVersion: 1 });
  });

  test("payout settings: defaults, create, update, validation, audit", async () => {
    const plain = (await owner.post("/v1/programs", programBody())).json();
    expect(plain).toMatchObject({ payoutSchedule: "monthly", payoutMinimum: 0, requireTaxForm: false });
    const p = (
      await owner.post(
        "/v1/programs",
        programBody({ payoutSchedule: "net_30", payoutMinimum: 5_000, requireTaxForm: true }),
      )
    ).json();
    expect(p).toMatchObject({ payoutSchedule: "net_30", payoutMinimum: 5_000, requireTaxForm: true });
    const updated = await owner.patch(`/v1/programs/${p.id}`, { payoutSchedule: "net_60", payoutMinimum: 2_500 });
    expect(updated.json()).toMatchObject({ payoutSchedule: "net_60", payoutMinimum: 2_500, requireTaxForm: true });
    const audit = await t.database.db.select().from(auditLog);
    const change = audit.find((a) => a.entityId === p.id && a.action === "program.update");
    expect(change?.after).toMatchObject({ payoutMinimumMinor: "2500", payoutSchedule: "net_60" });

    const bad = await owner.patch(`/v1/programs/${p.id}`, { payoutSchedule: "weekly", payoutMinimum: -1 });
    expect(bad.statusCode).toBe(422);
    expect(
      bad
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(["/payoutMinimum", "/payoutSchedule"]);
    expect((await owner.get(`/v1/programs/${p.id}`)).json().payoutMinimum).toBe(2_500);
  });

  test("a program can be in any current ISO 4217 currency, VED and CLF included", async () => {
    for (const currency of ["VED", "CLF"]) {
      const r = await owner.post("/v1/programs", programBody({ slug: `in-${currency.toLowerCase()}`, currency }));
      expect(r.statusCode).toBe(201);
      expect(r.json().currency).toBe(currency);
    }
  });

  test("an IPv4 address is an allowed domain that matches only itself", async () => {
    const p = (
      await owner.post(
        "/v1/programs",
        programBody({ allowedDomains: ["10.0.0.5"], defaultLandingUrl: "http://10.0.0.5:8080/" }),
      )
    ).json();
    expect(p.allowedDomains).toEqual(["10.0.0.5"]);
    expect((await owner.post("/v1/programs", programBody({ allowedDomains: ["999.1.1.1"] }))).statusCode).toBe(422);
  });

  test("without allowed domains, the landing page's domain is allowed", async () => {
    const p = (
      await owner.post(
        "/v1/programs",
        programBody({ allowedDomains: undefined, defaultLandingUrl: "https://shop.acme.example/start" }),
      )
    ).json();
    expect(p.allowedDomains).toEqual(["shop.acme.example"]);
  });

  test("new terms text publishes a new terms version; the same text does not", async () => {
    const p = (await owner.post("/v1/programs", programBody())).json();
    expect(
      (await owner.patch(`/v1/programs/${p.id}`, { termsText: p.termsText ?? "Be honest. No brand bidding." })).json()
        .termsVersion,
    ).toBe(1);
    expect((await owner.patch(`/v1/programs/${p.id}`, { termsText: "New terms" })).json().termsVersion).toBe(2);
  });

  test("editing questions keeps the ids of questions it keeps", async () => {
    const p = (await owner.post("/v1/programs", programBody())).json();
    const [first] = p.applicationQuestions;
    const r = await owner.patch(`/v1/programs/${p.id}`, {
      applicationQuestions: [
        { ...first, label: "Main channel" },
        { label: "Why us?", type: "long_text", required: true },
      ],
    });
    const qs = r.json().applicationQuestions;
    expect(qs[0]).toMatchObject({ id: first.id, label: "Main channel" });
    expect(qs[1].id).not.toBe(first.id);
  });

  test.each([
    [{ slug: "Bad Slug" }, "/slug"],
    [{ currency: "usd" }, "/currency"],
    [{ currency: "XYZ" }, "/currency"],
    [{ currency: "XTS" }, "/currency"],
    [{ type: "pyramid" }, "/type"],
    [{ cookieWindowDays: 0 }, "/cookieWindowDays"],
    [{ allowedDomains: ["https://acme.example/path"] }, "/allowedDomains/0"],
    [{ defaultLandingUrl: "https://evil.example/" }, "/defaultLandingUrl"],
    [{ defaultLandingUrl: "javascript:alert(1)" }, "/defaultLandingUrl"],
    [{ applicationQuestions: [{ label: "Pick", type: "select", required: true }] }, "/applicationQuestions/0/options"],
    [{ applicationQuestions: [{ label: "x", type: "colour", required: true }] }, "/applicationQuestions/0/type"],
    [{ surprise: true }, "/surprise"],
  ])("%j is a 422 naming %s and writes nothing", async (overrides, field) => {
    const [programsBefore, auditBefore] = [await count(programs), await count(auditLog)];
    const r = await owner.post("/v1/programs", programBody(overrides));
    expect(r.statusCode).toBe(422);
    expect(r.headers["content-type"]).toContain("application/problem+json");
    expect(r.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    expect([await count(programs), await count(auditLog)]).toEqual([programsBefore, auditBefore]);
  });

  test("a missing required field is named", async () => {
    const r = await owner.post("/v1/programs", { name: "No slug", type: "affiliate", currency: "USD" });
    expect(r.json().errors).toContainEqual({ field: "/slug", message: "is required" });
  });

  test("a UTM parameter without a value is named, not dropped", async () => {
    const p = (await owner.post("/v1/programs", programBody())).json();
    const r = await owner.patch(`/v1/programs/${p.id}`, { utmParams: { utm_source: "partners", utm_medium: "" } });
    expect(r.statusCode).toBe(422);
    expect(r.json().errors).toEqual([{ field: "/utmParams/utm_medium", message: "must not be empty" }]);
  });

  test("a UTM parameter name that is not one (spaces, &, empty, 200,000 characters) is a 422 naming it", async () => {
    const p = (await owner.post("/v1/programs", programBody())).json();
    const r = await owner.patch(`/v1/programs/${p.id}`, {
      utmParams: { utm_source: "partners", "UTM Source&x": "x", "": "empty", [`k${"k".repeat(200_000)}`]: "x" },
    });
    expect(r.statusCode).toBe(422);
    const message =
      "is not an allowed name (a parameter name: 1–41 lower-case letters, digits or _, starting with a letter)";
    expect(r.json().errors).toEqual([
      { field: "/utmParams/UTM Source&x", message },
      { field: "/utmParams/", message },
      { field: `/utmParams/k${"k".repeat(200_000)}`, message },
    ]);
    expect((await owner.get(`/v1/programs/${p.id}`)).json().utmParams).toEqual(p.utmParams);
  });

  test("a duplicate slug is a 409 naming the slug", async () => {
    await owner.post("/v1/programs", programBody({ slug: "taken" }));
    const r = await owner.post("/v1/programs", programBody({ slug: "taken" }));
    expect(r.statusCode).toBe(409);
    expect(r.json().errors).toEqual([
      { field: "/slug", message: 'the slug "taken" is already used by another program' },
    ]);
  });

  test("updating an unknown program is a 404 problem", async () => {
    const r = await owner.patch("/v1/programs/prg_nope", { name: "x" });
    expect(r.statusCode).toBe(404);
    expect(r.json()).toMatchObject({ status: 404, code: "not_found" });
  });

  test("only active programs are public", async () => {
    const p = (await owner.post("/v1/programs", programBody({ status: "draft" }))).json();
    expect((await t.agent().get(`/v1/public/programs/${p.slug}`)).statusCode).toBe(404);
    await owner.patch(`/v1/programs/${p.id}`, { status: "active" });
    const pub = await t.agent().get(`/v1/public/programs/${p.slug}`);
    expect(pub.statusCode).toBe(200);
    expect(Object.keys(pub.json()).sort()).toEqual(
      [
        "applicationQuestions",
        "cookieWindowDays",
        "currency",
        "description",
        "name",
        "slug",
        "termsText",
        "termsVersion",
        "type",
      ].sort(),
    );
  });
});
