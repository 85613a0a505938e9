import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { clicks, commissionEntries, fraudReviews } from "../../src/db/schema/index.js";
import { recordClickLanding } from "../../src/domain/fraud/record-click-landing.js";
import { runFraudSweep } from "../../src/domain/fraud/run-fraud-sweep.js";
import { signClickId, verifyClickId } from "../../src/domain/tracking/click-id.js";
import { type Agent, createTestApp, type TestApp } from "../helpers/test-app.js";
import { CHROME, click, decisionsOf, type FraudSetup, nextOrder, programWithPartners } from "./fraud-fixtures.js";

let t: TestApp;
let owner: Agent;
let api: Agent;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

beforeAll(async () => {
  t = await createTestApp({ CLICK_DURABILITY: "sync" });
  owner = await t.team("owner");
  api = t.agent();
  api.bearer = (await owner.post("/v1/api-keys", { name: "billing", scopes: ["track:write"] })).json().secret;
});
afterAll(() => t.close());

async function setup(count: number, rules: Record<string, unknown>): Promise<FraudSetup> {
  // Tests move the clock by days: a fresh console session keeps the arrangement independent of that.
  owner = await t.team("owner");
  const s = await programWithPartners(t, owner, count);
  const plan = await owner.post(`/v1/programs/${s.program.id}/plans`, {
    name: "Plan",
    scope: "program",
    definition: { rules: [{ id: "r", name: "10%", event: "sale", reward: { type: "percent", bps: 1_000 } }] },
  });
  expect(plan.statusCode, plan.body).toBe(201);
  for (const [rule, thresholds] of Object.entries(rules)) {
    const r = await owner.request("PATCH", `/v1/programs/${s.program.id}/fraud-rules/${rule}`, { thresholds });
    expect(r.statusCode, r.body).toBe(200);
  }
  return s;
}

async function sale(s: FraudSetup, clickId: string | undefined, extra: Record<string, unknown> = {}) {
  const r = await api.post("/v1/track/sale", {
    programId: s.program.id,
    orderId: nextOrder(),
    amount: 10_000,
    currency: "USD",
    customerExternalId: `c-${nextOrder()}`,
    ...(clickId ? { clickId } : {}),
    ...extra,
  });
  expect(r.statusCode, r.body).toBe(201);
  return r.json<{ id: string }>().id;
}

const rulesOf = async (id: string) => (await decisionsOf(t, id)).map((d) => d.rule);
const sweep = (s: FraudSetup) => runFraudSweep({ db: t.database.db, clock: t.clock }, { programId: s.program.id });
const entriesOf = (ids: string[]) =>
  t.database.db.select().from(commissionEntries).where(inArray(commissionEntries.conversionId, ids));

