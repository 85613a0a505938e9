import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { programs } from "../../src/db/schema/index.js";
import { recordConversions } from "../../src/domain/conversions/record-conversion.js";
import { type Agent, createTestApp, PASSWORD, type TestApp } from "../helpers/test-app.js";
import {
  CHROME,
  click,
  decisionsOf,
  type FraudSetup,
  nextOrder,
  programWithPartners,
  reviewOf,
  signInFrom,
} from "./fraud-fixtures.js";

let t: TestApp;
let owner: Agent;
let api: Agent;
let s: FraudSetup;

const MINUTE = 60_000;

beforeAll(async () => {
  t = await createTestApp();
  owner = await t.team("owner");
  api = t.agent();
  api.bearer = (await owner.post("/v1/api-keys", { name: "billing", scopes: ["track:write"] })).json().secret;
  s = await programWithPartners(t, owner, 2);
});
afterAll(() => t.close());

/**
 * A sale through partner `i`'s link, a minute after the click (well clear of click injection); `clickHeaders` are
 * the clicking browser's (its cookies), and the click row is written before the sale, as it is in real life.
 */
async function saleVia(
  i: number,
  extra: Record<string, unknown> = {},
  gapMs = MINUTE,
  clickHeaders: Record<string, string> = {},
) {
  const clickId = await click(t, s.partners[i]!.slug, clickHeaders);
  await t.app.tracking.writer.drain();
  t.clock.advance(gapMs);
  const r = await api.post("/v1/track/sale", {
    programId: s.program.id,
    orderId: nextOrder(),
    amount: 5_000,
    currency: "USD",
    clickId,
    customerExternalId: `cus-${nextOrder()}`,
    ...extra,
  });
  expect(r.statusCode, r.body).toBe(201);
  return r.json<{ id: string }>().id;
}

const rulesOf = async (conversionId: string) => (await decisionsOf(t, conversionId)).map((d) => d.rule);

describe("self-referral", () => {
  test("the customer's email is a portal user's email: held, with the evidence", async () => {
    const id = await saleVia(0, { email: s.partners[0]!.email.toUpperCase() });
    const [decision] = await decisionsOf(t, id);
    expect(decision).toMatchObject({ rule: "self_referral", action: "hold", partnerId: s.partners[0]!.id });
    expect(decision!.evidence.matches).toContain("customer email is a portal user's email");
    expect(await reviewOf(t, id)).toMatchObject({ status: "open", action: "hold", rules: ["self_referral"] });
  });

  test("a customer at the partner's own (non-free-mail) domain matches; a gmail.com customer does not", async () => {
    const domain = s.partners[0]!.email.split("@")[1];
    const own = await saleVia(0, { email: `colleague@${domain}` });
    expect((await decisionsOf(t, own))[0]!.evidence.matches).toEqual([
      `customer email domain ${domain} is a portal user's domain`,
    ]);
    expect(await rulesOf(await saleVia(0, { email: "someone.else@gmail.com" }))).toEqual([]);
  });

  test("the converting session's IP is one the partner signed in to the portal from", async () => {
    await signInFrom(t, s.partners[1]!.email, "203.0.113.77");
    const same = await saleVia(1, { ip: "203.0.113.77", userAgent: CHROME });
    expect((await decisionsOf(t, same))[0]!.evidence.matches).toEqual([
      "converting session IP is one the partner's users signed in to the portal from",
    ]);
    expect(await rulesOf(await saleVia(1, { ip: "198.51.100.9", userAgent: CHROME }))).toEqual([]);
    // Another partner's customer from that IP is not a self-referral of partner 0.
    expect(await rulesOf(await saleVia(0, { ip: "203.0.113.77", userAgent: CHROME }))).toEqual([]);
  });

  test("the credited click came from a browser the partner signs in to the portal with (Tributary's device cookie)", async () => {
    const browser = t.agent();
    const login = await browser.post("/v1/portal/auth/login", { email: s.partners[1]!.email, password: PASSWORD });
    expect(login.statusCode, login.body).toBe(200);
    const deviceId = browser.cookies.get("tributary_device");
    expect(deviceId).toBeDefined();
    // Signing in again keeps the browser's id (for another year) rather than replacing it.
    const again = await browser.post("/v1/portal/auth/login", { email: s.partners[1]!.email, password: PASSWORD });
    const refreshed = (again.cookies as { name: string; value: string; maxAge?: number }[]).find(
      (c) => c.name === "tributary_device",
    );
    expect(refreshed).toMatchObject({ value: deviceId, maxAge: 365 * 86_400 });
    const saleAfterClickFrom = (cookie: string | undefined, partner = 1) =>
      saleVia(
        partner,
        { email: `buyer.${nextOrder()}@gmail.com`, ip: "198.51.100.21", userAgent: CHROME },
        MINUTE,
        cookie ? { cookie } : {},
      );
    const own = await saleAfterClickFrom(`tributary_device=${deviceId}`);
    const [decision] = await decisionsOf(t, own);
    expect(decision).toMatchObject({ rule: "self_referral", action: "hold", partnerId: s.partners[1]!.id });
    expect(decision!.evidence.matches).toEqual([
      "the credited click came from a browser the partner's users signed in to the portal with",
    ]);
    // Another browser, or the same browser through partner 0's link, is not partner 1's self-referral.
    expect(await rulesOf(await saleAfterClickFrom(undefined))).toEqual([]);
    expect(await rulesOf(await saleAfterClickFrom(`tributary_device=${deviceId}`, 0))).toEqual([]);
    // The program can turn the device comparison off.
    const off = await owner.request("PATCH", `/v1/programs/${s.program.id}/fraud-rules/self_referral`, {
      thresholds: { matchDevice: false },
    });
    expect(off.statusCode, off.body).toBe(200);
    expect(await rulesOf(await saleAfterClickFrom(`tributary_device=${deviceId}`))).toEqual([]);
    await owner.request("PATCH", `/v1/programs/${s.program.id}/fraud-rules/self_referral`, {
      thresholds: { matchDevice: true },
    });
  });

  test("the customer's email is the partner's payout email", async () => {
    const method = { kind: "paypal", email: "treasury@payouts-example.org" };
    // Changing the payout method asks for the password.
    const put = await s.partners[1]!.agent.request("PUT", "/v1/portal/payout-method", {
      ...method,
      currentPassword: PASSWORD,
    });
    expect(put.statusCode, put.body).toBe(200);
    const id = await saleVia(1, { email: "Treasury@payouts-example.org" });
    expect((await decisionsOf(t, id))[0]!.evidence.matches).toContain("customer email is the payout email");
  });
});

