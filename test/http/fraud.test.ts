import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { commissionEntries, enrollments } from "../../src/db/schema/index.js";
import { CHROME, click, type FraudSetup, nextOrder, programWithPartners } from "../fraud/fraud-fixtures.js";
import { type Agent, createTestApp, programBody, type TestApp } from "../helpers/test-app.js";

let t: TestApp;
let owner: Agent;
let api: Agent;
let s: FraudSetup;

const HOUR = 3_600_000;

beforeAll(async () => {
  t = await createTestApp();
  owner = await t.team("owner");
  api = t.agent();
  api.bearer = (await owner.post("/v1/api-keys", { name: "billing", scopes: ["track:write"] })).json().secret;
  s = await programWithPartners(t, owner, 3);
  const plan = await owner.post(`/v1/programs/${s.program.id}/plans`, {
    name: "Plan",
    scope: "program",
    definition: { rules: [{ id: "r", name: "10%", event: "sale", reward: { type: "percent", bps: 1_000 } }] },
  });
  expect(plan.statusCode, plan.body).toBe(201);
});
afterAll(() => t.close());

async function sale(partner: number, gapMs: number, extra: Record<string, unknown> = {}) {
  const clickId = await click(t, s.partners[partner]!.slug);
  t.clock.advance(gapMs);
  const r = await api.post("/v1/track/sale", {
    programId: s.program.id,
    orderId: nextOrder(),
    amount: 10_000,
    currency: "USD",
    clickId,
    customerExternalId: `c-${nextOrder()}`,
    ...extra,
  });
  expect(r.statusCode, r.body).toBe(201);
  return r.json<{ id: string; credits: unknown[] }>();
}

const entriesOf = (ids: string[]) =>
  t.database.db.select().from(commissionEntries).where(inArray(commissionEntries.conversionId, ids));

describe("rule settings", () => {
  test("every rule is listed with its defaults; bad input is a 422 naming the field", async () => {
    const list = await owner.get(`/v1/programs/${s.program.id}/fraud-rules`);
    expect(list.statusCode).toBe(200);
    const rules = list.json().items;
    expect(rules).toHaveLength(12);
    expect(rules.find((r: { rule: string }) => r.rule === "paid_search")).toMatchObject({
      when: "sweep",
      description: expect.stringContaining("paid ad"),
      enabled: true,
      action: "flag",
      thresholds: { googleAds: true, microsoftAds: true, googleDisplay: true, yandexOrYahooJapan: true },
    });
    expect(rules.find((r: { rule: string }) => r.rule === "click_injection")).toMatchObject({
      when: "ingestion",
      enabled: true,
      action: "hold",
      thresholds: { minSeconds: 15 },
      customized: false,
    });
    const url = `/v1/programs/${s.program.id}/fraud-rules`;
    const bad = await owner.request("PATCH", `${url}/click_injection`, { thresholds: { minSeconds: 0, nope: 1 } });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors).toEqual([
      { field: "/thresholds/minSeconds", message: "must be a whole number from 1 to 3600" },
      { field: "/thresholds/nope", message: expect.stringContaining("is not a threshold of click_injection") },
    ]);
    const action = await owner.request("PATCH", `${url}/velocity`, { action: "delete" });
    expect(action.statusCode).toBe(422);
    expect(action.json().errors[0].field).toBe("/action");
    expect((await owner.request("PATCH", `${url}/nonsense`, { enabled: false })).statusCode).toBe(422);
    expect((await owner.request("PATCH", `${url}/velocity`, {})).statusCode).toBe(422);
    expect((await owner.get("/v1/programs/prg_missing/fraud-rules")).statusCode).toBe(404);
    const changed = await owner.request("PATCH", `${url}/velocity`, { thresholds: { maxConversions: 5 } });
    expect(changed.json()).toMatchObject({ thresholds: { maxConversions: 5, windowMinutes: 1440 }, customized: true });
    const reset = await owner.request("PATCH", `${url}/velocity`, { resetToDefaults: true });
    expect(reset.json()).toMatchObject({ thresholds: { maxConversions: 3 }, customized: false });
  });
});

