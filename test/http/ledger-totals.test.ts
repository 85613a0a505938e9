import { afterAll, beforeAll, expect, test } from "vitest";
import { type Database, openDatabase } from "../../src/db/client.js";
import { ledgerTotals } from "../../src/domain/commissions/ledger-totals.js";
import { reviewCommissions } from "../../src/domain/commissions/review-commissions.js";
import { seedEntries } from "../helpers/ledger.js";
import { expectLedgerTotalsOfEveryEntry } from "../helpers/ledger-totals-from-every-entry.js";
import { runPayoutsOf, setPayoutMethod } from "../helpers/payout-setup.js";
import { type EnrolledPartner, programWithEnrolled } from "../helpers/program-setup.js";
import { type Agent, createTestApp, programBody, type TestApp } from "../helpers/test-app.js";

/**
 * The ledger totals read paid and rejected money from totals kept by the statements that pay or reject entries.
 * Whatever moves the ledger — the engine, reviews, fraud decisions, refunds, payouts, adjustments, partner actions —
 * they must say exactly what summing every entry says, for every program, partner and both.
 */
const DAY = 86_400_000;

let t: TestApp;
let api: Agent;
let usd: { id: string; slug: string };
let eur: { id: string; slug: string };
let one: EnrolledPartner;
let two: EnrolledPartner;
/** The coupon of each enrollment, by `programId|partnerId`. */
const coupons = new Map<string, string>();
let orders = 0;

beforeAll(async () => {
  t = await createTestApp();
  const owner = await t.team("owner");
  api = t.agent();
  api.bearer = (await owner.post("/v1/api-keys", { name: "shop", scopes: ["track:write"] })).json().secret;
  // Two partners in a monthly USD program (10% a sale; a bonus at three sales a month); the first also in a NET-30
  // EUR program (20% a sale).
  const monthly = await programWithEnrolled(t, owner, { applicationQuestions: [] }, 2);
  usd = monthly.program;
  [one, two] = monthly.partners as [EnrolledPartner, EnrolledPartner];
  eur = (
    await owner.post(
      "/v1/programs",
      programBody({ payoutSchedule: "net_30", currency: "EUR", applicationQuestions: [] }),
    )
  ).json();
  const applied = await one.agent.post(`/v1/portal/programs/${eur.slug}/applications`, { acceptTerms: true });
  expect((await owner.post(`/v1/enrollments/${applied.json().id}/approve`, {})).statusCode).toBe(200);
  const plan = (programId: string, definition: unknown) =>
    owner.post(`/v1/programs/${programId}/plans`, { name: "Plan", scope: "program", definition });
  const share = (bps: number) => ({ id: "share", name: "Share", event: "sale", reward: { type: "percent", bps } });
  const bonus = { id: "three", name: "Three sales", metric: "sales_count", threshold: 3, amount: 5_000 };
  expect((await plan(usd.id, { rules: [share(1_000)], bonuses: [bonus] })).statusCode).toBe(201);
  expect((await plan(eur.id, { rules: [share(2_000)] })).statusCode).toBe(201);
  for (const [program, partner, enrollmentId] of [
    [usd, one, one.enrollmentId],
    [usd, two, two.enrollmentId],
    [eur, one, applied.json().id],
  ] as const) {
    const code = `LT${coupons.size}${Math.random().toString(36).slice(2, 8)}`.toUpperCase();
    expect((await owner.post("/v1/coupons", { enrollmentId, code })).statusCode).toBe(201);
    coupons.set(`${program.id}|${partner.partnerId}`, code);
  }
  for (const partner of [one, two]) await setPayoutMethod(partner.agent, { kind: "paypal", email: "p@pay.example" });
});
afterAll(() => t?.close());

async function sale(program: { id: string }, partner: EnrolledPartner, extra: Record<string, unknown> = {}) {
  const r = await api.post("/v1/track/sale", {
    programId: program.id,
    orderId: `o-${++orders}`,
    amount: 10_000,
    currency: program === eur ? "EUR" : "USD",
    couponCode: coupons.get(`${program.id}|${partner.partnerId}`),
    customerExternalId: `c-${orders}`,
    ...extra,
  });
  expect(r.statusCode, r.body).toBe(201);
  return { conversionId: r.json().id as string, orderId: `o-${orders}` };
}

