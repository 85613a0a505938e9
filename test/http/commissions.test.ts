import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { selectRows } from "../../src/db/client.js";
import { kickDelayAfter } from "../../src/domain/commissions/commission-worker.js";
import { evaluateBonuses } from "../../src/domain/commissions/evaluate-bonuses.js";
import { TIERED_PLAN } from "../helpers/commission-backlog.js";
import { markEntriesPaid, seedEntries } from "../helpers/ledger.js";
import { expectLedgerTotalsOfEveryEntry } from "../helpers/ledger-totals-from-every-entry.js";
import { programWithPartners as arrangeProgram, type ProgramSetup } from "../helpers/program-setup.js";
import { type Agent, createTestApp, type TestApp } from "../helpers/test-app.js";

const DAY = 86_400_000;

let t: TestApp;
let owner: Agent;
let api: Agent;

type Setup = ProgramSetup;

// A fresh console session per arrangement: tests move the clock by months.
async function programWithPartners(count = 1, overrides: Record<string, unknown> = {}): Promise<Setup> {
  owner = await t.team("owner");
  return arrangeProgram(t, owner, count, overrides);
}

const plan = (programId: string, definition: unknown, extra: Record<string, unknown> = {}) =>
  owner.post(`/v1/programs/${programId}/plans`, { name: "Plan", scope: "program", definition, ...extra });

let orders = 0;
const sale = async (programId: string, partnerId: string, extra: Record<string, unknown> = {}) => {
  const coupon = await couponFor(programId, partnerId);
  // A sale is reported once it has happened: the server refuses times more than a day ahead of its clock.
  if (typeof extra.occurredAt === "string" && Date.parse(extra.occurredAt) > t.clock.now().getTime())
    t.clock.set(extra.occurredAt);
  const r = await api.post("/v1/track/sale", {
    programId,
    orderId: `o-${++orders}`,
    amount: 10_000,
    currency: "USD",
    couponCode: coupon,
    ...extra,
  });
  if (r.statusCode !== 201) throw new Error(`sale: ${r.body}`);
  return r.json();
};

const coupons = new Map<string, string>();
async function couponFor(programId: string, partnerId: string) {
  const key = `${programId}|${partnerId}`;
  if (!coupons.has(key)) {
    const enrollment = (await owner.get(`/v1/enrollments?programId=${programId}&partnerId=${partnerId}`)).json()
      .items[0];
    const code = `C${coupons.size}X${Math.random().toString(36).slice(2, 8)}`.toUpperCase();
    const r = await owner.post("/v1/coupons", { enrollmentId: enrollment.id, code });
    if (r.statusCode !== 201) throw new Error(`coupon: ${r.body}`);
    coupons.set(key, code);
  }
  return coupons.get(key)!;
}

async function ledger(query: string) {
  await t.app.commissions.drain();
  // Sales dated ahead move the clock (see sale), possibly past the console session's lifetime.
  owner = await t.team("owner");
  return (await owner.get(`/v1/commissions?${query}&limit=200`)).json().items as {
    id: string;
    kind: string;
    amount: number;
    status: string;
    statusReason: string | null;
    ruleId: string | null;
    planVersionId: string | null;
    sourceEntryId: string | null;
    conversionId: string | null;
    explanation: { summary: string; steps: string[] };
    partnerId: string;
  }[];
}

beforeAll(async () => {
  t = await createTestApp();
  owner = await t.team("owner");
  api = t.agent();
  api.bearer = (
    await owner.post("/v1/api-keys", { name: "billing", scopes: ["track:write", "commissions:read"] })
  ).json().secret;
});
afterAll(() => t.close());