describe("rule settings: who changed each rule last, and when", () => {
  interface Listed {
    rule: string;
    customized: boolean;
    lastChanged: { at: string; actor: { type: string; name: string; email: string | null } } | null;
  }

  test("a team member by their name as it is now, an API key by its name; a reset counts; other programs' changes do not", async () => {
    // s.program's velocity was changed and reset above: a new program's rules are all untouched.
    const program = (await owner.post("/v1/programs", programBody())).json<{ id: string }>();
    const url = `/v1/programs/${program.id}/fraud-rules`;
    const listed = async () =>
      new Map((await owner.get(url)).json<{ items: Listed[] }>().items.map((r) => [r.rule, r]));
    expect([...(await listed()).values()].filter((r) => r.lastChanged !== null)).toEqual([]);

    const manager = await t.team("manager", "ada@rules.test");
    const me = (await manager.get("/v1/auth/me")).json<{ user: { id: string } }>().user;
    expect((await owner.patch(`/v1/team/users/${me.id}`, { name: "Ada Lovelace" })).statusCode).toBe(200);
    const byMember = await manager.request("PATCH", `${url}/click_injection`, { thresholds: { minSeconds: 30 } });
    expect(byMember.statusCode, byMember.body).toBe(200);
    const memberChange = {
      at: t.clock.now().toISOString(),
      actor: { type: "team", name: "Ada Lovelace", email: "ada@rules.test" },
    };
    // The PATCH answers with the change it made, as the list will say it.
    expect(byMember.json<Listed>().lastChanged).toEqual(memberChange);

    t.clock.advance(HOUR);
    const robot = t.agent();
    robot.bearer = (
      await owner.post("/v1/api-keys", { name: "Rules robot", scopes: ["fraud:read", "fraud:write"] })
    ).json().secret;
    expect((await robot.request("PATCH", `${url}/velocity`, { action: "reject" })).statusCode).toBe(200);
    t.clock.advance(HOUR);
    const reset = await robot.request("PATCH", `${url}/velocity`, { resetToDefaults: true });
    expect(reset.statusCode, reset.body).toBe(200);
    const keyChange = {
      at: t.clock.now().toISOString(),
      actor: { type: "api_key", name: "API key Rules robot", email: null },
    };
    expect(reset.json<Listed>().lastChanged).toEqual(keyChange);

    const rules = await listed();
    expect(rules.get("click_injection")).toMatchObject({ customized: true, lastChanged: memberChange });
    // The reset deleted the program's settings row; the audit log still says who reset it.
    expect(rules.get("velocity")).toMatchObject({ customized: false, lastChanged: keyChange });
    const changed = [...rules.values()].filter((r) => r.lastChanged !== null).map((r) => r.rule);
    expect(changed.sort()).toEqual(["click_injection", "velocity"]);
  });
});