const refund = async (program: { id: string }, orderId: string, amount: number) =>
  expect(
    (await api.post("/v1/track/refund", { programId: program.id, orderId, refundId: `r-${++orders}`, amount }))
      .statusCode,
  ).toBe(201);

/** The ledger's entries of one partner in one program, by the conversion they were earned on. */
async function entriesOf(program: { id: string }, partner: EnrolledPartner, kind = "commission") {
  await t.app.commissions.drain();
  const owner = await t.team("viewer");
  const page = await owner.get(
    `/v1/commissions?programId=${program.id}&partnerId=${partner.partnerId}&kind=${kind}&limit=200`,
  );
  return page.json().items as { id: string; conversionId: string | null; status: string; amount: number }[];
}

/** Kept totals and the sum of every entry agree for all programs, each program, each partner, and each pair. */
async function expectTotalsOfEveryEntry(step: string) {
  await t.app.commissions.drain();
  const programs = [usd.id, eur.id];
  const partners = [one.partnerId, two.partnerId];
  const filters = [
    {},
    ...programs.map((programId) => ({ programId })),
    ...partners.map((partnerId) => ({ partnerId })),
    ...programs.flatMap((programId) => partners.map((partnerId) => ({ programId, partnerId }))),
  ];
  for (const filter of filters)
    await expectLedgerTotalsOfEveryEntry(t.ctx, filter, `${step}, ${JSON.stringify(filter)}`);
}

