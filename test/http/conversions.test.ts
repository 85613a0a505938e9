import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { conversionCredits, conversions, customers as customersTable } from "../../src/db/schema/index.js";
import { findProgramRef } from "../../src/domain/conversions/find-program-ref.js";
import { type ConversionRequest, recordConversions } from "../../src/domain/conversions/record-conversion.js";
import {
  programWithPartners as arrangeProgram,
  click as clickThrough,
  type ProgramSetup,
} from "../helpers/program-setup.js";
import { type Agent, apiKeyAgent, createTestApp, type TestApp } from "../helpers/test-app.js";

const DAY = 86_400_000;

let t: TestApp;
let owner: Agent;
let api: Agent;

type Setup = ProgramSetup;

// Tests move the clock by months; a fresh console session keeps the arrangement independent of that.
async function programWithPartners(overrides: Record<string, unknown>, count = 2): Promise<Setup> {
  owner = await t.team("owner");
  return arrangeProgram(t, owner, count, overrides);
}

const click = (slug: string) => clickThrough(t, slug);

let orders = 0;
const sale = (programId: string, extra: Record<string, unknown>) =>
  api.post("/v1/track/sale", { programId, orderId: `o-${++orders}`, amount: 10_000, currency: "USD", ...extra });

beforeAll(async () => {
  t = await createTestApp();
  owner = await t.team("owner");
  api = await apiKeyAgent(t, owner, ["track:write", "partners:read"]);
});
afterAll(() => t.close());