describe("commission plans", () => {
  test("a sale earns by the plan; editing the plan makes version 2 and never changes what was earned", async () => {
    const { program, partners } = await programWithPartners();
    const created = await plan(program.id, {
      rules: [{ id: "share", name: "Revenue share", event: "sale", reward: { type: "percent", bps: 2_000 } }],
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ currentVersion: 1, scope: "program", scopeValue: null });
    await sale(program.id, partners[0]!.id);
    const [first] = await ledger(`partnerId=${partners[0]!.id}`);
    expect(first).toMatchObject({ kind: "commission", amount: 2_000, status: "pending", ruleId: "share" });
    expect(first!.explanation.steps).toContain("20% of USD 100.00 = USD 20.00");

    const edited = await owner.patch(`/v1/plans/${created.json().id}`, {
      definition: {
        rules: [{ id: "share", name: "Revenue share", event: "sale", reward: { type: "percent", bps: 3_000 } }],
      },
    });
    expect(edited.statusCode).toBe(200);
    expect(edited.json().currentVersion).toBe(2);
    expect(edited.json().versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    await sale(program.id, partners[0]!.id);
    const entries = await ledger(`partnerId=${partners[0]!.id}`);
    expect(entries.map((e) => e.amount)).toEqual([3_000, 2_000]);
    expect(entries[0]!.planVersionId).not.toBe(entries[1]!.planVersionId);
  });

  test("the seed's tiered plan: 10% for the first 5 sales of a month, 15% beyond (5th 10%, 6th 15%); a new month starts over", async () => {
    const { program, partners } = await programWithPartners();
    await plan(program.id, TIERED_PLAN);
    const march = Date.parse("2026-03-02T10:00:00Z");
    for (let i = 0; i < 7; i++) {
      await sale(program.id, partners[0]!.id, { occurredAt: new Date(march + i * DAY).toISOString() });
    }
    await sale(program.id, partners[0]!.id, { occurredAt: "2026-04-01T00:00:00Z" });
    const entries = (await ledger(`partnerId=${partners[0]!.id}`)).reverse();
    expect(entries.map((e) => e.amount)).toEqual([1_000, 1_000, 1_000, 1_000, 1_000, 1_500, 1_500, 1_000]);
    expect(entries[5]!.explanation.steps[0]).toBe("sale #6 this month → tier level 2 (sales 6+)");
  });

  test("a tier plan and a partner plan override the program plan", async () => {
    const { program, partners } = await programWithPartners(3);
    await plan(program.id, {
      rules: [{ id: "base", name: "Base", event: "sale", reward: { type: "percent", bps: 1_000 } }],
    });
    await plan(
      program.id,
      { rules: [{ id: "gold", name: "Gold", event: "sale", reward: { type: "percent", bps: 2_000 } }] },
      { scope: "tier", scopeValue: "gold", name: "Gold" },
    );
    const mine = await plan(
      program.id,
      { rules: [{ id: "vip", name: "VIP", event: "sale", reward: { type: "flat", amount: 5_000 } }] },
      { scope: "partner", scopeValue: partners[2]!.id, name: "VIP" },
    );
    expect(mine.statusCode).toBe(201);
    const tier = await owner.patch(`/v1/enrollments/${partners[1]!.enrollmentId}`, { tier: "gold" });
    expect(tier.statusCode).toBe(200);
    for (const p of partners) await sale(program.id, p.id);
    const amounts = await Promise.all(partners.map(async (p) => (await ledger(`partnerId=${p.id}`))[0]!.amount));
    expect(amounts).toEqual([1_000, 2_000, 5_000]);
  });

  test("program settings: best rule for the partner, and no holding period approves at once", async () => {
    const { program, partners } = await programWithPartners(1, { holdingDays: 0, ruleSelection: "best_for_partner" });
    expect(program).toMatchObject({ holdingDays: 0, ruleSelection: "best_for_partner" });
    await plan(program.id, {
      rules: [
        { id: "share", name: "Share", event: "sale", reward: { type: "percent", bps: 1_000 } },
        { id: "flat", name: "Flat", event: "sale", reward: { type: "flat", amount: 2_500 } },
      ],
    });
    await sale(program.id, partners[0]!.id);
    const [entry] = await ledger(`partnerId=${partners[0]!.id}`);
    expect(entry).toMatchObject({ ruleId: "flat", amount: 2_500 });
    expect((await owner.post("/v1/commissions/release-holdings")).json().approved).toBeGreaterThanOrEqual(1);
    expect((await ledger(`partnerId=${partners[0]!.id}`))[0]!.status).toBe("approved");
    const bad = await owner.patch(`/v1/programs/${program.id}`, { holdingDays: -1 });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors[0].field).toBe("/holdingDays");
  });

  test("bad plans are refused with the field named, and nothing is stored", async () => {
    const { program } = await programWithPartners(0);
    const r = await plan(program.id, {
      rules: [
        {
          id: "t",
          name: "Tiers",
          event: "sale",
          tiers: {
            period: "calendar_month",
            basis: "count",
            levels: [{ upTo: 5, reward: { type: "percent", bps: 1_000 } }],
          },
        },
      ],
    });
    expect(r.statusCode).toBe(422);
    expect(r.json().errors[0].field).toBe("/definition/rules/0/tiers/levels/0/upTo");
    const noReward = await plan(program.id, { rules: [{ id: "x", name: "X", event: "sale" }] });
    expect(noReward.statusCode).toBe(422);
    expect(noReward.json().errors[0].field).toBe("/definition/rules/0/reward");
    const badType = await plan(program.id, {
      rules: [{ id: "x", name: "X", event: "sale", reward: { type: "percent", bps: "10" } }],
    });
    expect(badType.statusCode).toBe(422);
    const list = await owner.get(`/v1/programs/${program.id}/plans`);
    expect(list.json().items).toEqual([]);
    const twice = await plan(program.id, {
      rules: [{ id: "x", name: "X", event: "sale", reward: { type: "flat", amount: 1 } }],
    });
    expect(twice.statusCode).toBe(201);
    const again = await plan(program.id, {
      rules: [{ id: "x", name: "X", event: "sale", reward: { type: "flat", amount: 1 } }],
    });
    expect(again.statusCode).toBe(409);
  });

  test("preview: what a sale would earn and by which rule, without storing anything", async () => {
    const { program, partners } = await programWithPartners();
    await plan(program.id, {
      rules: [
        {
          id: "big",
          name: "Big orders",
          event: "sale",
          reward: { type: "flat", amount: 5_000 },
          conditions: [{ field: "amount", op: "gte", value: 100_000 }],
        },
        { id: "base", name: "Base", event: "sale", reward: { type: "percent", bps: 1_000 } },
      ],
    });
    const preview = (amount: number) =>
      owner.post(`/v1/programs/${program.id}/commissions/preview`, {
        partnerId: partners[0]!.id,
        event: "sale",
        amount,
      });
    const small = await preview(20_000);
    expect(small.json()).toMatchObject({
      earns: true,
      amount: 2_000,
      ruleId: "base",
      ruleName: "Base",
      planVersion: 1,
    });
    expect(small.json().explanation.skipped[0]).toMatchObject({
      ruleId: "big",
      reason: "amount 20000 is below 100000",
    });
    expect((await preview(150_000)).json()).toMatchObject({ amount: 5_000, ruleId: "big" });
    expect(await ledger(`programId=${program.id}`)).toEqual([]);
    const stranger = await owner.post(`/v1/programs/${program.id}/commissions/preview`, {
      partnerId: "ptn_nobody",
      event: "sale",
      amount: 1,
    });
    expect(stranger.statusCode).toBe(422);
    expect(stranger.json().errors[0].field).toBe("/partnerId");
  });
});

