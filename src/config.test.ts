import { describe, expect, test } from "vitest";
import { ConfigError, loadConfig } from "./config.js";

describe("loadConfig", () => {
  test("defaults", () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      PORT: 3000,
      HOST: "0.0.0.0",
      DATA_DIR: "./data",
      LOG_LEVEL: "info",
      TRUST_PROXY: false,
      CORS_ORIGINS: [],
    });
    expect(c.DATABASE_URL).toBeUndefined();
  });

  test("parses values", () => {
    const c = loadConfig({
      PORT: "8080",
      TRUST_PROXY: "true",
      CORS_ORIGINS: "https://a.example, https://b.example",
      DATABASE_URL: "postgres://u@h/db",
    });
    expect(c).toMatchObject({
      PORT: 8080,
      TRUST_PROXY: true,
      CORS_ORIGINS: ["https://a.example", "https://b.example"],
      DATABASE_URL: "postgres://u@h/db",
    });
  });

  test("secrets are named but never echoed", () => {
    expect(() => loadConfig({ DATABASE_URL: "mysql://user:hunter2@db/x" })).toThrow(/^invalid DATABASE_URL: /);
    expect(() => loadConfig({ DATABASE_URL: "mysql://user:hunter2@db/x" })).not.toThrow(/hunter2/);
  });

  test("payout keys and Stripe: parsed, validated, never echoed", () => {
    const key = Buffer.alloc(32, 9).toString("base64");
    const c = loadConfig({
      PAYOUT_ENCRYPTION_KEYS: `new:${key}, old:${key}`,
      STRIPE_SECRET_KEY: "sk_test_abc123",
      STRIPE_API_BASE: "http://127.0.0.1:12111",
    });
    expect(c.PAYOUT_ENCRYPTION_KEYS?.map((k) => k.id)).toEqual(["new", "old"]);
    expect(c.STRIPE_API_BASE).toBe("http://127.0.0.1:12111");
    expect(() => loadConfig({ PAYOUT_ENCRYPTION_KEYS: "a:c2VjcmV0" })).toThrow(/^invalid PAYOUT_ENCRYPTION_KEYS: /);
    expect(() => loadConfig({ PAYOUT_ENCRYPTION_KEYS: "a:c2VjcmV0" })).not.toThrow(/c2VjcmV0/);
    expect(() => loadConfig({ STRIPE_SECRET_KEY: "pk_live_x" })).toThrow(/^invalid STRIPE_SECRET_KEY: expected/);
    expect(() => loadConfig({ STRIPE_API_BASE: "not a url" })).toThrow(/STRIPE_API_BASE/);
    const stripeKey = { STRIPE_SECRET_KEY: "sk_test_abc123" };
    expect(loadConfig({ ...stripeKey, STRIPE_WEBHOOK_SECRET: "whsec_abc123" }).STRIPE_WEBHOOK_SECRET).toEqual([
      "whsec_abc123",
    ]);
    // The platform endpoint's secret and the connected accounts' endpoint's secret.
    expect(
      loadConfig({ ...stripeKey, STRIPE_WEBHOOK_SECRET: "whsec_platform1, whsec_connect2" }).STRIPE_WEBHOOK_SECRET,
    ).toEqual(["whsec_platform1", "whsec_connect2"]);
    for (const bad of ["sk_test_oops", "whsec_fine,sk_test_oops", "whsec_fine,"]) {
      expect(() => loadConfig({ ...stripeKey, STRIPE_WEBHOOK_SECRET: bad })).toThrow(
        /^invalid STRIPE_WEBHOOK_SECRET: expected/,
      );
      expect(() => loadConfig({ ...stripeKey, STRIPE_WEBHOOK_SECRET: bad })).not.toThrow(/oops|fine/);
    }
    expect(() => loadConfig({ STRIPE_WEBHOOK_SECRET: "whsec_abc123" })).toThrow(
      /^invalid STRIPE_WEBHOOK_SECRET: needs STRIPE_SECRET_KEY/,
    );
  });

  test("empty values count as unset", () => {
    expect(loadConfig({ PORT: "", DATABASE_URL: "" }).PORT).toBe(3000);
  });

  test.each([
    ["PORT", "eighty", 'invalid PORT="eighty": expected a port number'],
    ["PORT", "70000", 'invalid PORT="70000"'],
    ["DATABASE_URL", "mysql://x", "invalid DATABASE_URL: expected a postgres:// or postgresql:// URL"],
    ["TRUST_PROXY", "maybe", 'invalid TRUST_PROXY="maybe": expected true or false'],
    ["PUBLIC_URL", "example.com", 'invalid PUBLIC_URL="example.com": expected an absolute http(s) URL'],
    ["COOKIE_SECRET", "short", "invalid COOKIE_SECRET: expected at least 32 characters"],
  ])("%s=%s is refused with one line naming it", (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });
});