describe("sales", () => {
  test("a sale with a click id credits the clicking partner, partner-sourced, and explains why", async () => {
    const { program, partners } = await programWithPartners({});
    const clickId = await click(partners[0]!.slug);
    t.clock.advance(3 * DAY);
    const r = await sale(program.id, { clickId, customerExternalId: "cus_new_1", email: "Buyer@Example.com" });
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({
      kind: "sale",
      attributed: true,
      source: "partner_sourced",
      amount: 10_000,
      currency: "USD",
      customerExternalId: "cus_new_1",
      credits: [
        { partnerId: partners[0]!.id, enrollmentId: partners[0]!.enrollmentId, weightBps: 10_000, amount: 10_000 },
      ],
    });
    const why = (await api.get(`/v1/conversions/${r.json().id}/attribution`)).json();
    expect(why).toMatchObject({
      model: "last_click",
      attributed: true,
      touchpoints: [{ partnerId: partners[0]!.id, included: true, weightBps: 10_000, source: "click_id" }],
    });
    expect(why.summary).toContain("3 days before");
  });

  test("a retry with the same order id returns the first result and writes nothing", async () => {
    const { program, partners } = await programWithPartners({}, 1);
    const clickId = await click(partners[0]!.slug);
    const body = { programId: program.slug, orderId: "inv-2026-0042", amount: 4_999, currency: "EUR", clickId };
    const first = await api.post("/v1/track/sale", body);
    const count = (await t.database.db.select().from(conversions)).length;
    const again = await api.post("/v1/track/sale", body);
    expect(again.statusCode).toBe(200);
    expect(again.headers["idempotent-replayed"]).toBe("true");
    expect(again.json()).toEqual(first.json());
    // The same order id with another amount or currency is another sale under a reused key: refused, not lost.
    const reused = await api.post("/v1/track/sale", { ...body, amount: 1, currency: "USD" });
    expect(reused.statusCode).toBe(409);
    expect(reused.json().errors).toEqual([
      { field: "/orderId", message: "was recorded before with other details" },
      { field: "/amount", message: "was EUR 49.99 when inv-2026-0042 was first recorded" },
      { field: "/currency", message: "was EUR when inv-2026-0042 was first recorded" },
    ]);
    const concurrent = await Promise.all(
      Array.from({ length: 5 }, () => api.post("/v1/track/sale", { ...body, orderId: "inv-race" })),
    );
    expect(concurrent.filter((r) => r.statusCode === 201)).toHaveLength(1);
    expect(new Set(concurrent.map((r) => r.json().id)).size).toBe(1);
    expect((await t.database.db.select().from(conversions)).length).toBe(count + 1);
  });

  test("a tampered click id is simply unattributed, with the reason", async () => {
    const { program, partners } = await programWithPartners({}, 1);
    const clickId = await click(partners[0]!.slug);
    const tampered = `${clickId.slice(0, 10)}${clickId[10] === "A" ? "B" : "A"}${clickId.slice(11)}`;
    const r = await sale(program.id, { clickId: tampered });
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({ attributed: false, credits: [], source: null });
    const why = (await api.get(`/v1/conversions/${r.json().id}/attribution`)).json();
    expect(why.rejectedClickIds).toEqual([{ clickId: tampered, reason: "bad_signature" }]);
    // The explanation says why in the vendor's terms, not the engine's "no touchpoints".
    expect(why).toMatchObject({ reason: "rejected_click_id", couponCode: null });
    expect(why.summary).toMatch(/failed its signature check/);
    expect((await sale(program.id, { clickId: "not-a-click-id" })).json().attributed).toBe(false);
  });

  test("the tracking API's answer and the list say why as the explanation does, naming a bad coupon code too", async () => {
    const { program } = await programWithPartners({}, 1);
    // What a vendor sends when its click id was mangled on the way, with a code nobody holds.
    const r = await sale(program.id, { clickId: "CLICK_ID_FROM_TRIBUTARY_CLICKID", couponCode: "SPRING20" });
    expect(r.statusCode).toBe(201);
    const why = (await api.get(`/v1/conversions/${r.json().id}/attribution`)).json();
    expect(why.reason).toBe("rejected_click_id");
    expect(why.summary).toBe(
      "Not attributed: the click id it carried failed its signature check (damaged on the way, or not one of ours); " +
        "coupon code SPRING20 not applied: no enabled coupon of the program has it",
    );
    // The developer reads the answer to its call, the partner team the list: neither says "no touchpoints".
    expect(r.json().summary).toBe(why.summary);
    const listed = (await api.get(`/v1/conversions?programId=${program.id}`)).json().items;
    expect(listed.find((c: { id: string }) => c.id === r.json().id).summary).toBe(why.summary);
    const lead = await api.post("/v1/track/lead", {
      programId: program.id,
      customerExternalId: "cus_mangled",
      clickId: "AQEBgarbage",
    });
    expect(lead.json().summary).toMatch(/^Not attributed: the click id it carried failed its signature check/);
  });

  test("a coupon code no active partner holds is named as the reason; a sale that sent nothing says so; a refund has no reason", async () => {
    const { program, partners } = await programWithPartners({}, 1);
    const unknown = await sale(program.id, { couponCode: "NOPE10" });
    const why = (await api.get(`/v1/conversions/${unknown.json().id}/attribution`)).json();
    expect(why).toMatchObject({ attributed: false, reason: "unknown_coupon", couponCode: "NOPE10" });
    expect(why.summary).toBe("Not attributed: no active partner holds the coupon code NOPE10");
    // A code its partner holds, while the partner is not active, is not claimed to be nobody's.
    await owner.post("/v1/coupons", { enrollmentId: partners[0]!.enrollmentId, code: "HELD10" });
    const credited = await sale(program.id, { couponCode: "HELD10" });
    expect(credited.json().attributed).toBe(true);
    // As a customer typed it into a checkout form: spaces around, another case.
    const typed = await sale(program.id, { couponCode: "  held10 " });
    expect(typed.json()).toMatchObject({ attributed: true, credits: [{ partnerId: partners[0]!.id }] });
    await api.post("/v1/track/refund", {
      programId: program.id,
      orderId: credited.json().idempotencyKey,
      refundId: "r-held",
      amount: 100,
    });
    const refund = (await api.get(`/v1/conversions?programId=${program.id}&kind=refund`)).json().items[0];
    expect((await api.get(`/v1/conversions/${refund.id}/attribution`)).json()).toMatchObject({
      attributed: true,
      reason: null,
    });
    await owner.post(`/v1/enrollments/${partners[0]!.enrollmentId}/suspend`, { reason: "review" });
    const held = await sale(program.id, { couponCode: "HELD10" });
    expect((await api.get(`/v1/conversions/${held.json().id}/attribution`)).json().summary).toBe(
      "Not attributed: no active partner holds the coupon code HELD10",
    );
    const bare = await sale(program.id, { customerExternalId: "bare" });
    // Every summary opens as a sentence, the engine's own too.
    expect(bare.json().summary).toMatch(/^Not attributed: no touchpoints/);
    expect((await api.get(`/v1/conversions/${bare.json().id}/attribution`)).json()).toMatchObject({
      reason: "no_touchpoints",
      couponCode: null,
    });
  });

  test("the window is enforced on the server from the click time: exactly at its end counts, a millisecond later does not", async () => {
    const { program, partners } = await programWithPartners({ cookieWindowDays: 30 }, 1);
    const clickId = await click(partners[0]!.slug);
    const clickedAt = t.clock.now().getTime();
    t.clock.advance(30 * DAY + 1);
    const atEnd = await sale(program.id, { clickId, occurredAt: new Date(clickedAt + 30 * DAY).toISOString() });
    expect(atEnd.json().attributed).toBe(true);
    const late = await sale(program.id, { clickId, occurredAt: new Date(clickedAt + 30 * DAY + 1).toISOString() });
    expect(late.json().attributed).toBe(false);
    const why = (await api.get(`/v1/conversions/${late.json().id}/attribution`)).json();
    expect(why.touchpoints[0]).toMatchObject({ included: false, reason: "outside_window" });
  });

  test("a busy customer's conversion considers the touches of its window only, at most 25 from each end of it", async () => {
    const { program, partners } = await programWithPartners({ attributionModel: "first_click", cookieWindowDays: 30 });
    const [a, b] = partners;
    const HOUR = DAY / 24;
    const lead = (eventId: string, extra: Record<string, unknown>) =>
      api.post("/v1/track/lead", { programId: program.id, customerExternalId: "cus_busy", eventId, ...extra });
    // Long before: a touch whose window has closed by the sale.
    const old = await click(a!.slug);
    expect((await lead("old", { clickId: old })).statusCode).toBe(201);
    t.clock.advance(35 * DAY);
    // The window's first touch, then sixty more, each an hour and more apart (the same visitor within an hour
    // keeps its click id), presented by two later signups but not by the sale.
    const first = await click(b!.slug);
    const more: string[] = [];
    for (let i = 0; i < 60; i++) {
      t.clock.advance(2 * HOUR);
      more.push(await click(a!.slug));
    }
    expect((await lead("early", { touchpoints: [first, ...more.slice(0, 29)] })).statusCode).toBe(201);
    expect((await lead("late", { touchpoints: more.slice(29) })).statusCode).toBe(201);
    t.clock.advance(2 * HOUR);
    const last = await click(a!.slug);

    const r = await sale(program.id, { customerExternalId: "cus_busy", clickId: last });
    expect(r.statusCode).toBe(201);
    // First click still finds the window's first touch, though the sale did not present it.
    expect(r.json().credits).toEqual([expect.objectContaining({ partnerId: b!.id, weightBps: 10_000 })]);
    const why = (await api.get(`/v1/conversions/${r.json().id}/attribution`)).json();
    const considered = why.touchpoints as { clickId: string; source: string; reason?: string }[];
    expect(considered).toHaveLength(1 + 25 + 25);
    expect(considered.filter((c) => c.source === "stored")).toHaveLength(50);
    expect(considered.some((c) => c.reason === "outside_window")).toBe(false);
  });

  test.each([
    ["first_click", [10_000, 0, 0]],
    ["last_click", [0, 0, 10_000]],
    ["position_based", [4_000, 2_000, 4_000]],
    // Half-life 7 days, touches 14, 7 and 0 days old: 1/4, 1/2 and 1, normalised to 1/7, 2/7 and 4/7.
    ["time_decay", [1_429, 2_857, 5_714]],
  ] as const)(
    "%s over the API: three partners' touches a week apart, stored and explained",
    async (model, expected) => {
      const { program, partners } = await programWithPartners(
        { attributionModel: model, timeDecayHalfLifeDays: 7, cookieWindowDays: 30 },
        3,
      );
      const touchpoints = [];
      for (const [i, p] of partners.entries()) {
        if (i > 0) t.clock.advance(7 * DAY);
        touchpoints.push(await click(p.slug));
      }
      const r = await sale(program.id, { touchpoints, amount: 7_000 });
      expect(r.statusCode).toBe(201);
      const bpsOf = (credits: { partnerId: string; weightBps: number }[]) =>
        partners.map((p) => credits.find((c) => c.partnerId === p.id)?.weightBps ?? 0);
      expect(bpsOf(r.json().credits)).toEqual(expected);
      const why = (await api.get(`/v1/conversions/${r.json().id}/attribution`)).json();
      expect(why.model).toBe(model);
      expect(bpsOf(why.credits)).toEqual(expected);
    },
  );

  test("multi-touch: linear splits the sale across partners in basis points and minor units that add up", async () => {
    const { program, partners } = await programWithPartners({ attributionModel: "linear" }, 3);
    const touches = [];
    for (const p of partners) {
      touches.push(await click(p.slug));
      t.clock.advance(DAY);
    }
    const r = await sale(program.id, { touchpoints: touches, amount: 1000 });
    const credits = r.json().credits as { weightBps: number; amount: number }[];
    expect(credits.map((c) => c.weightBps)).toEqual([3334, 3333, 3333]);
    expect(credits.map((c) => c.amount)).toEqual([334, 333, 333]);
  });

  test("lifetime binding: the first attributed lead binds the customer; later sales credit that partner without a click", async () => {
    const { program, partners } = await programWithPartners({ lifetimeBinding: true, cookieWindowDays: 7 }, 2);
    const clickId = await click(partners[1]!.slug);
    const lead = await api.post("/v1/track/lead", {
      programId: program.id,
      customerExternalId: "acct_77",
      email: "cto@bigco.example",
      clickId,
    });
    expect(lead.statusCode).toBe(201);
    expect(lead.json()).toMatchObject({
      kind: "lead",
      eventName: "signup",
      attributed: true,
      credits: [{ partnerId: partners[1]!.id }],
    });
    t.clock.advance(200 * DAY);
    const renewal = await sale(program.id, { customerExternalId: "acct_77", recurring: true });
    expect(renewal.json()).toMatchObject({
      attributed: true,
      source: "partner_sourced",
      credits: [{ partnerId: partners[1]!.id, weightBps: 10_000 }],
    });
    const why = (await api.get(`/v1/conversions/${renewal.json().id}/attribution`)).json();
    expect(why.model).toBe("lifetime_binding");
    const otherClick = await click(partners[0]!.slug);
    expect(
      (await sale(program.id, { customerExternalId: "acct_77", clickId: otherClick })).json().credits[0].partnerId,
    ).toBe(partners[1]!.id);
  });

  test("lifetime binding: a sale dated before the binding (a backfill) is not credited to the bound partner", async () => {
    const { program, partners } = await programWithPartners({ lifetimeBinding: true }, 1);
    const clickId = await click(partners[0]!.slug);
    const lead = await api.post("/v1/track/lead", { programId: program.id, customerExternalId: "acct_late", clickId });
    expect(lead.json().attributed).toBe(true);
    const earlier = new Date(t.clock.now().getTime() - 10 * DAY).toISOString();
    const backfill = await sale(program.id, { customerExternalId: "acct_late", occurredAt: earlier });
    expect(backfill.statusCode).toBe(201);
    expect(backfill.json()).toMatchObject({ attributed: false, credits: [] });
    const why = (await api.get(`/v1/conversions/${backfill.json().id}/attribution`)).json();
    expect(why.summary).toContain(`the lifetime binding to ${partners[0]!.name}`);
    expect(why.summary).toContain("does not apply: the sale happened before it");
    // The binding still holds for what comes after it.
    t.clock.advance(DAY);
    expect((await sale(program.id, { customerExternalId: "acct_late" })).json().credits[0].partnerId).toBe(
      partners[0]!.id,
    );
  });

  test("lifetime binding: a lead dated ahead of the server's clock binds from when it arrived, not from its date", async () => {
    const { program, partners } = await programWithPartners({ lifetimeBinding: true }, 1);
    const ahead = new Date(t.clock.now().getTime() + 2 * 3_600_000).toISOString();
    const lead = await api.post("/v1/track/lead", {
      programId: program.id,
      customerExternalId: "acct_fast_clock",
      clickId: await click(partners[0]!.slug),
      occurredAt: ahead,
    });
    expect(lead.json().attributed).toBe(true);
    t.clock.advance(10 * 60_000);
    const next = await sale(program.id, { customerExternalId: "acct_fast_clock" });
    expect(next.json()).toMatchObject({ attributed: true, credits: [{ partnerId: partners[0]!.id }] });
    expect((await api.get(`/v1/conversions/${next.json().id}/attribution`)).json().model).toBe("lifetime_binding");
  });

  test("a customer we already knew is partner-influenced, not partner-sourced", async () => {
    const { program, partners } = await programWithPartners({}, 1);
    expect(
      (await api.post("/v1/track/lead", { programId: program.id, customerExternalId: "known_1" })).json().attributed,
    ).toBe(false);
    const clickId = await click(partners[0]!.slug);
    expect((await sale(program.id, { customerExternalId: "known_1", clickId })).json().source).toBe(
      "partner_influenced",
    );
  });

  test("partner-sourced belongs to the partner that brought the customer: another partner's later credit is influence", async () => {
    const { program, partners } = await programWithPartners({ attributionModel: "linear" }, 2);
    const [a, b] = partners as [(typeof partners)[0], (typeof partners)[0]];
    const byA = await sale(program.id, { customerExternalId: "cx_src", clickId: await click(a.slug) });
    expect(byA.json().source).toBe("partner_sourced");
    t.clock.advance(60 * DAY);
    const byB = await sale(program.id, { customerExternalId: "cx_src", clickId: await click(b.slug) });
    expect(byB.json().credits.map((c: { partnerId: string }) => c.partnerId)).toEqual([b.id]);
    expect(byB.json().source).toBe("partner_influenced");
    // Each sale 60 days after the last: the earlier touches the customer presented are outside the window.
    t.clock.advance(60 * DAY);
    const aAgain = await sale(program.id, { customerExternalId: "cx_src", clickId: await click(a.slug) });
    expect(aAgain.json().credits.map((c: { partnerId: string }) => c.partnerId)).toEqual([a.id]);
    expect(aAgain.json().source).toBe("partner_sourced");
    // Both credited (linear): the partner that brought the customer is among them.
    t.clock.advance(60 * DAY);
    const both = await sale(program.id, {
      customerExternalId: "cx_src",
      touchpoints: [await click(b.slug), await click(a.slug)],
    });
    expect(both.json().credits).toHaveLength(2);
    expect(both.json().source).toBe("partner_sourced");
  });

  test("a partner-sourced customer without a recorded sourcing partner (made by an earlier version) stays sourced", async () => {
    const { program, partners } = await programWithPartners({}, 2);
    await sale(program.id, { customerExternalId: "cx_legacy", clickId: await click(partners[0]!.slug) });
    await t.database.db
      .update(customersTable)
      .set({ sourcedByPartnerId: null })
      .where(eq(customersTable.externalId, "cx_legacy"));
    t.clock.advance(60 * DAY);
    const later = await sale(program.id, { customerExternalId: "cx_legacy", clickId: await click(partners[1]!.slug) });
    expect(later.json().source).toBe("partner_sourced");
  });

  test("coupon codes: case-insensitive, and the program decides whether coupon or cookie wins", async () => {
    const couponFirst = await programWithPartners({ couponPrecedence: "coupon_over_cookie" }, 2);
    await owner.post("/v1/coupons", { enrollmentId: couponFirst.partners[0]!.enrollmentId, code: "SPRING25" });
    const c1 = await click(couponFirst.partners[1]!.slug);
    expect(
      (await sale(couponFirst.program.id, { clickId: c1, couponCode: "spring25" })).json().credits[0].partnerId,
    ).toBe(couponFirst.partners[0]!.id);
    expect((await sale(couponFirst.program.id, { couponCode: "Spring25" })).json().credits[0].partnerId).toBe(
      couponFirst.partners[0]!.id,
    );

    const cookieFirst = await programWithPartners({ couponPrecedence: "cookie_over_coupon" }, 2);
    await owner.post("/v1/coupons", { enrollmentId: cookieFirst.partners[0]!.enrollmentId, code: "SUMMER" });
    const c2 = await click(cookieFirst.partners[1]!.slug);
    const r = await sale(cookieFirst.program.id, { clickId: c2, couponCode: "SUMMER" });
    expect(r.json().credits[0].partnerId).toBe(cookieFirst.partners[1]!.id);
    expect((await api.get(`/v1/conversions/${r.json().id}/attribution`)).json().coupon.outcome).toBe(
      "overridden_by_cookie",
    );
  });

  test("a coupon or a lifetime binding that did not apply is named in the explanation, with why, not dropped silently", async () => {
    const { program, partners } = await programWithPartners(
      { couponPrecedence: "coupon_over_cookie", lifetimeBinding: true },
      3,
    );
    const [bound, holder, clicker] = partners as [(typeof partners)[0], (typeof partners)[0], (typeof partners)[0]];
    await owner.post("/v1/coupons", { enrollmentId: holder.enrollmentId, code: "BEE20" });
    const lead = await api.post("/v1/track/lead", {
      programId: program.id,
      customerExternalId: "cx_gone",
      clickId: await click(bound.slug),
    });
    expect(lead.json().credits[0].partnerId).toBe(bound.id);
    const boundAt = t.clock.now().toISOString();
    for (const p of [bound, holder])
      await owner.post(`/v1/enrollments/${p.enrollmentId}/terminate`, { reason: "brand bidding" });
    t.clock.advance(DAY);

    const r = await sale(program.id, {
      customerExternalId: "cx_gone",
      couponCode: "bee20",
      clickId: await click(clicker.slug),
    });
    expect(r.json().credits.map((c: { partnerId: string }) => c.partnerId)).toEqual([clicker.id]);
    const why = (await api.get(`/v1/conversions/${r.json().id}/attribution`)).json();
    expect(why.coupon).toEqual({
      code: "BEE20",
      partnerId: holder.id,
      partnerName: holder.name,
      outcome: "partner_not_active",
    });
    expect(why.summary).toContain(
      `coupon BEE20 (${holder.name}) not applied: partner ${holder.name} has no active enrollment in the program`,
    );
    expect(why.summary).toContain(
      `the lifetime binding to ${bound.name} (since ${boundAt}) does not apply: partner ${bound.name} has no active enrollment in the program`,
    );

    const unknown = await sale(program.id, { couponCode: "NOPE", clickId: await click(clicker.slug) });
    expect(unknown.json().credits.map((c: { partnerId: string }) => c.partnerId)).toEqual([clicker.id]);
    const unknownWhy = (await api.get(`/v1/conversions/${unknown.json().id}/attribution`)).json();
    expect(unknownWhy.summary).toContain("coupon code NOPE not applied: no enabled coupon of the program has it");
  });

  test("clicks of a partner no longer active do not earn", async () => {
    const { program, partners } = await programWithPartners({}, 1);
    const clickId = await click(partners[0]!.slug);
    await owner.post(`/v1/enrollments/${partners[0]!.enrollmentId}/terminate`, { reason: "fraud" });
    const r = await sale(program.id, { clickId });
    expect(r.json().attributed).toBe(false);
    expect((await api.get(`/v1/conversions/${r.json().id}/attribution`)).json().touchpoints[0].reason).toBe(
      "partner_not_active",
    );
  });

  test.each([
    [{ currency: "usd" }, "/currency"],
    [{ currency: "XYZ" }, "/currency"],
    [{ amount: -1 }, "/amount"],
    [{ amount: 10.5 }, "/amount"],
    [{ amount: "100" }, "/amount"],
    [{ programId: "prg_missing" }, "/programId"],
    [{ orderId: "" }, "/orderId"],
    [{ clickId: undefined, customerExternalId: undefined }, "/customerExternalId"],
    [{ occurredAt: "last tuesday" }, "/occurredAt"],
  ])("%j is a 422 naming %s and writes nothing", async (overrides, field) => {
    const { program } = await programWithPartners({}, 0);
    const count = (await t.database.db.select().from(conversions)).length;
    const body = {
      programId: program.id,
      orderId: `bad-${++orders}`,
      amount: 100,
      currency: "USD",
      customerExternalId: "c1",
      ...overrides,
    };
    const r = await api.post("/v1/track/sale", body);
    expect(r.statusCode).toBe(422);
    expect(r.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    expect((await t.database.db.select().from(conversions)).length).toBe(count);
  });
});

describe("group commit", () => {
  const request = (program: ConversionRequest["program"], extra: Partial<ConversionRequest>): ConversionRequest => ({
    program,
    kind: "sale",
    idempotencyKey: `gc-${++orders}`,
    amountMinor: 1_000n,
    currency: "USD",
    occurredAt: t.clock.now(),
    receivedAt: t.clock.now(),
    caller: t.ctx,
    ...extra,
  });

  test("one transaction: a customer's later conversion sees the earlier one, repeats of a key collapse, a key recorded before writes nothing", async () => {
    const { program, partners } = await programWithPartners({ lifetimeBinding: true });
    const stored = (await findProgramRef(t.database.db, program.id))!;
    const clickId = await click(partners[1]!.slug);
    const before = (await sale(program.id, { orderId: "gc-before", customerExternalId: "gc-old", clickId })).json();
    const customers = async () => (await t.database.db.select().from(customersTable)).length;
    const customersBefore = await customers();
    const results = await recordConversions(t.database.db, t.app.tracking.keys, [
      request(stored, { kind: "lead", idempotencyKey: "gc-lead", customerExternalId: "gc-acct", clickId }),
      request(stored, { idempotencyKey: "gc-renewal", customerExternalId: "gc-acct" }),
      request(stored, { idempotencyKey: "gc-twice", customerExternalId: "gc-other", clickId }),
      request(stored, { idempotencyKey: "gc-twice", customerExternalId: "gc-other", amountMinor: 1n }),
      request(stored, { idempotencyKey: "gc-before", customerExternalId: "gc-never-stored", clickId }),
    ]);
    expect(results.map((r) => r.replayed)).toEqual([false, false, false, true, true]);
    expect(results[0]!.conversion).toMatchObject({
      kind: "lead",
      attributed: true,
      credits: [{ partnerId: partners[1]!.id }],
    });
    // The renewal came with no click: the lead in the same batch bound the customer first.
    expect(results[1]!.conversion).toMatchObject({ attributed: true, credits: [{ partnerId: partners[1]!.id }] });
    expect((await api.get(`/v1/conversions/${results[1]!.conversion.id}/attribution`)).json().model).toBe(
      "lifetime_binding",
    );
    expect(results[3]!.conversion).toEqual(results[2]!.conversion);
    expect(results[4]!.conversion).toEqual(before);
    // gc-acct and gc-other are new; the replayed order's customer was never written.
    expect(await customers()).toBe(customersBefore + 2);
  });

  // Only PostgreSQL runs two transactions at once (PGlite serialises them), so only its pass can tell.
  test.runIf(inject("testDbSource").kind === "postgres")(
    "a conversion that waits for another transaction writing its customer sees the touches that one stored",
    async () => {
      const { program, partners } = await programWithPartners({ attributionModel: "first_click" });
      const stored = (await findProgramRef(t.database.db, program.id))!;
      const earlier = await click(partners[0]!.slug);
      t.clock.advance(60_000);
      const later = await click(partners[1]!.slug);
      let release!: () => void;
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      let written!: () => void;
      const firstWritten = new Promise<void>((resolve) => {
        written = resolve;
      });
      // The lead's transaction has stored the customer and its touch, and stays open.
      const lead = recordConversions(
        t.database.db,
        t.app.tracking.keys,
        [request(stored, { kind: "lead", customerExternalId: "race-cus", clickId: earlier })],
        async () => {
          written();
          await held;
        },
      );
      await firstWritten;
      const sale = recordConversions(t.database.db, t.app.tracking.keys, [
        request(stored, { customerExternalId: "race-cus", clickId: later }),
      ]);
      // The sale's upsert waits for the customer's row, which the lead's transaction holds.
      await expect
        .poll(async () =>
          Number(
            (
              await t.database.pool!.query(
                "select count(*) as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'",
              )
            ).rows[0].n,
          ),
        )
        .toBe(1);
      release();
      await lead;
      const [recorded] = await sale;
      // First click: the lead's touch, committed while the sale waited, is the earliest one.
      expect(recorded!.conversion.credits).toEqual([expect.objectContaining({ partnerId: partners[0]!.id })]);
      const why = (await api.get(`/v1/conversions/${recorded!.conversion.id}/attribution`)).json();
      expect(why.touchpoints.map((p: { partnerId: string }) => p.partnerId).sort()).toEqual(
        [partners[0]!.id, partners[1]!.id].sort(),
      );
    },
  );

  test("a conversion the database refuses fails alone; the others of its batch are stored", async () => {
    const { program, partners } = await programWithPartners({});
    const stored = (await findProgramRef(t.database.db, program.id))!;
    const clickId = await click(partners[0]!.slug);
    const ghost = { ...stored, id: "prg_00000000000000000000000000" };
    const outcomes = await Promise.allSettled([
      t.app.tracking.conversions.record(request(stored, { customerExternalId: "gc-a", clickId })),
      t.app.tracking.conversions.record(request(ghost, { customerExternalId: "gc-b", clickId })),
      t.app.tracking.conversions.record(request(stored, { customerExternalId: "gc-c" })),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    const ids = outcomes.flatMap((o) => (o.status === "fulfilled" ? [o.value.conversion.id] : []));
    for (const id of ids) expect((await api.get(`/v1/conversions/${id}`)).statusCode).toBe(200);
  });
});

describe("refunds", () => {
  test("partial refunds reverse each partner's share; never more than the sale; retries are idempotent", async () => {
    const { program, partners } = await programWithPartners({ attributionModel: "linear" }, 2);
    const touches = [await click(partners[0]!.slug), await click(partners[1]!.slug)];
    const s = (
      await api.post("/v1/track/sale", {
        programId: program.id,
        orderId: "ord-r1",
        amount: 10_001,
        currency: "USD",
        touchpoints: touches,
      })
    ).json();
    const first = await api.post("/v1/track/refund", {
      programId: program.id,
      orderId: "ord-r1",
      refundId: "re_1",
      amount: 4_001,
    });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ kind: "refund", amount: 4_001, saleId: s.id });
    expect(
      first
        .json()
        .credits.map((c: { amount: number }) => c.amount)
        .sort(),
    ).toEqual([-2001, -2000].sort());
    expect(
      (
        await api.post("/v1/track/refund", {
          programId: program.id,
          orderId: "ord-r1",
          refundId: "re_1",
          amount: 4_001,
        })
      ).headers["idempotent-replayed"],
    ).toBe("true");
    // The same refund id for another amount or another order is another refund: refused, the first one kept.
    const reused = await api.post("/v1/track/refund", {
      programId: program.id,
      orderId: "ord-r1",
      refundId: "re_1",
      amount: 1,
    });
    expect(reused.statusCode).toBe(409);
    expect(reused.json().errors.map((e: { field: string }) => e.field)).toEqual(["/refundId", "/amount"]);
    const otherOrder = await api.post("/v1/track/refund", {
      programId: program.id,
      orderId: "ord-elsewhere",
      refundId: "re_1",
      amount: 4_001,
    });
    expect(otherOrder.statusCode).toBe(409);
    expect(otherOrder.json().errors.map((e: { field: string }) => e.field)).toEqual(["/refundId", "/orderId"]);
    const tooMuch = await api.post("/v1/track/refund", {
      programId: program.id,
      orderId: "ord-r1",
      refundId: "re_2",
      amount: 6_001,
    });
    expect(tooMuch.statusCode).toBe(422);
    expect(tooMuch.json().errors[0]).toMatchObject({ field: "/amount" });
    expect(tooMuch.json().detail).toContain("6000");
    expect(
      (
        await api.post("/v1/track/refund", {
          programId: program.id,
          orderId: "ord-r1",
          refundId: "re_3",
          amount: 6_000,
        })
      ).statusCode,
    ).toBe(201);
    expect((await api.get(`/v1/conversions/${s.id}`)).json().refundedAmount).toBe(10_001);
    const credits = await t.database.db.select().from(conversionCredits);
    const net = credits.filter((c) => c.programId === program.id).reduce((sum, c) => sum + (c.amountMinor ?? 0n), 0n);
    expect(net).toBe(0n);
  });

  test("concurrent refunds cannot together exceed the sale", async () => {
    const { program, partners } = await programWithPartners({}, 1);
    const clickId = await click(partners[0]!.slug);
    await api.post("/v1/track/sale", {
      programId: program.id,
      orderId: "ord-r2",
      amount: 1000,
      currency: "USD",
      clickId,
    });
    const results = await Promise.all(
      Array.from({ length: 4 }, (_, i) =>
        api.post("/v1/track/refund", { programId: program.id, orderId: "ord-r2", refundId: `cr_${i}`, amount: 400 }),
      ),
    );
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(2);
    expect(results.filter((r) => r.statusCode === 422)).toHaveLength(2);
  });

  test("refunds take back each partner's share cumulatively: ten 1-cent refunds of a 4/3/3 split net every credit to 0", async () => {
    const { program, partners } = await programWithPartners({ attributionModel: "linear" }, 3);
    const touchpoints = [
      await click(partners[0]!.slug),
      await click(partners[1]!.slug),
      await click(partners[2]!.slug),
    ];
    const sold = (await sale(program.id, { orderId: "ord-cents", amount: 10, touchpoints })).json();
    expect(sold.credits.map((c: { amount: number }) => c.amount).sort()).toEqual([3, 3, 4]);
    for (let i = 0; i < 10; i++) {
      const r = await api.post("/v1/track/refund", {
        programId: program.id,
        orderId: "ord-cents",
        refundId: `cent-${i}`,
        amount: 1,
      });
      expect(r.statusCode).toBe(201);
      // Each refund takes back exactly its amount, spread over the partners.
      expect(r.json().credits.reduce((sum: number, c: { amount: number }) => sum + c.amount, 0)).toBe(-1);
    }
    const credits = (await t.database.db.select().from(conversionCredits)).filter((c) => c.programId === program.id);
    for (const partner of partners) {
      const net = credits.filter((c) => c.partnerId === partner.id).reduce((sum, c) => sum + (c.amountMinor ?? 0n), 0n);
      expect(net, partner.id).toBe(0n);
    }
  });

  test("a refund never gives a partner credit back: each share is at most what the partner still holds", async () => {
    const { program, partners } = await programWithPartners({ attributionModel: "position_based" }, 3);
    const touchpoints = [];
    for (const p of partners) touchpoints.push(await click(p.slug));
    const sold = (await sale(program.id, { orderId: "ord-seven", amount: 7, touchpoints })).json();
    const credited = new Map<string, number>(
      sold.credits.map((c: { partnerId: string; amount: number }) => [c.partnerId, c.amount]),
    );
    for (const [i, amount] of [3, 1, 3].entries()) {
      const r = await api.post("/v1/track/refund", {
        programId: program.id,
        orderId: "ord-seven",
        refundId: `seven-${i}`,
        amount,
      });
      const credits = r.json().credits as { partnerId: string; amount: number }[];
      expect(credits.reduce((sum, c) => sum + c.amount, 0)).toBe(-amount);
      for (const c of credits) {
        expect(c.amount, `refund ${i}, ${c.partnerId}`).toBeLessThanOrEqual(0);
        credited.set(c.partnerId, credited.get(c.partnerId)! + c.amount);
        expect(credited.get(c.partnerId)).toBeGreaterThanOrEqual(0);
      }
    }
    expect([...credited.values()]).toEqual([0, 0, 0]);
  });

  // Only PostgreSQL runs two transactions at once (PGlite serialises them), so only its pass can tell.
  test.runIf(inject("testDbSource").kind === "postgres")(
    "one refund id sent for two orders at once: one is recorded, the other is a 409, never a 500",
    async () => {
      const { program, partners } = await programWithPartners({}, 1);
      const clickId = await click(partners[0]!.slug);
      for (let round = 0; round < 8; round++) {
        const orders = [`race-a-${round}`, `race-b-${round}`];
        for (const orderId of orders)
          await api.post("/v1/track/sale", { programId: program.id, orderId, amount: 1000, currency: "USD", clickId });
        const results = await Promise.all(
          orders.map((orderId) =>
            api.post("/v1/track/refund", { programId: program.id, orderId, refundId: `shared-${round}`, amount: 100 }),
          ),
        );
        expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409]);
        const refused = results.find((r) => r.statusCode === 409)!;
        expect(refused.json().errors.map((e: { field: string }) => e.field)).toEqual(["/refundId", "/orderId"]);
      }
    },
  );

  test("an unknown order is a 404 naming the field", async () => {
    const { program } = await programWithPartners({}, 0);
    const r = await api.post("/v1/track/refund", { programId: program.id, orderId: "nope", refundId: "r", amount: 1 });
    expect(r.statusCode).toBe(404);
    expect(r.json().errors[0].field).toBe("/orderId");
  });
});