describe("ledger", () => {
  test("refunds: partial before payout reverses in proportion; after payout claws back; parts add up exactly", async () => {
    const { program, partners } = await programWithPartners();
    await plan(program.id, { rules: [{ id: "r", name: "R", event: "sale", reward: { type: "percent", bps: 1_000 } }] });
    const s = await sale(program.id, partners[0]!.id, { amount: 9_999 });
    await t.app.commissions.drain();
    const refund = (refundId: string, amount: number) =>
      api.post("/v1/track/refund", {
        programId: program.id,
        orderId: s.idempotencyKey ?? `o-${orders}`,
        refundId,
        amount,
      });
    expect((await refund("r1", 3_333)).statusCode).toBe(201);
    let entries = await ledger(`partnerId=${partners[0]!.id}`);
    const commission = entries.find((e) => e.kind === "commission")!;
    expect(commission.amount).toBe(1_000);
    const reversal = entries.find((e) => e.kind === "reversal")!;
    expect(reversal).toMatchObject({ amount: -333, status: "pending", sourceEntryId: commission.id });

    // The commission is paid out (as a payout marked paid pays it); a later refund is clawed back.
    expect(await markEntriesPaid(t.database.db, sql`id = ${commission.id}`, "pay_test")).toBe(1);
    expect((await refund("r2", 6_666)).statusCode).toBe(201);
    entries = await ledger(`partnerId=${partners[0]!.id}`);
    const clawback = entries.find((e) => e.kind === "clawback")!;
    expect(clawback).toMatchObject({ amount: -667, status: "approved" });
    expect(entries.reduce((sum, e) => sum + e.amount, 0)).toBe(0);
    await expectLedgerTotalsOfEveryEntry(t.ctx, { programId: program.id });
  });

  test("the ledger is append-only: the database refuses to change an amount or delete an entry", async () => {
    const { program, partners } = await programWithPartners();
    await plan(program.id, { rules: [{ id: "r", name: "R", event: "sale", reward: { type: "flat", amount: 500 } }] });
    await sale(program.id, partners[0]!.id);
    const [entry] = await ledger(`partnerId=${partners[0]!.id}`);
    await expect(
      t.database.db.execute(sql`update commission_entries set amount_minor = 1 where id = ${entry!.id}`),
    ).rejects.toThrow();
    await expect(t.database.db.execute(sql`delete from commission_entries where id = ${entry!.id}`)).rejects.toThrow();
  });

  test("holding period: pending until it ends, then approved by the release; held entries stay out", async () => {
    const { program, partners } = await programWithPartners(2);
    await plan(program.id, { rules: [{ id: "r", name: "R", event: "sale", reward: { type: "flat", amount: 500 } }] });
    await sale(program.id, partners[0]!.id);
    await sale(program.id, partners[1]!.id);
    const [held] = await ledger(`partnerId=${partners[1]!.id}`);
    const hold = await owner.post("/v1/commissions/review", {
      action: "hold",
      ids: [held!.id],
      reason: "suspicious traffic",
    });
    expect(hold.json().updated[0]).toMatchObject({ status: "held", statusReason: "suspicious traffic" });
    expect((await owner.post("/v1/commissions/release-holdings")).json().approved).toBe(0);
    // The partner sees that it is under review, never why.
    const portal = (await partners[1]!.agent.get("/v1/portal/earnings")).json();
    expect(portal.items[0]).toMatchObject({ status: "held", statusReason: "on hold — under review" });
    expect(JSON.stringify(portal)).not.toContain("suspicious");
    t.clock.advance(30 * DAY + 1);
    owner = await t.team("owner"); // the earlier session expired meanwhile
    expect((await owner.post("/v1/commissions/release-holdings")).json().approved).toBeGreaterThanOrEqual(1);
    expect((await ledger(`partnerId=${partners[0]!.id}`))[0]!.status).toBe("approved");
    expect((await ledger(`partnerId=${partners[1]!.id}`))[0]!.status).toBe("held");
  });

  test("review in bulk: a reason is required to reject; paid entries are skipped with the reason; rejection carries derived entries", async () => {
    const { program, partners } = await programWithPartners();
    await plan(program.id, { rules: [{ id: "r", name: "R", event: "sale", reward: { type: "percent", bps: 1_000 } }] });
    const s1 = await sale(program.id, partners[0]!.id);
    await sale(program.id, partners[0]!.id);
    await t.app.commissions.drain();
    await api.post("/v1/track/refund", {
      programId: program.id,
      orderId: s1.idempotencyKey,
      refundId: "half",
      amount: 5_000,
    });
    const entries = await ledger(`partnerId=${partners[0]!.id}&kind=commission`);
    const noReason = await owner.post("/v1/commissions/review", { action: "reject", ids: [entries[0]!.id] });
    expect(noReason.statusCode).toBe(422);
    expect(noReason.json().errors[0].field).toBe("/reason");
    expect(await markEntriesPaid(t.database.db, sql`id = ${entries[0]!.id}`, "pay_x")).toBe(1);
    const r = await owner.post("/v1/commissions/review", {
      action: "reject",
      ids: entries.map((e) => e.id),
      reason: "self-referral",
    });
    expect(r.statusCode).toBe(200);
    expect(r.json().skipped).toEqual([{ id: entries[0]!.id, reason: "already in payout pay_x" }]);
    const rejected = r.json().updated.map((e: { kind: string; status: string }) => [e.kind, e.status]);
    expect(rejected).toEqual(
      expect.arrayContaining([
        ["commission", "rejected"],
        ["reversal", "rejected"],
      ]),
    );
    await expectLedgerTotalsOfEveryEntry(t.ctx, { programId: program.id });
  });

  test("an entry held by an open fraud case is decided in fraud review, not approved from the ledger", async () => {
    const { program, partners } = await programWithPartners();
    const partner = partners[0]!;
    await plan(program.id, { rules: [{ id: "r", name: "R", event: "sale", reward: { type: "percent", bps: 1_000 } }] });
    const held = await sale(program.id, partner.id, { customerExternalId: "self", email: partner.email });
    const [entry] = await ledger(`partnerId=${partner.id}`);
    expect(entry).toMatchObject({ status: "held", statusReason: "fraud review" });
    const r = await owner.post("/v1/commissions/review", { action: "approve", ids: [entry!.id] });
    expect(r.json()).toMatchObject({
      updated: [],
      skipped: [{ id: entry!.id, reason: "held by fraud review: approve or reject its case in Fraud review" }],
    });
    expect((await owner.post("/v1/fraud/review", { action: "approve", conversionIds: [held.id] })).statusCode).toBe(
      200,
    );
    const [released] = await ledger(`partnerId=${partner.id}`);
    expect(released!.status).not.toBe("held");
  });

  test("a program's currency cannot change once it has commissions", async () => {
    const { program, partners } = await programWithPartners();
    await plan(program.id, { rules: [{ id: "r", name: "R", event: "sale", reward: { type: "percent", bps: 1_000 } }] });
    expect((await owner.patch(`/v1/programs/${program.id}`, { currency: "EUR" })).statusCode).toBe(200);
    expect((await owner.patch(`/v1/programs/${program.id}`, { currency: "USD" })).statusCode).toBe(200);
    await sale(program.id, partners[0]!.id);
    await ledger(`partnerId=${partners[0]!.id}`);
    const r = await owner.patch(`/v1/programs/${program.id}`, { currency: "JPY" });
    expect(r.statusCode).toBe(422);
    expect(r.json().errors[0]).toMatchObject({ field: "/currency" });
    expect((await owner.get(`/v1/programs/${program.id}`)).json().currency).toBe("USD");
  });

  test("a manual adjustment needs a reason, is approved and audited", async () => {
    const { program, partners } = await programWithPartners();
    const bad = await owner.post("/v1/commissions/adjustments", {
      programId: program.id,
      partnerId: partners[0]!.id,
      amount: 0,
      reason: "none",
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors[0].field).toBe("/amount");
    const missing = await owner.post("/v1/commissions/adjustments", {
      programId: program.id,
      partnerId: partners[0]!.id,
      amount: 100,
    });
    expect(missing.statusCode).toBe(422);
    expect(missing.json().errors[0].field).toBe("/reason");
    const ok = await owner.post("/v1/commissions/adjustments", {
      programId: program.id,
      partnerId: partners[0]!.id,
      amount: -2_500,
      reason: "duplicate payment in March",
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({
      kind: "adjustment",
      amount: -2_500,
      status: "approved",
      statusReason: "duplicate payment in March",
    });
    const audit = (await owner.get(`/v1/audit-log?entityId=${ok.json().id}`)).json();
    expect(audit.items[0]).toMatchObject({ action: "commission.adjust" });
  });

  test("an entry's history names the people who created and decided it, not their ids", async () => {
    const { program, partners } = await programWithPartners();
    const manager = await t.team("manager", "mia@team.test");
    const made = await owner.post("/v1/commissions/adjustments", {
      programId: program.id,
      partnerId: partners[0]!.id,
      amount: 1_500,
      reason: "webinar bonus",
    });
    const id = made.json().id;
    const held = await manager.post("/v1/commissions/review", {
      action: "hold",
      ids: [id],
      reason: "checking invoice",
    });
    expect(held.statusCode, held.body).toBe(200);
    const history = await owner.get(`/v1/commissions/${id}/history`);
    expect(history.statusCode, history.body).toBe(200);
    const items = history.json().items;
    expect(items).toHaveLength(2);
    expect(items[0]).toMatchObject({ action: "adjust", status: "approved", actor: { type: "team" } });
    expect(items[0].actor.name).toMatch(/^owner \d+$/);
    expect(items[1]).toMatchObject({
      action: "hold",
      status: "held",
      reason: "checking invoice",
      actor: { type: "team", name: expect.stringMatching(/^manager \d+$/), email: "mia@team.test" },
    });
    expect(JSON.stringify(items)).not.toMatch(/usr_/);
    expect((await owner.get("/v1/commissions/com_missing/history")).statusCode).toBe(404);
  });

  test("filtered by date, newest first by when they happened, paged to the end in one program, for a partner or all", async () => {
    const [first, second] = [(await programWithPartners(0)).program, (await programWithPartners(0)).program];
    // Random ids, so the order they were written in is not the order they happened in; three share a time.
    const day = (d: number, hour = 12) =>
      `2019-03-${String(d).padStart(2, "0")}T${String(hour).padStart(2, "0")}:00:00.000Z`;
    const fixtures = [
      { programId: first.id, partnerId: "ptn_dated_a", occurredAt: day(5) },
      { programId: second.id, partnerId: "ptn_dated_a", occurredAt: day(5) },
      { programId: first.id, partnerId: "ptn_dated_b", occurredAt: day(5) },
      { programId: first.id, partnerId: "ptn_dated_a", occurredAt: day(9) },
      { programId: second.id, partnerId: "ptn_dated_b", occurredAt: day(2) },
      { programId: second.id, partnerId: "ptn_dated_a", occurredAt: day(12) },
      { programId: first.id, partnerId: "ptn_dated_a", occurredAt: day(1) },
      // Outside the range: before it, and at its end (`to` is exclusive).
      { programId: first.id, partnerId: "ptn_dated_a", occurredAt: day(1, 11) },
      { programId: second.id, partnerId: "ptn_dated_a", occurredAt: day(20) },
    ].map((f) => ({ ...f, amount: 100n }));
    const ids = await seedEntries(t.database.db, fixtures);
    const seeded = fixtures.map((f, i) => ({ ...f, id: ids[i]! }));
    const range = `from=${day(1)}&to=${day(20)}`;
    const expected = (keep: (f: (typeof seeded)[number]) => boolean, from = day(1)) =>
      seeded
        .filter((f) => keep(f) && f.occurredAt >= from && f.occurredAt < day(20))
        .sort((a, b) => b.occurredAt.localeCompare(a.occurredAt) || (a.id < b.id ? 1 : -1))
        .map((f) => f.id);
    const pagedThrough = async (query: string) => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const r = await owner.get(`/v1/commissions?${query}&limit=2${cursor ? `&cursor=${cursor}` : ""}`);
        expect(r.statusCode, r.body).toBe(200);
        seen.push(...r.json().items.map((e: { id: string }) => e.id));
        cursor = r.json().nextCursor;
      } while (cursor);
      return seen;
    };
    const ours = (f: { programId: string }) => f.programId === first.id || f.programId === second.id;
    expect(await pagedThrough(range)).toEqual(expected(ours));
    expect(await pagedThrough(`${range}&programId=${first.id}`)).toEqual(expected((f) => f.programId === first.id));
    expect(await pagedThrough(`${range}&partnerId=ptn_dated_a`)).toEqual(
      expected((f) => f.partnerId === "ptn_dated_a"),
    );
    expect(await pagedThrough(`${range}&programId=${second.id}&partnerId=ptn_dated_a`)).toEqual(
      expected((f) => f.programId === second.id && f.partnerId === "ptn_dated_a"),
    );
    // One bound only: from its end back to the ledger's start.
    expect(await pagedThrough(`to=${day(20)}&programId=${first.id}`)).toEqual(
      expected((f) => f.programId === first.id, "2019-01-01T00:00:00.000Z"),
    );
    // Read a page per program and merged, each entry is what it is on its own (amounts, explanation, partner).
    const merged = (await owner.get(`/v1/commissions?${range}&limit=1`)).json().items[0];
    expect(merged).toEqual((await owner.get(`/v1/commissions/${merged.id}`)).json());
    expect(merged).toMatchObject({ amount: 100, explanation: { summary: "commission 100" } });
    // The export reads the same pages: its rows (occurred_at, entry_id, …) in the same order.
    const csv = (await owner.get(`/v1/commissions/export?${range}&partnerId=ptn_dated_b`)).body;
    const exported = csv.split("\n").filter((line) => line.startsWith("2019-"));
    expect(exported.map((line) => line.split(",")[1])).toEqual(expected((f) => f.partnerId === "ptn_dated_b"));
    // A cursor no list returned is the client's mistake, not a 500.
    const bad = await owner.get(`/v1/commissions?${range}&cursor=${ids[0]}`);
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors[0].field).toBe("querystring:/cursor");
  });
});