describe("click spamming", () => {
  test("a partner whose conversions mostly come days after the click is held, commissions included; a normal partner is not", async () => {
    const s = await setup(2, { click_spamming: { minConversions: 5 } });
    const spam: string[] = [];
    const normal: string[] = [];
    for (let i = 0; i < 6; i++) {
      const a = await click(t, s.partners[0]!.slug);
      const b = await click(t, s.partners[1]!.slug);
      t.clock.advance(2 * HOUR);
      normal.push(await sale(s, b));
      t.clock.advance(46 * HOUR);
      spam.push(await sale(s, a));
    }
    await t.app.commissions.drain();
    expect((await entriesOf(spam)).map((e) => e.status)).toEqual(Array(6).fill("pending"));
    const result = await sweep(s);
    expect(result.decisions.click_spamming).toBe(6);
    for (const id of spam) expect(await rulesOf(id)).toContain("click_spamming");
    for (const id of normal) expect(await rulesOf(id)).not.toContain("click_spamming");
    const [decision] = (await decisionsOf(t, spam[0]!)).filter((d) => d.rule === "click_spamming");
    expect(decision!.evidence).toMatchObject({ lateConversions: 6, conversions: 6, lateShare: 1, maxLateShare: 0.6 });
    const entries = await entriesOf(spam);
    expect(entries.map((e) => [e.status, e.statusReason])).toEqual(Array(6).fill(["held", "fraud review"]));
    expect((await entriesOf(normal)).every((e) => e.status === "pending")).toBe(true);
    // Running again decides nothing twice.
    expect((await sweep(s)).decisions.click_spamming).toBeUndefined();
  });

  test("a trial business: signups soon after the click, invoices weeks later with the click id, is not click spamming", async () => {
    const s = await setup(1, { click_spamming: { minConversions: 5 } });
    const customers: { id: string; clickId: string }[] = [];
    for (let i = 0; i < 6; i++) {
      const clickId = await click(t, s.partners[0]!.slug);
      t.clock.advance(20 * MINUTE);
      const id = `trial-${nextOrder()}`;
      const lead = await api.post("/v1/track/lead", {
        programId: s.program.id,
        customerExternalId: id,
        clickId,
        email: `${id}@customer.example`,
        userAgent: CHROME,
      });
      expect(lead.statusCode, lead.body).toBe(201);
      customers.push({ id, clickId });
    }
    // The 14-day trials end; the billing system sends each first invoice with the click id it kept at signup.
    t.clock.advance(14 * 24 * HOUR);
    for (const c of customers) await sale(s, c.clickId, { customerExternalId: c.id });
    // And an add-on a week later: two of every three conversions are weeks after the click, all of them honest.
    t.clock.advance(7 * 24 * HOUR);
    for (const c of customers) await sale(s, c.clickId, { customerExternalId: c.id });
    expect((await sweep(s)).decisions.click_spamming).toBeUndefined();
  });
});

describe("cookie stuffing", () => {
  test("a conversion whose click came in a burst without a referrer is held; a click with a referrer is not", async () => {
    const s = await setup(2, { cookie_stuffing: { burstClicks: 10, burstMinutes: 5 } });
    const burst: string[] = [];
    for (let i = 0; i < 12; i++) {
      burst.push(await click(t, s.partners[0]!.slug, { "x-forwarded-for": `10.0.0.${i}` }));
      t.clock.advance(5_000);
    }
    const referred: string[] = [];
    for (let i = 0; i < 12; i++) {
      referred.push(await click(t, s.partners[1]!.slug, { referer: "https://blog.example/review" }));
      t.clock.advance(5_000);
    }
    t.clock.advance(2 * HOUR);
    const stuffed = await sale(s, burst[5]);
    const honest = await sale(s, referred[5]);
    expect((await sweep(s)).decisions.cookie_stuffing).toBeUndefined();
    t.clock.advance(25 * HOUR);
    await sweep(s);
    const [decision] = await decisionsOf(t, stuffed);
    expect(decision).toMatchObject({ rule: "cookie_stuffing", action: "hold" });
    expect(decision!.evidence).toMatchObject({ signal: "burst", clicksWithoutReferrer: 12, burstClicks: 10 });
    expect(await rulesOf(honest)).toEqual([]);
  });

  test("a partner whose redirect clicks almost never reach a page with the snippet is held, where the snippet is installed", async () => {
    const s = await setup(2, { cookie_stuffing: { minClicks: 20 } });
    // Partner 1's visitors land: the snippet on the vendor's page confirms the click id (one through the route).
    const landedIds: string[] = [];
    for (let i = 0; i < 110; i++) landedIds.push(await click(t, s.partners[1]!.slug, {}, `10.1.0.${i + 1}`));
    const viaSnippet = await t.app.inject({
      method: "POST",
      url: "/v1/track/click",
      headers: { origin: "https://acme.example", "content-type": "text/plain" },
      payload: JSON.stringify({ clickId: landedIds[0] }),
    });
    expect(viaSnippet.statusCode, viaSnippet.body).toBe(200);
    for (const id of landedIds.slice(1)) {
      const verified = verifyClickId(t.app.tracking.keys, id);
      if (!verified.ok) throw new Error("bad click id");
      await recordClickLanding(t.database.db, verified.claims, t.clock.now());
    }
    const unlanded: string[] = [];
    for (let i = 0; i < 25; i++) {
      unlanded.push(await click(t, s.partners[0]!.slug, { referer: "https://x.example" }, `10.2.0.${i + 1}`));
    }
    t.clock.advance(HOUR);
    const suspicious = await sale(s, unlanded[3]);
    const fine = await sale(s, landedIds[3]);
    await sweep(s);
    const [decision] = await decisionsOf(t, suspicious);
    expect(decision).toMatchObject({ rule: "cookie_stuffing" });
    expect(decision!.evidence).toMatchObject({ signal: "no_page_activity", redirectClicks: 25, landed: 0 });
    expect(await rulesOf(fine)).toEqual([]);
  });
});

