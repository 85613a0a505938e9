import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type Agent, createTestApp, programBody, type TestApp } from "../helpers/test-app.js";

let t: TestApp;
let owner: Agent;
beforeAll(async () => {
  t = await createTestApp({ BODY_LIMIT_BYTES: "2048" });
  owner = await t.team("owner");
});
afterAll(() => t.close());

describe("errors are RFC 9457 problems", () => {
  test("unknown route", async () => {
    const r = await t.agent().get("/v1/nothing-here?x=1");
    expect(r.statusCode).toBe(404);
    expect(r.headers["content-type"]).toContain("application/problem+json");
    expect(r.json()).toEqual({
      type: "https://tributary.dev/problems/not-found",
      title: "Not found",
      status: 404,
      detail: "no route GET /v1/nothing-here",
      code: "not_found",
      instance: "/v1/nothing-here",
    });
  });

  test("malformed JSON is a 400", async () => {
    const r = await owner.request("POST", "/v1/programs", undefined, {
      payload: "{not json",
      headers: { "content-type": "application/json" },
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().code).toBe("malformed_body");
  });

  test("a body over the limit is a 413", async () => {
    const r = await owner.post("/v1/programs", { name: "x".repeat(5000) });
    expect(r.statusCode).toBe(413);
    expect(r.json().code).toBe("body_too_large");
  });

  test("a non-JSON body is a 415", async () => {
    const r = await owner.request("POST", "/v1/programs", undefined, {
      payload: "name=x",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(r.statusCode).toBe(415);
  });

  test("a number field sent empty (null) is required, not a type puzzle", async () => {
    const program = (await owner.post("/v1/programs", programBody())).json();
    const r = await owner.patch(`/v1/programs/${program.id}`, { timeDecayHalfLifeDays: null, cookieWindowDays: "x" });
    expect(r.statusCode).toBe(422);
    expect(r.json().errors).toEqual(
      expect.arrayContaining([
        { field: "/timeDecayHalfLifeDays", message: "is required" },
        { field: "/cookieWindowDays", message: "must be a whole number" },
      ]),
    );
  });

  test("validation lists every field at once", async () => {
    const r = await owner.post("/v1/programs", { name: "", slug: "-", type: "x", currency: "us" });
    expect(r.statusCode).toBe(422);
    const fields = r.json().errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(["/name", "/slug", "/type", "/currency"]));
  });

  test("an unexpected failure is a 500 problem without details", async () => {
    const broken = await createTestApp();
    try {
      const agent = await broken.team("owner");
      await broken.database.close();
      const r = await agent.get("/v1/programs");
      expect(r.statusCode).toBe(500);
      expect(r.json()).toMatchObject({
        status: 500,
        code: "internal",
        detail: "an unexpected error occurred; it has been logged",
      });
      expect(r.body).not.toMatch(/at .*\.ts|stack|pglite|closed/i);
    } finally {
      await broken.app.close();
    }
  });
});

describe("HTTP hardening", () => {
  test("security headers", async () => {
    const r = await t.agent().get("/health");
    expect(r.headers["x-content-type-options"]).toBe("nosniff");
    expect(r.headers["x-frame-options"]).toBe("SAMEORIGIN");
    expect(r.headers["content-security-policy"]).toContain("default-src 'self'");
    expect(r.headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  });

  test("CORS is closed by default", async () => {
    const r = await t
      .agent()
      .request("GET", "/v1/programs", undefined, { headers: { origin: "https://evil.example" } });
    expect(r.headers["access-control-allow-origin"]).toBeUndefined();
  });

  test("CORS opens only to configured origins", async () => {
    const open = await createTestApp({ CORS_ORIGINS: "https://admin.acme.example" });
    try {
      const ok = await open
        .agent()
        .request("GET", "/health", undefined, { headers: { origin: "https://admin.acme.example" } });
      expect(ok.headers["access-control-allow-origin"]).toBe("https://admin.acme.example");
      const other = await open
        .agent()
        .request("GET", "/health", undefined, { headers: { origin: "https://evil.example" } });
      expect(other.headers["access-control-allow-origin"]).toBeUndefined();
    } finally {
      await open.close();
    }
  });

  test("the OpenAPI document is generated from the route schemas", async () => {
    const doc = (await t.agent().get("/openapi.json")).json();
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.paths["/v1/programs"].post.requestBody.content["application/json"].schema.required).toEqual(
      expect.arrayContaining(["name", "slug", "type", "currency"]),
    );
    expect(Object.keys(doc.paths)).toContain("/v1/public/programs/{slug}/applications");
    expect((await t.agent().get("/docs")).statusCode).toBeLessThan(400);
  });
});