describe("fraud review", () => {
  test("a sale held by a fraud rule earns a held commission; its override is held too; the portal sees only 'under review'", async () => {
    const { program, partners } = await programWithPartners(2);
    const [recruiter, cheat] = partners as [Setup["partners"][0], Setup["partners"][0]];
    await owner.patch(`/v1/partners/${cheat.id}`, { recruitedByPartnerId: recruiter.id });
    await plan(program.id, {
      rules: [{ id: "r", name: "R", event: "sale", reward: { type: "percent", bps: 1_000 } }],
      overrides: { levels: [1_000] },
    });
    // The partner buys through its own coupon with its own sign-up email: a self-referral.
    await sale(program.id, cheat.id, { customerExternalId: "self", email: cheat.email });
    const [commission] = await ledger(`partnerId=${cheat.id}`);
    expect(commission).toMatchObject({
      kind: "commission",
      amount: 1_000,
      status: "held",
      statusReason: "fraud review",
    });
    const [override] = await ledger(`partnerId=${recruiter.id}`);
    expect(override).toMatchObject({ kind: "override", status: "held" });
    const portal = (await cheat.agent.get("/v1/portal/earnings")).json();
    expect(portal.items[0]).toMatchObject({ status: "held", statusReason: "on hold — under review" });
  });
});