describe("duplicates", () => {
  test("the same email as another partner's customer is flagged; the same partner's is not", async () => {
    await saleVia(0, { email: "twice@customer.example", customerExternalId: "dup-a" });
    const same = await saleVia(0, { email: "twice@customer.example", customerExternalId: "dup-b" });
    expect(await rulesOf(same)).toEqual([]);
    const other = await saleVia(1, { email: "twice@customer.example", customerExternalId: "dup-c" });
    const [decision] = await decisionsOf(t, other);
    expect(decision).toMatchObject({ rule: "duplicate_customer", action: "flag" });
    expect(decision!.evidence.otherPartnerIds).toEqual([s.partners[0]!.id]);
    expect(await reviewOf(t, other)).toMatchObject({ status: "open", action: "flag" });
  });

  test("a second order with the same customer and amount within 10 minutes is held; a different amount is not", async () => {
    await saleVia(0, { customerExternalId: "dup-order" });
    const again = await saleVia(0, { customerExternalId: "dup-order" });
    expect(await rulesOf(again)).toEqual(["duplicate_order"]);
    expect(await rulesOf(await saleVia(0, { customerExternalId: "dup-order", amount: 7_000 }))).toEqual([]);
    t.clock.advance(30 * MINUTE);
    expect(await rulesOf(await saleVia(0, { customerExternalId: "dup-order" }))).toEqual([]);
  });
});

describe("velocity", () => {
  test("a fourth conversion from one IP within a day is held; other IPs and other partners are not counted", async () => {
    const ip = "192.0.2.44";
    for (let i = 0; i < 3; i++) expect(await rulesOf(await saleVia(1, { ip, userAgent: CHROME }))).toEqual([]);
    expect(await rulesOf(await saleVia(0, { ip, userAgent: CHROME }))).toEqual([]);
    expect(await rulesOf(await saleVia(1, { ip: "192.0.2.45", userAgent: CHROME }))).toEqual([]);
    const fourth = await saleVia(1, { ip, userAgent: CHROME });
    const [decision] = await decisionsOf(t, fourth);
    expect(decision).toMatchObject({ rule: "velocity", action: "hold" });
    expect(decision!.evidence).toMatchObject({ conversionsFromIp: 4, maxConversions: 3, windowMinutes: 1440 });
    t.clock.advance(25 * 60 * MINUTE);
    expect(await rulesOf(await saleVia(1, { ip, userAgent: CHROME }))).toEqual([]);
  });

  test("sales stored in one transaction count each other as if screened one by one, in order", async () => {
    const ip = "192.0.2.77";
    const clickId = await click(t, s.partners[1]!.slug);
    t.clock.advance(MINUTE);
    const [program] = await t.database.db.select().from(programs).where(eq(programs.id, s.program.id));
    const now = t.clock.now();
    // Six customers: one round of one batch, screened by one statement.
    const requests = Array.from({ length: 6 }, (_, i) => ({
      program: program!,
      kind: "sale" as const,
      idempotencyKey: nextOrder(),
      customerExternalId: `cus-${nextOrder()}`,
      clickId,
      amountMinor: 5_000n,
      currency: "USD",
      ip,
      userAgent: CHROME,
      occurredAt: new Date(now.getTime() + i),
      receivedAt: now,
      caller: { clock: t.clock, actor: { type: "system" as const, label: "test" } },
    }));
    const recorded = await recordConversions(t.database.db, t.app.tracking.keys, requests);
    const decisions = await Promise.all(recorded.map((r) => decisionsOf(t, r.conversion.id)));
    expect(decisions.map((d) => d.map((x) => x.rule))).toEqual([[], [], [], ["velocity"], ["velocity"], ["velocity"]]);
    expect(decisions.slice(3).map((d) => d[0]!.evidence.conversionsFromIp)).toEqual([4, 5, 6]);
  });

  test("IPv6 addresses count by their /64 network; device ids count too", async () => {
    const device = "fp-abc-123";
    for (let i = 0; i < 3; i++) await saleVia(0, { ip: `2001:db8:1:2::${i + 1}`, userAgent: CHROME });
    expect(await rulesOf(await saleVia(0, { ip: "2001:db8:1:2:ffff::9", userAgent: CHROME }))).toEqual(["velocity"]);
    for (let i = 0; i < 3; i++) await saleVia(1, { deviceId: device });
    const [decision] = await decisionsOf(t, await saleVia(1, { deviceId: device }));
    expect(decision!.evidence).toMatchObject({ conversionsFromDevice: 4 });
  });
});