describe("rule settings: every threshold and bad body is a 422 naming the field", () => {
  const url = () => `/v1/programs/${s.program.id}/fraud-rules`;

  test("each rule lists its threshold fields (type, bounds, choices) in the catalog's order", async () => {
    const rules: { rule: string; fields: { key: string }[]; thresholds: Record<string, unknown> }[] = (
      await owner.get(url())
    ).json().items;
    const velocity = rules.find((r) => r.rule === "velocity")!;
    expect(velocity.fields).toEqual([
      { key: "maxConversions", type: "integer", minimum: 1, maximum: 100_000, description: expect.any(String) },
      { key: "windowMinutes", type: "integer", minimum: 1, maximum: 43_200, description: "the window" },
      { key: "scope", type: "choice", options: ["partner", "program"], description: expect.any(String) },
      { key: "byIp", type: "boolean", description: "count by IP" },
      { key: "byDevice", type: "boolean", description: "count by device id" },
      { key: "maxClicks", type: "integer", minimum: 2, maximum: 1_000_000, description: expect.any(String) },
      { key: "clickWindowMinutes", type: "integer", minimum: 1, maximum: 1_440, description: expect.any(String) },
    ]);
    expect(rules.find((r) => r.rule === "click_spamming")!.fields[1]).toMatchObject({
      key: "maxLateShare",
      type: "number",
      minimum: 0,
      maximum: 1,
    });
    // The fields are the thresholds: a client that draws them draws every one.
    for (const rule of rules) expect(rule.fields.map((f) => f.key)).toEqual(Object.keys(rule.thresholds));
  });

  test("every threshold refuses a value out of its range or of the wrong type, by name", async () => {
    const rules: { rule: string; fields: { key: string; type: string; maximum?: number }[] }[] = (
      await owner.get(url())
    ).json().items;
    for (const { rule, fields } of rules) {
      for (const field of fields) {
        const bad = field.type === "boolean" ? "yes" : field.type === "choice" ? "everyone" : (field.maximum ?? 0) + 1;
        for (const value of [bad, null, { nested: 1 }]) {
          const r = await owner.request("PATCH", `${url()}/${rule}`, { thresholds: { [field.key]: value } });
          expect(r.statusCode, `${rule}.${field.key} = ${JSON.stringify(value)}`).toBe(422);
          expect(r.json().errors).toEqual([{ field: `/thresholds/${field.key}`, message: expect.any(String) }]);
        }
      }
    }
    // Nothing was written: every rule still has its defaults.
    const after: { customized: boolean }[] = (await owner.get(url())).json().items;
    expect(after.every((r) => !r.customized)).toBe(true);
  });

  test("names every object has (constructor, toString) are not thresholds", async () => {
    for (const key of ["constructor", "toString", "hasOwnProperty"]) {
      const r = await owner.request("PATCH", `${url()}/velocity`, { thresholds: { [key]: 1 } });
      expect(r.statusCode, key).toBe(422);
      expect(r.json().errors).toEqual([
        { field: `/thresholds/${key}`, message: expect.stringContaining("is not a threshold of velocity") },
      ]);
    }
  });

  test("a reset goes alone, an empty change is refused, and manual_report cannot be turned off", async () => {
    const both = await owner.request("PATCH", `${url()}/velocity`, { resetToDefaults: true, action: "reject" });
    expect(both.statusCode).toBe(422);
    expect(both.json().errors).toEqual([{ field: "/resetToDefaults", message: expect.stringContaining("alone") }]);
    const nothing = await owner.request("PATCH", `${url()}/velocity`, { resetToDefaults: false });
    expect(nothing.statusCode).toBe(422);
    expect(nothing.json().errors[0].message).toContain("nothing to change");
    const off = await owner.request("PATCH", `${url()}/manual_report`, { enabled: false });
    expect(off.statusCode).toBe(422);
    expect(off.json().errors).toEqual([
      { field: "/enabled", message: expect.stringContaining("cannot be turned off") },
    ]);
    const rules: { rule: string; customized: boolean; action: string }[] = (await owner.get(url())).json().items;
    expect(rules.filter((r) => r.customized)).toEqual([]);
  });

  test("a change and a reset are audited with the values before and after", async () => {
    const changed = await owner.request("PATCH", `${url()}/duplicate_order`, {
      action: "reject",
      thresholds: { windowMinutes: 30 },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    const reset = await owner.request("PATCH", `${url()}/duplicate_order`, { resetToDefaults: true });
    expect(reset.statusCode, reset.body).toBe(200);
    const log = (await owner.get("/v1/audit-log?entityType=fraud_rule&action=fraud_rule.update")).json().items;
    const mine = log.filter((e: { entityId: string }) => e.entityId === `${s.program.id}:duplicate_order`);
    expect(mine.slice(0, 2)).toMatchObject([
      {
        actorLabel: expect.any(String),
        programId: s.program.id,
        before: { action: "reject", thresholds: { windowMinutes: 30 } },
        after: { action: "hold", thresholds: { windowMinutes: 10 } },
      },
      {
        before: { enabled: true, action: "hold", thresholds: { windowMinutes: 10 } },
        after: { enabled: true, action: "reject", thresholds: { windowMinutes: 30 } },
      },
    ]);
  });
});

describe("review queue and review", () => {
  test("held and flagged conversions are grouped by partner with the evidence; approve releases, reject rejects", async () => {
    const heldA = await sale(0, 4_000);
    const heldB = await sale(0, 6_000);
    const flagged = await sale(1, HOUR, { email: "someone@mailinator.com" });
    await t.app.commissions.drain();
    // The commission engine asks fraudHoldsFor: a held conversion earns held entries.
    expect((await entriesOf([heldA.id, heldB.id])).map((e) => e.status)).toEqual(["held", "held"]);
    expect((await entriesOf([flagged.id])).map((e) => e.status)).toEqual(["pending"]);

    const queue = (await owner.get(`/v1/fraud/review-queue?programId=${s.program.id}`)).json();
    expect(queue.total).toBe(3);
    const [first, second] = queue.partners;
    expect(first).toMatchObject({ partnerId: s.partners[0]!.id, cases: 2, held: 2, rules: { click_injection: 2 } });
    expect(first.items[0].decisions[0]).toMatchObject({
      rule: "click_injection",
      action: "hold",
      source: "ingestion",
      evidence: { minSeconds: 15 },
    });
    expect(first.items[0].commission).toMatchObject({ amount: 1_000, currency: "USD", statuses: ["held"] });
    expect(second).toMatchObject({ partnerId: s.partners[1]!.id, cases: 1, held: 0, rules: { disposable_email: 1 } });

    const noReason = await owner.post("/v1/fraud/review", { action: "reject", conversionIds: [heldB.id] });
    expect(noReason.statusCode).toBe(422);
    expect(noReason.json().errors).toEqual([{ field: "/reason", message: "a reason is required to reject" }]);

    const approved = await owner.post("/v1/fraud/review", { action: "approve", conversionIds: [heldA.id, "cnv_nope"] });
    expect(approved.json()).toEqual({
      updated: [{ conversionId: heldA.id, status: "approved", entriesMoved: 1 }],
      skipped: [{ conversionId: "cnv_nope", reason: "no fraud case" }],
    });
    // Still inside the 30-day holding period: back to pending, not straight to approved.
    expect((await entriesOf([heldA.id]))[0]).toMatchObject({ status: "pending", statusReason: null });
    const rejected = await owner.post("/v1/fraud/review", {
      action: "reject",
      conversionIds: [heldB.id],
      reason: "same device as the partner's own sign-ins",
    });
    expect(rejected.json().updated).toEqual([{ conversionId: heldB.id, status: "rejected", entriesMoved: 1 }]);
    expect((await entriesOf([heldB.id]))[0]).toMatchObject({
      status: "rejected",
      statusReason: "rejected after fraud review",
    });
    const again = await owner.post("/v1/fraud/review", { action: "approve", conversionIds: [heldB.id] });
    expect(again.json().skipped).toEqual([{ conversionId: heldB.id, reason: "the case is already rejected" }]);
    const audit = (await owner.get("/v1/audit-log?action=fraud_case")).json();
    expect(audit.items.map((a: { action: string }) => a.action).sort()).toEqual([
      "fraud_case.approve",
      "fraud_case.reject",
    ]);
    // Each ledger entry the review moved is audited with the status it left and the one it took (the engine
    // created them held: no hold to audit).
    const moves = (await owner.get("/v1/audit-log?action=commission.")).json().items as {
      action: string;
      before: { status: string };
      after: { status: string };
    }[];
    expect(moves.map((m) => [m.action, m.before.status, m.after.status]).sort()).toEqual([
      ["commission.reject", "held", "rejected"],
      ["commission.release", "held", "pending"],
    ]);

    const one = (await owner.get(`/v1/fraud/cases/${heldB.id}`)).json();
    expect(one).toMatchObject({ status: "rejected", reason: "same device as the partner's own sign-ins" });

    // The partner sees the hold and the outcome, never the rule, the evidence or the reviewer's reason.
    const held = await sale(0, 2_000);
    const partner = s.partners[0]!.agent;
    const mine = (await partner.get("/v1/portal/conversions")).json().items;
    const review = (id: string) => mine.find((c: { id: string }) => c.id === id)?.review;
    expect([review(heldA.id), review(heldB.id), review(held.id)]).toEqual(["approved", "rejected", "on_hold"]);
    await t.app.commissions.drain();
    await owner.post("/v1/fraud/sweep", { programId: s.program.id });
    const earnings = await partner.get("/v1/portal/earnings");
    const statuses = earnings
      .json()
      .items.map((e: { status: string; statusReason: string | null }) => [e.status, e.statusReason]);
    expect(statuses).toContainEqual(["held", "on hold — under review"]);
    expect(statuses).toContainEqual(["rejected", "rejected after fraud review"]);
    for (const body of [JSON.stringify(mine), earnings.body, (await partner.get("/v1/portal/notices")).body]) {
      expect(body).not.toMatch(/click_injection|evidence|minSeconds|same device/);
    }
    // A flag is the team's business: money flows and the partner sees nothing.
    const flaggedPartner = (await s.partners[1]!.agent.get("/v1/portal/conversions")).json().items;
    expect(flaggedPartner.find((c: { id: string }) => c.id === flagged.id).review).toBeNull();
  });
});

describe("running the sweep now", () => {
  test("one program by id, or every one; a program that is not there is a 404 naming the field, not an empty sweep", async () => {
    const one = await owner.post("/v1/fraud/sweep", { programId: s.program.id });
    expect(one.statusCode).toBe(200);
    expect(one.json().programs).toBe(1);
    const every = await owner.post("/v1/fraud/sweep", {});
    expect(every.statusCode).toBe(200);
    expect(every.json().programs).toBeGreaterThanOrEqual(1);
    const missing = await owner.post("/v1/fraud/sweep", { programId: "prg_missing" });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({
      detail: "program prg_missing not found",
      errors: [{ field: "/programId", message: "no such program" }],
    });
    const empty = await owner.post("/v1/fraud/sweep", { programId: "" });
    expect(empty.statusCode).toBe(422);
    expect(empty.json().errors).toEqual([expect.objectContaining({ field: "/programId" })]);
  });
});

describe("manual reports", () => {
  test("a report with evidence is taken in; confirming it holds the partner's conversions of the period", async () => {
    const before = await sale(2, HOUR);
    const missing = await owner.post("/v1/fraud/reports", {
      partnerId: "ptn_missing",
      kind: "trademark_bidding",
      description: "bids on our brand",
      evidence: { urls: ["not a url"] },
    });
    expect(missing.statusCode).toBe(422);
    expect(missing.json().errors.map((e: { field: string }) => e.field)).toEqual(["/evidence/urls/0"]);
    const created = await owner.post("/v1/fraud/reports", {
      partnerId: s.partners[2]!.id,
      programId: s.program.id,
      kind: "trademark_bidding",
      description: "Google Ads on 'acme coupon' pointing to the partner's link",
      evidence: { urls: ["https://ads.example/screenshot.png"], keywords: ["acme coupon"] },
    });
    expect(created.statusCode, created.body).toBe(201);
    const report = created.json();
    expect(report).toMatchObject({
      status: "open",
      kind: "trademark_bidding",
      evidence: { keywords: ["acme coupon"] },
    });
    const dismissWithApply = await owner.post(`/v1/fraud/reports/${report.id}/resolve`, {
      outcome: "dismissed",
      resolution: "n/a",
      apply: { from: "2020-01-01T00:00:00Z", to: "2030-01-01T00:00:00Z" },
    });
    expect(dismissWithApply.json().errors).toEqual([
      { field: "/apply", message: "only a confirmed report decides conversions" },
    ]);
    await t.app.commissions.drain();
    const confirmed = await owner.post(`/v1/fraud/reports/${report.id}/resolve`, {
      outcome: "confirmed",
      resolution: "verified the ads",
      apply: { from: "2020-01-01T00:00:00Z", to: new Date(t.clock.now().getTime() + 60_000).toISOString() },
    });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json()).toMatchObject({ status: "confirmed", conversionsDecided: 1 });
    expect((await entriesOf([before.id]))[0]!.status).toBe("held");
    const c = (await owner.get(`/v1/fraud/cases/${before.id}`)).json();
    expect(c.decisions[0]).toMatchObject({
      rule: "manual_report",
      source: "report",
      evidence: { reportId: report.id },
    });
    const twice = await owner.post(`/v1/fraud/reports/${report.id}/resolve`, { outcome: "dismissed", resolution: "x" });
    expect(twice.statusCode).toBe(409);
  });
});

describe("partner actions", () => {
  test("the review queue says where each partner stands: suspended right after a suspension, active once reinstated", async () => {
    const partner = s.partners[1]!;
    await sale(1, 3_000);
    const standing = async () => {
      const queue = (
        await owner.get(`/v1/fraud/review-queue?programId=${s.program.id}&partnerId=${partner.id}`)
      ).json();
      return { standing: queue.partners[0].standing, warned: queue.partners[0].warnedAt !== null };
    };
    expect(await standing()).toEqual({ standing: "active", warned: false });
    const url = `/v1/partners/${partner.id}/actions`;
    expect((await owner.post(url, { kind: "warn", reason: "first notice" })).statusCode).toBe(201);
    expect((await owner.post(url, { kind: "suspend", reason: "investigating" })).statusCode).toBe(201);
    expect(await standing()).toEqual({ standing: "suspended", warned: true });
    expect((await owner.post(url, { kind: "reinstate", reason: "cleared" })).statusCode).toBe(201);
    expect(await standing()).toEqual({ standing: "active", warned: true });
  });
  test("warn, suspend, reinstate and ban: enrollments follow, the partner reads the message, a banned partner earns nothing", async () => {
    const partner = s.partners[2]!;
    const url = `/v1/partners/${partner.id}/actions`;
    const warned = await owner.post(url, {
      kind: "warn",
      reason: "brand bidding seen twice",
      message: "Please stop bidding on our brand name.",
    });
    expect(warned.statusCode, warned.body).toBe(201);
    expect((await owner.post(url, { kind: "suspend" })).json().errors[0].field).toBe("/reason");
    const suspended = await owner.post(url, { kind: "suspend", reason: "investigating", commissions: "hold" });
    expect(suspended.json()).toMatchObject({ kind: "suspend", enrollmentIds: [partner.enrollmentId] });
    const status = async () =>
      (await t.database.db.select().from(enrollments).where(eq(enrollments.id, partner.enrollmentId)))[0]!.status;
    expect(await status()).toBe("suspended");
    // The portal shows each enrollment's status reason: the standard notice, never the internal reason.
    const mine = (await partner.agent.get("/v1/portal/enrollments")).json();
    expect(JSON.stringify(mine)).not.toContain("investigating");
    expect(JSON.stringify(mine)).toContain("suspended while the program team reviews");
    expect((await owner.post(url, { kind: "reinstate", reason: "cleared" })).statusCode).toBe(201);
    expect(await status()).toBe("active");
    const clickedBefore = await click(t, partner.slug);
    const banned = await owner.post(url, { kind: "ban", reason: "confirmed trademark bidding" });
    expect(banned.json()).toMatchObject({ kind: "ban", enrollmentIds: [partner.enrollmentId] });
    expect(await status()).toBe("terminated");
    expect((await owner.post(url, { kind: "reinstate", reason: "oops" })).statusCode).toBe(409);
    t.clock.advance(HOUR);
    const after = await api.post("/v1/track/sale", {
      programId: s.program.id,
      orderId: nextOrder(),
      amount: 10_000,
      currency: "USD",
      clickId: clickedBefore,
      userAgent: CHROME,
    });
    expect(after.json()).toMatchObject({ attributed: false, credits: [] });
    // Banned everywhere: the partner cannot join another program, by applying or by a manager's hand.
    const other = (
      await owner.post("/v1/programs", {
        name: "Second program",
        slug: "second-program",
        type: "affiliate",
        currency: "USD",
        allowedDomains: ["acme.example"],
      })
    ).json();
    const applied = await partner.agent.post(`/v1/portal/programs/${other.slug}/applications`, { acceptTerms: true });
    expect(applied.statusCode, applied.body).toBe(409);
    expect(applied.json().detail).toContain("closed");
    const notices = (await partner.agent.get("/v1/portal/notices")).json().items;
    expect(notices.map((n: { kind: string }) => n.kind)).toEqual(["ban", "reinstate", "suspend", "warn"]);
    expect(notices[3].message).toBe("Please stop bidding on our brand name.");
    expect(JSON.stringify(notices)).not.toContain("brand bidding seen twice");
    const actions = (await owner.get(url)).json().items;
    expect(actions).toHaveLength(4);
    const audit = (await owner.get(`/v1/audit-log?action=partner.&partnerId=${partner.id}`)).json();
    expect(audit.items.map((a: { action: string }) => a.action)).toEqual(
      expect.arrayContaining(["partner.warn", "partner.suspend", "partner.reinstate", "partner.ban"]),
    );
    expect((await owner.post("/v1/partners/ptn_missing/actions", { kind: "warn", reason: "x" })).statusCode).toBe(404);
  });

  test("an action names a report only if it exists and is about that partner; nothing is written otherwise", async () => {
    const [reported, other] = [s.partners[0]!, s.partners[1]!];
    const report = (
      await owner.post("/v1/fraud/reports", {
        partnerId: reported.id,
        kind: "brand_misuse",
        description: "logo on a coupon site",
        evidence: { urls: ["https://coupons.example/acme"] },
      })
    ).json();
    const actionsOf = async (partnerId: string) => (await owner.get(`/v1/partners/${partnerId}/actions`)).json().items;
    const before = (await actionsOf(other.id)).length;
    for (const [partnerId, reportId, message] of [
      [other.id, "frp_missing", "report frp_missing not found"],
      [other.id, report.id, `report ${report.id} is about another partner`],
      [other.id, "", "must not be empty"],
    ] as const) {
      const refused = await owner.post(`/v1/partners/${partnerId}/actions`, {
        kind: "suspend",
        reason: "see report",
        reportId,
      });
      expect(refused.statusCode, refused.body).toBe(422);
      expect(refused.json().errors).toEqual([{ field: "/reportId", message }]);
    }
    expect(await actionsOf(other.id)).toHaveLength(before);
    const [enrollment] = await t.database.db.select().from(enrollments).where(eq(enrollments.id, other.enrollmentId));
    expect(enrollment!.status).toBe("active");
    const taken = await owner.post(`/v1/partners/${reported.id}/actions`, {
      kind: "warn",
      reason: "see report",
      reportId: report.id,
    });
    expect(taken.statusCode, taken.body).toBe(201);
    expect(taken.json().reportId).toBe(report.id);
  });
});