describe("conversion-rate outliers", () => {
  test("a partner converting ten times the others' rate is flagged; the others are not", async () => {
    const s = await setup(6, { conversion_rate_outlier: { minClicks: 10, minPartners: 3 } });
    const conversions = new Map<number, string[]>();
    for (const [i, partner] of s.partners.entries()) {
      const ids: string[] = [];
      for (let k = 0; k < 12; k++) ids.push(await click(t, partner.slug));
      t.clock.advance(HOUR);
      const sales = i === 0 ? 8 : 1;
      const made: string[] = [];
      for (let k = 0; k < sales; k++) made.push(await sale(s, ids[k]));
      conversions.set(i, made);
    }
    await sweep(s);
    for (const id of conversions.get(0)!) {
      const [decision] = await decisionsOf(t, id);
      expect(decision).toMatchObject({ rule: "conversion_rate_outlier", action: "flag" });
      expect(decision!.evidence.zScore).toBeGreaterThan(3.5);
    }
    for (let i = 1; i < 6; i++) for (const id of conversions.get(i)!) expect(await rulesOf(id)).toEqual([]);
  });
});

describe("velocity, again once the window has passed", () => {
  test("every conversion of a cluster over the limit is held, not only those after the limit", async () => {
    const s = await setup(1, {});
    const ip = "203.0.113.200";
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const c = await click(t, s.partners[0]!.slug);
      t.clock.advance(10 * MINUTE);
      ids.push(await sale(s, c, { ip, userAgent: CHROME }));
    }
    // One IP clicking the partner's links 25 times in half an hour (new click ids each time: other links, or
    // past the repeat window of one): the conversion from it is held once its window has passed.
    const flood: string[] = [];
    // Click IPs are hashed per UTC day: keep the flood inside one day.
    t.clock.set(new Date(Math.ceil(t.clock.now().getTime() / (24 * HOUR)) * 24 * HOUR + 12 * HOUR));
    for (let i = 0; i < 25; i++) {
      flood.push(await click(t, s.partners[0]!.slug, {}, "198.51.100.77"));
      t.clock.advance(70_000);
    }
    const flooded = await sale(s, flood[24], {});
    const few: string[] = [];
    for (let i = 0; i < 3; i++) {
      const c = await click(t, s.partners[0]!.slug);
      t.clock.advance(10 * MINUTE);
      few.push(await sale(s, c, { ip: "203.0.113.201", userAgent: CHROME }));
    }
    expect(await Promise.all(ids.map(rulesOf))).toEqual([[], [], [], ["velocity"]]);
    t.clock.advance(25 * HOUR);
    await sweep(s);
    expect(await Promise.all(ids.map(rulesOf))).toEqual(Array(4).fill(["velocity"]));
    expect((await decisionsOf(t, ids[0]!))[0]!.source).toBe("sweep");
    expect(await Promise.all(few.map(rulesOf))).toEqual([[], [], []]);
    expect(await decisionsOf(t, flooded)).toMatchObject([
      { rule: "velocity", evidence: { clicksFromIp: 25, maxClicks: 20, clickWindowMinutes: 60 } },
    ]);
  });
});