describe("timing and sessions", () => {
  test("a conversion 5 s after the click is click injection; 20 s after is not", async () => {
    const injected = await saleVia(0, {}, 5_000);
    expect(await decisionsOf(t, injected)).toMatchObject([
      { rule: "click_injection", action: "hold", evidence: { secondsAfterClick: 5, minSeconds: 15 } },
    ]);
    expect(await rulesOf(await saleVia(0, {}, 20_000))).toEqual([]);
  });

  test("a disposable email domain is flagged (maintained list); a company domain is not", async () => {
    expect(await decisionsOf(t, await saleVia(0, { email: "x@mailinator.com" }))).toMatchObject([
      { rule: "disposable_email", action: "flag", evidence: { domain: "mailinator.com" } },
    ]);
    expect(await rulesOf(await saleVia(0, { email: "buyer@acme-industries.example" }))).toEqual([]);
  });

  test("a bot user agent or a session without one is held; a browser is not; no session data is no signal", async () => {
    const bot = await saleVia(0, { ip: "198.51.100.21", userAgent: "Mozilla/5.0 (compatible; Googlebot/2.1)" });
    expect(await rulesOf(bot)).toEqual(["bot_user_agent"]);
    expect(await rulesOf(await saleVia(0, { ip: "198.51.100.22" }))).toEqual(["bot_user_agent"]);
    expect(await rulesOf(await saleVia(0, { ip: "198.51.100.23", userAgent: "" }))).toEqual(["bot_user_agent"]);
    expect(await rulesOf(await saleVia(0, { ip: "198.51.100.24", userAgent: CHROME }))).toEqual([]);
    expect(await rulesOf(await saleVia(0, {}))).toEqual([]);
  });
});

describe("per-program settings", () => {
  test("a disabled rule decides nothing; a changed action and threshold apply at once", async () => {
    const off = await owner.request("PATCH", `/v1/programs/${s.program.id}/fraud-rules/disposable_email`, {
      enabled: false,
    });
    expect(off.statusCode, off.body).toBe(200);
    expect(await rulesOf(await saleVia(0, { email: "y@mailinator.com" }))).toEqual([]);
    const strict = await owner.request("PATCH", `/v1/programs/${s.program.id}/fraud-rules/click_injection`, {
      action: "reject",
      thresholds: { minSeconds: 120 },
    });
    expect(strict.statusCode, strict.body).toBe(200);
    const id = await saleVia(0, {}, 90_000);
    expect(await decisionsOf(t, id)).toMatchObject([{ rule: "click_injection", action: "reject" }]);
    expect(await reviewOf(t, id)).toMatchObject({ status: "rejected", reviewedByLabel: "fraud rules" });
  });

  test("a rule reset to its defaults applies them to the next conversion", async () => {
    const url = `/v1/programs/${s.program.id}/fraud-rules/click_injection`;
    const strict = await owner.request("PATCH", url, { action: "flag", thresholds: { minSeconds: 120 } });
    expect(strict.statusCode, strict.body).toBe(200);
    expect(await decisionsOf(t, await saleVia(0, {}, 90_000))).toMatchObject([
      { rule: "click_injection", action: "flag" },
    ]);
    const reset = await owner.request("PATCH", url, { resetToDefaults: true });
    expect(reset.json()).toMatchObject({ action: "hold", thresholds: { minSeconds: 15 }, customized: false });
    // 90 s is believable again under the default 15 s; 5 s is held, the default action.
    expect(await rulesOf(await saleVia(0, {}, 90_000))).toEqual([]);
    expect(await decisionsOf(t, await saleVia(0, {}, 5_000))).toMatchObject([
      { rule: "click_injection", action: "hold" },
    ]);
  });

  test("an invalid IP is a 422 naming the field, and nothing is written", async () => {
    const r = await api.post("/v1/track/sale", {
      programId: s.program.id,
      orderId: "bad-ip",
      amount: 1,
      currency: "USD",
      customerExternalId: "c",
      ip: "not-an-ip",
    });
    expect(r.statusCode).toBe(422);
    expect(r.json().errors).toEqual([{ field: "/ip", message: expect.stringContaining("IPv4 or IPv6") }]);
  });
});