describe("multi-currency", () => {
  test("a sale in another currency waits as pending FX until a rate exists, then earns at the recorded rate", async () => {
    const { program, partners } = await programWithPartners();
    await plan(program.id, { rules: [{ id: "r", name: "R", event: "sale", reward: { type: "percent", bps: 1_000 } }] });
    await sale(program.id, partners[0]!.id, { currency: "EUR", amount: 10_000, occurredAt: "2026-02-10T09:00:00Z" });
    expect(await ledger(`partnerId=${partners[0]!.id}`)).toEqual([]);
    expect((await owner.get(`/v1/commissions/summary?programId=${program.id}`)).json().waitingFx).toBe(1);
    expect((await partners[0]!.agent.get("/v1/portal/earnings")).json().waitingFx).toBe(1);

    const bad = await owner.request("PUT", "/v1/fx-rates", {
      date: "2026-02-10",
      from: "EUR",
      to: "XYZ",
      rate: "1.08",
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors[0].field).toBe("/to");
    const csv = "date,from,to,rate\n2026-02-10,EUR,USD,1.0825\n2026-02-11,EUR,USD,1.09\n";
    const upload = await owner.request("POST", "/v1/fx-rates/import", csv, { headers: { "content-type": "text/csv" } });
    expect(upload.json()).toEqual({ saved: 2 });
    const [entry] = await ledger(`partnerId=${partners[0]!.id}`);
    expect(entry!.amount).toBe(1_083);
    expect(entry!.explanation.steps[0]).toBe("EUR 100.00 at 1 EUR = 1.0825 USD (2026-02-10) = USD 108.25");
    expect((await owner.get(`/v1/commissions/summary?programId=${program.id}`)).json().waitingFx).toBe(0);
  });

  test("a rate that makes a sale larger than any amount leaves it waiting, and the queue behind it flows", async () => {
    const { program, partners } = await programWithPartners();
    await plan(program.id, { rules: [{ id: "r", name: "R", event: "sale", reward: { type: "percent", bps: 1_000 } }] });
    const day = "2026-02-12";
    // VND→USD saved the wrong way round: 1 VND = 30,000 USD.
    const rate = await owner.request("PUT", "/v1/fx-rates", { date: day, from: "VND", to: "USD", rate: "30000" });
    expect(rate.statusCode).toBe(200);
    const when = `${day}T09:00:00Z`;
    await sale(program.id, partners[0]!.id, { currency: "VND", amount: 900_000_000_000_000, occurredAt: when });
    await sale(program.id, partners[0]!.id, { occurredAt: when });
    const entries = await ledger(`partnerId=${partners[0]!.id}`);
    expect(entries.map((e) => e.amount)).toEqual([1_000]);
    expect((await owner.get(`/v1/commissions/summary?programId=${program.id}`)).json().waitingFx).toBe(1);
  });

  test("an upload naming the same day and pair twice keeps the later line; impossible dates are a 422", async () => {
    const upload = (csv: string) =>
      owner.request("POST", "/v1/fx-rates/import", `date,from,to,rate\n${csv}`, {
        headers: { "content-type": "text/csv" },
      });
    const twice = await upload("2025-03-03,EUR,USD,1.1\n2025-03-03,eur,usd,1.2\n");
    expect(twice.json()).toEqual({ saved: 1 });
    const rates = (await owner.get("/v1/fx-rates?from=EUR&to=USD")).json().items;
    expect(rates.find((r: { date: string }) => r.date === "2025-03-03")).toMatchObject({ rate: "1.2" });
    const feb31 = await upload("2025-02-31,EUR,USD,1.1\n");
    expect(feb31.statusCode).toBe(422);
    expect(feb31.json().errors[0].field).toBe("/rows/1/date");
    const year0 = await owner.request("PUT", "/v1/fx-rates", { date: "0000-06-01", from: "EUR", to: "USD", rate: "1" });
    expect(year0.statusCode).toBe(422);
    expect(year0.json().errors[0].field).toBe("/date");
  });

  test("a CSV with a bad line saves nothing and names the line", async () => {
    const csv = "date,from,to,rate\n2026-03-01,GBP,USD,1.27\n2026-03-02,GBP,USD,-1\n";
    const r = await owner.request("POST", "/v1/fx-rates/import", csv, { headers: { "content-type": "text/csv" } });
    expect(r.statusCode).toBe(422);
    expect(r.json().errors[0].field).toBe("/rows/2/rate");
    expect((await owner.get("/v1/fx-rates?from=GBP")).json().items).toEqual([]);
  });

  test("text/csv goes to the upload only: a JSON route of the same area answers 415 and saves nothing", async () => {
    const csv = "date,from,to,rate\n2026-03-05,CHF,USD,1.12\n";
    const r = await owner.request("PUT", "/v1/fx-rates", csv, { headers: { "content-type": "text/csv" } });
    expect(r.statusCode, r.body).toBe(415);
    expect(r.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(r.json().code).toBe("unsupported_media_type");
    expect((await owner.get("/v1/fx-rates?from=CHF")).json().items).toEqual([]);
  });
});

describe("rewards beyond the commission", () => {
  test("a bonus added to the plan after the month's sales is awarded by the hourly check, once", async () => {
    const { program, partners } = await programWithPartners(1);
    const rules = [{ id: "r", name: "R", event: "sale", reward: { type: "percent", bps: 1_000 } }];
    const created = await plan(program.id, { rules });
    for (let i = 0; i < 3; i++) await sale(program.id, partners[0]!.id);
    expect((await ledger(`partnerId=${partners[0]!.id}&kind=bonus`)).length).toBe(0);
    await owner.patch(`/v1/plans/${created.json().id}`, {
      definition: {
        rules,
        bonuses: [{ id: "three", name: "Three sales", metric: "sales_count", threshold: 3, amount: 5_000 }],
      },
    });
    // The month's totals (three sales of USD 100) reach the new threshold.
    expect(await evaluateBonuses({ db: t.database.db, clock: t.clock })).toBe(1);
    expect(await evaluateBonuses({ db: t.database.db, clock: t.clock })).toBe(0);
    expect((await ledger(`partnerId=${partners[0]!.id}&kind=bonus`)).map((e) => e.amount)).toEqual([5_000]);
  });

  test("second-tier override, monthly bonus once, badge and the referred customer's reward", async () => {
    const { program, partners } = await programWithPartners(2);
    const [recruiter, recruited] = partners as [Setup["partners"][0], Setup["partners"][0]];
    const link = await owner.patch(`/v1/partners/${recruited.id}`, { recruitedByPartnerId: recruiter.id });
    expect(link.statusCode).toBe(200);
    await plan(program.id, {
      rules: [{ id: "r", name: "R", event: "sale", reward: { type: "percent", bps: 1_000 } }],
      overrides: { levels: [1_000] },
      bonuses: [{ id: "three", name: "Three sales", metric: "sales_count", threshold: 3, amount: 7_500 }],
      badges: [{ id: "pro", name: "Pro partner", metric: "sales_count", threshold: 2, benefits: ["priority support"] }],
      referralReward: { kind: "discount_percent", bps: 2_000 },
    });
    for (let i = 0; i < 4; i++)
      await sale(program.id, recruited.id, { customerExternalId: `cust-${i % 2}-${program.id}` });
    const mine = await ledger(`partnerId=${recruited.id}`);
    expect(mine.filter((e) => e.kind === "commission")).toHaveLength(4);
    expect(mine.filter((e) => e.kind === "bonus").map((e) => e.amount)).toEqual([7_500]);
    // The hourly re-check awards nothing new: the bonus of this month exists already.
    expect(await evaluateBonuses({ db: t.database.db, clock: t.clock })).toBe(0);
    const overrides = await ledger(`partnerId=${recruiter.id}&kind=override`);
    expect(overrides.map((e) => e.amount)).toEqual([100, 100, 100, 100]);
    // Each reads back with its own explanation, not the recruited partner's commission's.
    expect(overrides[0]!.explanation).toEqual({
      steps: ["10% of USD 10.00 = USD 1.00"],
      inputs: { plan: expect.any(String), level: 1, recruitedPartnerId: recruited.id },
      summary: "level 1 override on a recruited partner's commission: USD 1.00",
    });
    expect(mine.find((e) => e.kind === "commission")!.explanation).toMatchObject({
      summary: "R: USD 10.00",
      steps: ["10% of USD 100.00 = USD 10.00"],
    });
    const earnings = (await recruited.agent.get("/v1/portal/earnings")).json();
    expect(earnings.badges).toMatchObject([{ badgeId: "pro", name: "Pro partner", benefits: ["priority support"] }]);
    const rewards = (await owner.get(`/v1/referral-rewards?programId=${program.id}`)).json().items;
    expect(rewards).toHaveLength(2);
    expect(rewards[0]).toMatchObject({ kind: "discount_percent", value: 2_000, partnerId: recruited.id });
    expect(rewards[0].code).toMatch(/^REF-[A-Z2-9]{10}$/);
  });

  test("recurring commissions for N months after the first sale", async () => {
    const { program, partners } = await programWithPartners();
    await plan(program.id, {
      rules: [
        { id: "first", name: "First", event: "first_sale", reward: { type: "percent", bps: 3_000 } },
        {
          id: "renewal",
          name: "Renewals for 3 months",
          event: "recurring_sale",
          reward: { type: "percent", bps: 1_000 },
          duration: { type: "months", months: 3 },
        },
      ],
    });
    const customerExternalId = `sub-${program.id}`;
    for (const [month, recurring] of [
      ["01", false],
      ["02", true],
      ["03", true],
      ["04", true],
    ] as const) {
      await sale(program.id, partners[0]!.id, {
        customerExternalId,
        recurring,
        occurredAt: `2026-${month}-15T00:00:00Z`,
      });
    }
    const entries = (await ledger(`partnerId=${partners[0]!.id}`)).reverse();
    expect(entries.map((e) => [e.ruleId, e.amount])).toEqual([
      ["first", 3_000],
      ["renewal", 1_000],
      ["renewal", 1_000],
    ]);
  });
});

describe("what counts toward tiers, caps and bonuses: the partner's valid sales", () => {
  const refundWhole = (programId: string, orderId: string) =>
    api.post("/v1/track/refund", { programId, orderId, refundId: `${orderId}-back`, amount: 10_000 });
  const rejectCases = (conversionIds: string[]) =>
    owner.post("/v1/fraud/review", { action: "reject", conversionIds, reason: "self-referral" });

  test("sales rejected by fraud review or refunded in full leave the count: the next valid sale is the month's first", async () => {
    const { program, partners } = await programWithPartners();
    const partner = partners[0]!;
    await plan(program.id, TIERED_PLAN);
    const may = Date.parse("2026-05-04T10:00:00Z");
    const at = (day: number) => new Date(may + day * DAY).toISOString();
    // Three purchases with the partner's own sign-up email: held by fraud review, then rejected.
    const selfReferred = [];
    for (let i = 0; i < 3; i++) {
      selfReferred.push(
        await sale(program.id, partner.id, {
          customerExternalId: `self-${i}`,
          email: partner.email,
          occurredAt: at(i),
        }),
      );
    }
    await ledger(`partnerId=${partner.id}`);
    expect((await rejectCases(selfReferred.map((c) => c.id))).statusCode).toBe(200);
    // Two more sales, refunded in full.
    for (let i = 3; i < 5; i++) await sale(program.id, partner.id, { occurredAt: at(i) });
    for (const orderId of [`o-${orders - 1}`, `o-${orders}`]) {
      expect((await refundWhole(program.id, orderId)).statusCode).toBe(201);
    }
    await ledger(`partnerId=${partner.id}`);
    await sale(program.id, partner.id, { occurredAt: at(6) });
    const [latest] = await ledger(`partnerId=${partner.id}&kind=commission`);
    expect(latest!.explanation.steps[0]).toBe("sale #1 this month → tier level 1 (sales 1–5)");
    expect(latest!.amount).toBe(1_000);
  });

  test("a cap counts what was earned net of refunds", async () => {
    const { program, partners } = await programWithPartners();
    const partner = partners[0]!;
    await plan(program.id, {
      rules: [{ id: "share", name: "10%", event: "sale", reward: { type: "percent", bps: 1_000 } }],
      cap: { amount: 2_000, period: "calendar_month" },
    });
    await sale(program.id, partner.id);
    await sale(program.id, partner.id);
    expect((await refundWhole(program.id, `o-${orders}`)).statusCode).toBe(201);
    await ledger(`partnerId=${partner.id}`);
    await sale(program.id, partner.id);
    const [latest] = await ledger(`partnerId=${partner.id}&kind=commission`);
    expect(latest!.amount).toBe(1_000);
  });

  test("a bonus: not below its threshold; withdrawn when a counted sale is rejected; earned again when sales reach it", async () => {
    const { program, partners } = await programWithPartners();
    const partner = partners[0]!;
    await plan(program.id, {
      rules: [{ id: "r", name: "R", event: "sale", reward: { type: "percent", bps: 1_000 } }],
      bonuses: [{ id: "three", name: "Three sales", metric: "sales_count", threshold: 3, amount: 7_500 }],
    });
    await sale(program.id, partner.id);
    await sale(program.id, partner.id);
    expect(await ledger(`partnerId=${partner.id}&kind=bonus`)).toEqual([]);
    expect(await evaluateBonuses({ db: t.database.db, clock: t.clock })).toBe(0);
    await sale(program.id, partner.id);
    const [bonus] = await ledger(`partnerId=${partner.id}&kind=bonus`);
    expect(bonus).toMatchObject({ amount: 7_500, status: "pending" });

    const [third] = await ledger(`partnerId=${partner.id}&kind=commission`);
    const rejected = await owner.post("/v1/commissions/review", {
      action: "reject",
      ids: [third!.id],
      reason: "test order",
    });
    expect(rejected.statusCode).toBe(200);
    const [withdrawn] = await ledger(`partnerId=${partner.id}&kind=bonus`);
    expect(withdrawn).toMatchObject({ id: bonus!.id, status: "rejected" });
    expect(withdrawn!.statusReason).toMatch(/no longer reach/);

    await sale(program.id, partner.id);
    const bonuses = await ledger(`partnerId=${partner.id}&kind=bonus`);
    expect(bonuses.map((b) => b.status)).toEqual(["pending", "rejected"]);
  });

  test("a badge is not awarded below its milestone", async () => {
    const { program, partners } = await programWithPartners();
    const partner = partners[0]!;
    await plan(program.id, {
      rules: [{ id: "r", name: "R", event: "sale", reward: { type: "percent", bps: 1_000 } }],
      badges: [{ id: "pro", name: "Pro partner", metric: "sales_count", threshold: 3, benefits: ["priority support"] }],
    });
    await sale(program.id, partner.id);
    await sale(program.id, partner.id);
    await ledger(`partnerId=${partner.id}`);
    expect((await partner.agent.get("/v1/portal/earnings")).json().badges).toEqual([]);
    await sale(program.id, partner.id);
    await ledger(`partnerId=${partner.id}`);
    expect((await partner.agent.get("/v1/portal/earnings")).json().badges).toMatchObject([{ badgeId: "pro" }]);
  });

  test("a self-referral earns no bonus approval and no referral reward; an approved review issues the reward", async () => {
    const { program, partners } = await programWithPartners(1, { holdingDays: 0 });
    const partner = partners[0]!;
    await plan(program.id, {
      rules: [{ id: "r", name: "R", event: "sale", reward: { type: "percent", bps: 1_000 } }],
      bonuses: [{ id: "three", name: "Three sales", metric: "sales_count", threshold: 3, amount: 7_500 }],
      referralReward: { kind: "credit", amount: 2_000 },
    });
    const own = [];
    for (let i = 0; i < 3; i++) {
      own.push(await sale(program.id, partner.id, { customerExternalId: `own-${i}`, email: partner.email }));
    }
    await ledger(`partnerId=${partner.id}`);
    const rewards = async () => (await owner.get(`/v1/referral-rewards?programId=${program.id}`)).json().items;
    expect(await rewards()).toEqual([]);
    // The held sales count, so the month reaches the bonus; it waits while they are under review.
    expect((await owner.post("/v1/commissions/release-holdings", {})).statusCode).toBe(200);
    const [bonus] = await ledger(`partnerId=${partner.id}&kind=bonus`);
    expect(bonus).toMatchObject({ amount: 7_500, status: "pending" });

    // One is approved (a real customer after all): its reward is issued. The others are rejected, and the bonus with them.
    const approved = await owner.post("/v1/fraud/review", { action: "approve", conversionIds: [own[0].id] });
    expect(approved.statusCode).toBe(200);
    expect((await rejectCases([own[1].id, own[2].id])).statusCode).toBe(200);
    await ledger(`partnerId=${partner.id}`);
    expect((await rewards()).map((r: { conversionId: string }) => r.conversionId)).toEqual([own[0].id]);
    const [after] = await ledger(`partnerId=${partner.id}&kind=bonus`);
    expect(after).toMatchObject({ id: bonus!.id, status: "rejected" });
  });
});

describe("daily totals stay consistent", () => {
  test("one daily row per partner and day, counting each sale once", async () => {
    const { program, partners } = await programWithPartners();
    await plan(program.id, { rules: [{ id: "r", name: "R", event: "sale", reward: { type: "flat", amount: 1 } }] });
    for (let i = 0; i < 3; i++) await sale(program.id, partners[0]!.id, { occurredAt: "2026-05-05T10:00:00Z" });
    await t.app.commissions.drain();
    const rows = await selectRows<{ sales_count: number }>(
      t.database.db,
      sql`select sales_count from commission_daily_totals where program_id = ${program.id}`,
    );
    expect(rows.map((r) => Number(r.sales_count))).toEqual([3]);
  });
});

describe("the engine's pace", () => {
  test.each([
    [0, 20],
    [9, 20],
    [10, 250],
    [10_000, 250],
  ])("after a run that found %i credits the next kick waits %i ms", (credits, delay) =>
    expect(kickDelayAfter(credits)).toBe(delay),
  );

  test("a burst of concurrent sales: every one earns exactly once; a lone sale after it is calculated at the short pace", async () => {
    const { program, partners } = await programWithPartners();
    await plan(program.id, { rules: [{ id: "r", name: "R", event: "sale", reward: { type: "flat", amount: 1 } }] });
    await Promise.all(Array.from({ length: 60 }, () => sale(program.id, partners[0]!.id)));
    await t.app.commissions.drain();
    expect((await ledger(`partnerId=${partners[0]!.id}`)).filter((e) => e.kind === "commission")).toHaveLength(60);
    await sale(program.id, partners[0]!.id);
    await t.app.commissions.drain();
    expect((await ledger(`partnerId=${partners[0]!.id}`)).filter((e) => e.kind === "commission")).toHaveLength(61);
    expect(t.app.commissions.kickDelayMs()).toBe(20);
  });
});