describe("conversion lists", () => {
  test("filter by program, partner, kind and attribution, with paging", async () => {
    const { program, partners } = await programWithPartners({}, 2);
    await sale(program.id, { clickId: await click(partners[0]!.slug) });
    await sale(program.id, { clickId: await click(partners[1]!.slug) });
    await sale(program.id, { customerExternalId: "nobody" });
    const all = (await api.get(`/v1/conversions?programId=${program.id}`)).json().items;
    expect(all).toHaveLength(3);
    expect(
      (await api.get(`/v1/conversions?programId=${program.id}&partnerId=${partners[0]!.id}`)).json().items,
    ).toHaveLength(1);
    expect((await api.get(`/v1/conversions?programId=${program.id}&attributed=false`)).json().items).toHaveLength(1);
    const page1 = (await api.get(`/v1/conversions?programId=${program.id}&limit=2`)).json();
    expect(page1.items).toHaveLength(2);
    const page2 = (await api.get(`/v1/conversions?programId=${program.id}&limit=2&cursor=${page1.nextCursor}`)).json();
    // The three happened at the same moment: pages split ties by id, each conversion once.
    expect([...page1.items, ...page2.items].map((c: { id: string }) => c.id)).toEqual(
      all.map((c: { id: string }) => c.id),
    );
    expect(page2.nextCursor).toBeNull();
    const byPartner = (await api.get(`/v1/conversions?partnerId=${partners[1]!.id}&limit=1`)).json();
    expect(byPartner.items.map((c: { id: string }) => c.id)).toEqual([all[1].id]);
    expect((await api.get(`/v1/conversions?cursor=${all[0].id}`)).statusCode).toBe(422);
  });

  test("find a program's conversions by the order, refund or event id, or the customer id, a partner quotes", async () => {
    const { program, partners } = await programWithPartners({}, 1);
    const other = await programWithPartners({}, 1);
    const clickId = await click(partners[0]!.slug);
    await api.post("/v1/track/lead", { programId: program.id, customerExternalId: "cus_77", clickId });
    const order = await sale(program.id, { orderId: "INV-2026-0042", customerExternalId: "cus_77" });
    await sale(program.id, { orderId: "INV-2026-0043", customerExternalId: "cus_78" });
    await api.post("/v1/track/refund", {
      programId: program.id,
      orderId: "INV-2026-0042",
      refundId: "RF-9",
      amount: 100,
    });
    // The same order number in another program is that program's.
    await sale(other.program.id, { orderId: "INV-2026-0042", customerExternalId: "cus_77" });
    const found = async (q: string, extra = "") =>
      (await api.get(`/v1/conversions?programId=${program.id}&q=${encodeURIComponent(q)}${extra}`))
        .json()
        .items.map((c: { kind: string; idempotencyKey: string }) => `${c.kind} ${c.idempotencyKey}`);
    expect(await found("INV-2026-0042")).toEqual(["sale INV-2026-0042"]);
    expect(await found(" RF-9 ")).toEqual(["refund RF-9"]);
    expect(await found("cus_77:signup")).toEqual(["lead cus_77:signup"]);
    // A customer's lead, sale and refund (the refund is of the customer's sale), newest first.
    expect(await found("cus_77")).toEqual(["refund RF-9", "sale INV-2026-0042", "lead cus_77:signup"]);
    expect(await found("cus_77", "&kind=sale")).toEqual(["sale INV-2026-0042"]);
    expect(await found("INV-2026")).toEqual([]);
    expect(order.json().idempotencyKey).toBe("INV-2026-0042");
    const csv = await api.get(`/v1/conversions/export?programId=${program.id}&q=RF-9`);
    expect(csv.statusCode).toBe(200);
    expect(csv.body.trim().split("\n")).toHaveLength(2);
    const unscoped = await api.get("/v1/conversions?q=INV-2026-0042");
    expect(unscoped.statusCode).toBe(422);
    expect(unscoped.json().errors).toEqual([{ field: "querystring:/q", message: "a search needs a program" }]);
  });
});
