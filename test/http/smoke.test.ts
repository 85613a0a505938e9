import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createTestApp, type TestApp } from "../helpers/test-app.js";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe("smoke", () => {
  test("health", async () => {
    const r = await t.agent().get("/health");
    expect(r.statusCode).toBe(200);
    expect(r.json().status).toBe("ok");
  });
});