describe("paid search", () => {
  /** A visit of the partner's link as an ad network opens it: with its click id appended. */
  const adClick = (s: FraudSetup, partner: number, query: string) => click(t, `${s.partners[partner]!.slug}?${query}`);

  test("a conversion whose credited click came from an ad is flagged with the ad's network, parameter and time; an organic one is not; money flows", async () => {
    const s = await setup(2, {});
    const viaGoogle = await adClick(s, 0, "gclid=Cj0KCQiA&gad_source=1");
    const viaBing = await adClick(s, 1, "msclkid=5f1c0e0a4b");
    const organic = await click(t, s.partners[0]!.slug, { referer: "https://www.google.com/" });
    const clickedAt = t.clock.now().toISOString();
    t.clock.advance(20 * MINUTE);
    const paid = await sale(s, viaGoogle);
    const paidBing = await sale(s, viaBing);
    const honest = await sale(s, organic);
    await t.app.commissions.drain();
    // Screening at ingestion does not read click rows: the sweep decides.
    expect(await rulesOf(paid)).toEqual([]);
    const result = await sweep(s);
    expect(result.decisions.paid_search).toBe(2);
    const [decision] = await decisionsOf(t, paid);
    expect(decision).toMatchObject({
      rule: "paid_search",
      action: "flag",
      source: "sweep",
      partnerId: s.partners[0]!.id,
    });
    expect(decision!.evidence).toEqual({
      detail: `the partner link was opened from a Google Ads click (gclid) on ${clickedAt.slice(0, 10)} ${clickedAt.slice(11, 16)} UTC`,
      adNetwork: "google_ads",
      adClickParam: "gclid",
      clickedAt,
      clickSource: "redirect",
      clickId: expect.stringMatching(/^clk_/),
    });
    expect((await decisionsOf(t, paidBing))[0]!.evidence).toMatchObject({
      adNetwork: "microsoft_ads",
      adClickParam: "msclkid",
    });
    expect(await rulesOf(honest)).toEqual([]);
    // A flag is a case for a manager, not a hold: the commission stays pending.
    const [review] = await t.database.db.select().from(fraudReviews).where(eq(fraudReviews.conversionId, paid));
    expect(review).toMatchObject({ action: "flag", status: "open", rules: ["paid_search"] });
    expect((await entriesOf([paid])).map((e) => e.status)).toEqual(["pending"]);
    // The review queue shows it with its evidence.
    const queue = (await owner.get(`/v1/fraud/review-queue?programId=${s.program.id}`)).json();
    const group = queue.partners.find((g: { partnerId: string }) => g.partnerId === s.partners[0]!.id);
    expect(group.rules).toEqual({ paid_search: 1 });
    expect(group.items[0].decisions[0]).toMatchObject({ rule: "paid_search", evidence: { adClickParam: "gclid" } });
    // Decided once: the next sweep adds nothing.
    expect((await sweep(s)).decisions.paid_search).toBeUndefined();
  });

  test("the program's settings apply: its action (hold), the networks it counts, and off", async () => {
    const s = await setup(1, { paid_search: { microsoftAds: false } });
    const r = await owner.request("PATCH", `/v1/programs/${s.program.id}/fraud-rules/paid_search`, { action: "hold" });
    expect(r.statusCode, r.body).toBe(200);
    const google = await adClick(s, 0, "gbraid=0AAAAADhb");
    const bing = await adClick(s, 0, "msclkid=5f1c0e0a4b");
    t.clock.advance(20 * MINUTE);
    const held = await sale(s, google);
    const notCounted = await sale(s, bing);
    await t.app.commissions.drain();
    await sweep(s);
    expect((await decisionsOf(t, held))[0]).toMatchObject({ rule: "paid_search", action: "hold" });
    expect((await entriesOf([held])).map((e) => e.status)).toEqual(["held"]);
    expect(await rulesOf(notCounted)).toEqual([]);

    const off = await owner.request("PATCH", `/v1/programs/${s.program.id}/fraud-rules/paid_search`, {
      enabled: false,
    });
    expect(off.statusCode, off.body).toBe(200);
    const later = await adClick(s, 0, "gclid=Cj0later");
    t.clock.advance(20 * MINUTE);
    const whileOff = await sale(s, later);
    await sweep(s);
    expect(await rulesOf(whileOff)).toEqual([]);
  });

  test("a ?via= click whose page came from an ad (the snippet names the parameter) is flagged too", async () => {
    const s = await setup(1, {});
    const r = await t.app.inject({
      method: "POST",
      url: "/v1/track/click",
      headers: { origin: "https://acme.example", "content-type": "text/plain", "user-agent": CHROME },
      payload: JSON.stringify({ slug: s.partners[0]!.slug, adClick: "wbraid" }),
    });
    expect(r.statusCode, r.body).toBe(200);
    t.clock.advance(20 * MINUTE);
    const id = await sale(s, r.json().clickId);
    await sweep(s);
    expect((await decisionsOf(t, id))[0]!.evidence).toMatchObject({
      adNetwork: "google_ads",
      adClickParam: "wbraid",
      clickSource: "snippet",
      detail: expect.stringMatching(/^the page of the \?via= click was opened from a Google Ads click \(wbraid\) on /),
    });
  });

  test("a click row written after the conversion was screened is still seen by a later sweep", async () => {
    const s = await setup(1, {});
    const at = t.clock.now();
    const partner = s.partners[0]!;
    const [link] = (await partner.agent.get("/v1/portal/links")).json().items;
    // A click id the redirect signed, whose row the click writer has not written yet.
    const { token, claims } = signClickId(t.app.tracking.keys, {
      programId: s.program.id,
      partnerId: partner.id,
      linkId: link.id,
      at,
    });
    t.clock.advance(20 * MINUTE);
    const id = await sale(s, token);
    await sweep(s);
    expect(await rulesOf(id)).toEqual([]);
    await t.database.db.insert(clicks).values({
      id: claims.clickRowId,
      programId: s.program.id,
      partnerId: partner.id,
      linkId: link.id,
      at,
      source: "redirect",
      adNetwork: "yandex_or_yahoo_japan",
      adClickParam: "yclid",
    });
    t.clock.advance(30 * MINUTE);
    await sweep(s);
    expect((await decisionsOf(t, id))[0]).toMatchObject({
      rule: "paid_search",
      evidence: { adNetwork: "yandex_or_yahoo_japan", adClickParam: "yclid" },
    });
  });
});

describe("holds reach entries created after the decision", () => {
  test("entries created while a case was being opened (a race with the engine) are moved to held by the next sweep", async () => {
    const s = await setup(1, {});
    const c = await click(t, s.partners[0]!.slug);
    t.clock.advance(HOUR);
    const id = await sale(s, c);
    await t.app.commissions.drain();
    const pending = await t.database.db.select().from(commissionEntries).where(eq(commissionEntries.conversionId, id));
    expect(pending.map((e) => e.status)).toEqual(["pending"]);
    // A hold committed just after the engine read the cases (as a concurrent sweep or report could).
    await t.database.db.insert(fraudReviews).values({
      conversionId: id,
      programId: s.program.id,
      partnerId: s.partners[0]!.id,
      action: "hold",
      status: "open",
      rules: ["manual_report"],
      openedAt: t.clock.now(),
      updatedAt: t.clock.now(),
    });
    await sweep(s);
    const entries = await t.database.db.select().from(commissionEntries).where(eq(commissionEntries.conversionId, id));
    expect(entries.map((e) => [e.status, e.statusReason])).toEqual([["held", "fraud review"]]);
  });
});