test("after every move of the ledger, the kept totals say what summing every entry says", async () => {
  const sales = [await sale(usd, one), await sale(usd, one), await sale(usd, one)];
  await sale(usd, two);
  await sale(usd, two);
  await sale(eur, one);
  await sale(eur, one);
  await expectTotalsOfEveryEntry("sales earn commissions and a bonus");
  expect(await entriesOf(usd, one, "bonus")).toHaveLength(1);

  // A sale without a user agent is held by the bot rule; a disposable address, once that rule rejects, is rejected
  // as the engine writes its commission.
  const owner = await t.team("owner");
  const bot = await sale(usd, two, { ip: "203.0.113.9" });
  const rule = await owner.patch(`/v1/programs/${usd.id}/fraud-rules/disposable_email`, { action: "reject" });
  expect(rule.statusCode, rule.body).toBe(200);
  await sale(usd, one, { email: "someone@mailinator.com" });
  await expectTotalsOfEveryEntry("fraud rules hold and reject at ingestion");
  expect((await entriesOf(usd, one)).map((e) => e.status)).toContain("rejected");

  await refund(usd, sales[0]!.orderId, 5_000);
  await expectTotalsOfEveryEntry("a refund before payout reverses");

  // The refunded sale is rejected with its reversal; the month falls below the bonus, which is withdrawn.
  const [refunded] = (await entriesOf(usd, one)).filter((e) => e.conversionId === sales[0]!.conversionId);
  const [kept] = (await entriesOf(usd, two)).filter((e) => e.status === "pending");
  const review = (action: string, ids: string[], reason?: string) =>
    owner.post("/v1/commissions/review", { action, ids, ...(reason ? { reason } : {}) });
  expect((await review("reject", [refunded!.id], "self-referral")).statusCode).toBe(200);
  expect((await review("hold", [kept!.id], "checking")).statusCode).toBe(200);
  await expectTotalsOfEveryEntry("a manager rejects a refunded sale and holds another");
  expect((await entriesOf(usd, one, "bonus"))[0]!.status).toBe("rejected");

  const decided = await owner.post("/v1/fraud/review", {
    action: "reject",
    conversionIds: [bot.conversionId],
    reason: "a bot",
  });
  expect(decided.json().updated).toHaveLength(1);
  await expectTotalsOfEveryEntry("fraud review rejects the held sale");

  t.clock.advance(31 * DAY);
  const finance = await t.team("finance");
  expect((await finance.post("/v1/commissions/release-holdings")).json().approved).toBeGreaterThan(0);
  const manager = await t.team("owner"); // the first session expired with the month
  expect((await manager.post("/v1/commissions/review", { action: "approve", ids: [kept!.id] })).statusCode).toBe(200);
  for (const [program, partner, amount] of [
    [usd, two, 2_500],
    [eur, one, -300],
  ] as const) {
    const adjusted = await manager.post("/v1/commissions/adjustments", {
      programId: program.id,
      partnerId: partner.partnerId,
      amount,
      reason: "goodwill",
    });
    expect(adjusted.statusCode, adjusted.body).toBe(201);
  }
  await expectTotalsOfEveryEntry("the holding period ends; a held entry is approved; adjustments");

  t.clock.advance(31 * DAY);
  const payer = await t.team("finance");
  const monthlyRun = await runPayoutsOf(payer, usd.id);
  const payoutOf = (partner: EnrolledPartner) =>
    (monthlyRun.payouts as { id: string; partnerId: string }[]).find((p) => p.partnerId === partner.partnerId)!;
  await expectTotalsOfEveryEntry("a payout run claims the approved entries");
  expect((await payer.post(`/v1/payouts/${payoutOf(one).id}/mark-paid`, { reference: "PP-1" })).statusCode).toBe(200);
  await expectTotalsOfEveryEntry("a payout is marked paid");
  expect((await payer.post(`/v1/payouts/${payoutOf(two).id}/fail`, { reason: "closed" })).statusCode).toBe(200);
  await expectTotalsOfEveryEntry("a payout fails: its entries return to the balance");

  await refund(usd, sales[1]!.orderId, 10_000);
  await expectTotalsOfEveryEntry("a refund after payout claws back");

  const eurRun = await runPayoutsOf(payer, eur.id);
  expect(eurRun.payouts).toHaveLength(1);
  const batch = await payer.post("/v1/payout-batches", { programId: eur.id, methodKind: "paypal" });
  expect(batch.statusCode, batch.body).toBe(201);
  expect((await payer.post(`/v1/payout-batches/${batch.json().id}/mark-paid`, {})).statusCode).toBe(200);
  await expectTotalsOfEveryEntry("a batch is marked paid");

  const suspended = await (await t.team("owner")).post(`/v1/partners/${two.partnerId}/actions`, {
    kind: "suspend",
    reason: "fake traffic",
    commissions: "reject",
  });
  expect(suspended.statusCode, suspended.body).toBe(201);
  await expectTotalsOfEveryEntry("a partner is suspended and its unpaid commissions rejected");

  // The sequence moved money into both final statuses, in both currencies.
  const [dollars] = await ledgerTotals(t.ctx, { programId: usd.id });
  const [euros] = await ledgerTotals(t.ctx, { programId: eur.id });
  expect(dollars).toMatchObject({ currency: "USD", paid: expect.any(Number), rejected: expect.any(Number) });
  expect([dollars!.paid > 0, dollars!.rejected > 0, euros!.paid > 0]).toEqual([true, true, true]);
});

test("two transactions rejecting one partner's entries at once both count", async () => {
  // On PostgreSQL a second pool is a second app instance: the two reviews run in their own transactions at once.
  const second: Database =
    t.database.kind === "postgres"
      ? await openDatabase({ databaseUrl: t.database.connectionString, poolSize: 5 })
      : t.database;
  try {
    const { program, partners } = await programWithEnrolled(t, await t.team("owner"), { applicationQuestions: [] });
    const partnerId = partners[0]!.partnerId;
    const ids = await seedEntries(
      t.database.db,
      Array.from({ length: 40 }, (_, i) => ({
        programId: program.id,
        partnerId,
        amount: BigInt(100 + i),
        occurredAt: "2026-01-01T00:00:00Z",
      })),
    );
    const reject = (db: Database, id: string) =>
      reviewCommissions({ ...t.ctx, db: db.db }, { action: "reject", ids: [id], reason: "race" });
    await Promise.all(ids.map((id, i) => reject(i % 2 ? second : t.database, id)));
    const [totals] = await ledgerTotals(t.ctx, { programId: program.id, partnerId });
    expect(totals!.rejected).toBe(ids.reduce((sum, _, i) => sum + 100 + i, 0));
    await expectLedgerTotalsOfEveryEntry(t.ctx, { programId: program.id });
  } finally {
    if (second !== t.database) await second.close();
  }
});
