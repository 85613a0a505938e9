import { randomBytes } from "node:crypto";
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { auditLog, commissionEntries, payoutMethods, payouts, stripeEvents } from "../../src/db/schema/index.js";
import { createStripeClient, loadKeyring } from "../../src/domain/payouts/payout-runtime.js";
import { fillStripeAccountDigests } from "../../src/domain/stripe-events/fill-stripe-account-digests.js";
import { type FakeAccountState, FakeStripe, type FakeTransfer } from "../helpers/fake-stripe.js";
import { seedEntries } from "../helpers/ledger.js";
import { type DeliveryOptions, deliverStripeEvent, stripeEventAt } from "../helpers/stripe-webhook.js";
import {
  type Agent,
  applicationBody,
  createTestApp,
  PASSWORD,
  type ProgramJson,
  programBody,
  type TestApp,
} from "../helpers/test-app.js";

/** The platform endpoint's signing secret (transfer events) and the connected accounts' endpoint's. */
const SECRET = "whsec_test_tributary_0123456789abcdef";
const CONNECT_SECRET = "whsec_test_connect_fedcba9876543210";

let t: TestApp;
let stripe: FakeStripe;
/** The official client on the platform's key, to act in (fake) Stripe as the platform's dashboard would. */
let platform: Stripe;
let owner: Agent;
let finance: Agent;
let n = 0;

beforeAll(async () => {
  stripe = await new FakeStripe().start();
  t = await createTestApp({
    STRIPE_SECRET_KEY: stripe.secretKey,
    STRIPE_API_BASE: stripe.url,
    STRIPE_WEBHOOK_SECRET: `${SECRET}, ${CONNECT_SECRET}`,
  });
  platform = createStripeClient(stripe.secretKey, stripe.url);
  owner = await t.team("owner");
  finance = await t.team("finance");
});
afterAll(async () => {
  await t.close();
  await stripe.stop();
});

interface Partner {
  agent: Agent;
  partnerId: string;
  accountId: string;
}

const nowSeconds = () => Math.floor(t.clock.now().getTime() / 1000);

/** A Stripe event as Stripe sends it: the snapshot of the object, the account for Connect events. */
const stripeEvent = (
  type: string,
  object: unknown,
  extra: { account?: string; created?: number; livemode?: boolean } = {},
) => stripeEventAt(t.clock.now(), type, object, extra);

/** Posts the body as Stripe would, signed by the official library (or with the header given). */
const deliver = (event: unknown, options: Partial<DeliveryOptions> = {}) =>
  deliverStripeEvent(t, event, { secret: SECRET, ...options });

/** The platform reverses `amount` of a transfer in Stripe; returns the transfer as Stripe's events then carry it. */
async function reverse(transfer: FakeTransfer, amount: number) {
  await platform.transfers.createReversal(transfer.id, { amount });
  return structuredClone(transfer);
}

/** A transfer Stripe's events carry but the platform's key cannot see (another account's, or made up). */
const foreignTransfer = (id: string, metadata: Record<string, string> = {}, amount = 1_000): FakeTransfer => ({
  id,
  object: "transfer",
  amount,
  amount_reversed: amount,
  currency: "usd",
  destination: "acct_elsewhere",
  transfer_group: null,
  description: null,
  metadata,
  created: nowSeconds(),
  livemode: false,
  reversed: true,
  reversals: { object: "list", data: [], has_more: false, total_count: 0, url: `/v1/transfers/${id}/reversals` },
});

const accountState = (payoutsEnabled: boolean, disabledReason: string | null, pastDue: string[] = []) =>
  ({
    payouts_enabled: payoutsEnabled,
    requirements: { disabled_reason: disabledReason, past_due: pastDue },
  }) as FakeAccountState;

/** Stripe's state of the account becomes this, and Stripe sends the connected account's event about it. */
function accountUpdated(id: string, state: FakeAccountState) {
  stripe.accounts.set(id, state);
  return stripeEvent("account.updated", { id, object: "account", ...state }, { account: id });
}

/** A program and partners paid by Stripe Connect, each with `amount` approved and unpaid. */
async function arrange(count: number, amount = 2_000n) {
  const program = (await owner.post("/v1/programs", programBody())).json<ProgramJson>();
  const partners: Partner[] = [];
  for (let i = 0; i < count; i++) {
    n += 1;
    const agent = t.agent();
    const applied = await agent.post(
      `/v1/public/programs/${program.slug}/applications`,
      applicationBody(program, `s${n}@stripe-partner${n}.test`),
    );
    expect(applied.statusCode, applied.body).toBe(201);
    const { id, partnerId } = applied.json();
    expect((await owner.post(`/v1/enrollments/${id}/approve`, {})).statusCode).toBe(200);
    const accountId = `acct_${randomBytes(8).toString("hex")}`;
    const method = await agent.request("PUT", "/v1/portal/payout-method", {
      currentPassword: PASSWORD,
      kind: "stripe_connect",
      accountId,
    });
    expect(method.statusCode, method.body).toBe(200);
    await seedEntries(t.database.db, [
      { programId: program.id, partnerId, amount, occurredAt: "2026-01-05T00:00:00Z" },
    ]);
    partners.push({ agent, partnerId, accountId });
  }
  return { program, partners };
}

async function runPayouts(programId: string) {
  const response = await finance.post("/v1/payout-runs", { programId });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ payouts: { id: string; partnerId: string; amount: number }[] }>().payouts;
}

/** Runs payouts, batches them for Stripe and sends the batch. */
async function payByStripe(programId: string) {
  const made = await runPayouts(programId);
  const batch = await finance.post("/v1/payout-batches", { programId, methodKind: "stripe_connect" });
  expect(batch.statusCode, batch.body).toBe(201);
  const sent = await finance.post(`/v1/payout-batches/${batch.json().id}/send`, {});
  expect(sent.statusCode, sent.body).toBe(200);
  return { made, batchId: batch.json().id as string, sent: sent.json() };
}

const transferOf = (payoutId: string) => {
  const transfer = stripe.transfers.find((x) => x.metadata.payout_id === payoutId);
  if (!transfer) throw new Error(`no transfer for ${payoutId}`);
  return transfer;
};

/** What the program owes the partner and has not put in a payout yet. */
async function unpaidBalance(partnerId: string) {
  const [row] = await t.database.db
    .select({ sum: sql<string>`coalesce(sum(${commissionEntries.amountMinor}), 0)::text` })
    .from(commissionEntries)
    .where(
      and(
        eq(commissionEntries.partnerId, partnerId),
        eq(commissionEntries.status, "approved"),
        isNull(commissionEntries.payoutId),
      ),
    );
  return Number(row?.sum ?? 0);
}

const payoutView = async (id: string) => (await finance.get(`/v1/payouts/${id}`)).json();

/** Stripe's reversals credited back to the partner (held until a manager decides), by status. */
async function reversalCredits(partnerId: string) {
  return t.database.db
    .select()
    .from(commissionEntries)
    .where(and(eq(commissionEntries.partnerId, partnerId), eq(commissionEntries.kind, "adjustment")))
    .orderBy(commissionEntries.id);
}

async function review(action: "approve" | "reject", ids: string[]) {
  const response = await owner.post("/v1/commissions/review", {
    action,
    ids,
    ...(action === "reject" ? { reason: "the refund was the partner's doing" } : {}),
  });
  expect(response.statusCode, response.body).toBe(200);
  expect(response.json().skipped).toEqual([]);
}

/** A payout sent to Stripe whose response never came back: processing, its transfer id unknown here. */
async function lostResponsePayout() {
  const { program, partners } = await arrange(1);
  const [p] = partners;
  stripe.dropResponses.set(p!.accountId, 3);
  const { made, sent } = await payByStripe(program.id);
  expect(sent).toMatchObject({ paid: 0, retryable: 1 });
  const payoutId = made[0]!.id;
  expect(await payoutView(payoutId)).toMatchObject({ status: "processing", externalRef: null });
  return { program, partner: p!, payoutId, transfer: transferOf(payoutId) };
}

describe("POST /v1/webhooks/stripe: signature", () => {
  test("unsigned, badly signed, tampered or replayed late: 400 problem naming the header, nothing recorded", async () => {
    const event = stripeEvent("transfer.reversed", { id: "tr_nothing", object: "transfer" });
    const payload = JSON.stringify(event);
    const cases = [
      await deliver(event, { header: null }),
      await deliver(event, { header: "t=1,v1=deadbeef" }),
      await deliver(event, { secret: "whsec_someone_else" }),
      // A delivery captured and replayed after Stripe's five-minute window.
      await deliver(event, { timestamp: nowSeconds() - 600 }),
      await t.app.inject({
        method: "POST",
        url: "/v1/webhooks/stripe",
        headers: {
          "content-type": "application/json",
          "stripe-signature": Stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET }),
        },
        payload: payload.replace("tr_nothing", "tr_tampered"),
      }),
    ];
    for (const response of cases) {
      expect(response.statusCode, response.body).toBe(400);
      expect(response.headers["content-type"]).toMatch(/^application\/problem\+json/);
      expect(response.json()).toMatchObject({ status: 400, code: "invalid_signature" });
      expect(response.json().errors[0].field).toBe("header:/stripe-signature");
    }
    const recorded = await t.database.db.select().from(stripeEvents).where(eq(stripeEvents.id, event.id));
    expect(recorded).toEqual([]);
  });

  test("signed but not shaped like an event: a 422 naming the field, nothing recorded", async () => {
    const good = stripeEvent("transfer.reversed", { id: "tr_shape", object: "transfer" });
    const cases: [unknown, string][] = [
      [{ ...good, id: 42 }, "/id"],
      [{ ...good, created: "yesterday" }, "/created"],
      // Past year 9999: no timestamp column holds it.
      [{ ...good, created: 1e15 }, "/created"],
      [{ ...good, data: undefined }, "/data"],
      [{ ...good, data: { object: "tr_shape" } }, "/data/object"],
      [{ ...good, data: { object: { object: "transfer" } } }, "/data/object/id"],
      [{ ...good, account: 7 }, "/account"],
      [[good], "/"],
    ];
    for (const [event, field] of cases) {
      const response = await deliver(event);
      expect(response.statusCode, response.body).toBe(422);
      expect(response.headers["content-type"]).toMatch(/^application\/problem\+json/);
      expect(response.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect(await t.database.db.select().from(stripeEvents).where(eq(stripeEvents.id, good.id))).toEqual([]);
    // An event whose object has no id (a balance) is still an event: acknowledged and ignored.
    const balance = await deliver(stripeEvent("balance.available", { object: "balance", available: [] }));
    expect(balance.statusCode, balance.body).toBe(200);
  });

  test("not configured: a 404 problem that says which variable enables it", async () => {
    const bare = await createTestApp();
    try {
      const response = await bare.app.inject({
        method: "POST",
        url: "/v1/webhooks/stripe",
        headers: { "content-type": "application/json", "stripe-signature": "t=1,v1=x" },
        payload: "{}",
      });
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ code: "stripe_webhooks_not_configured" });
      expect(response.json().detail).toMatch(/STRIPE_WEBHOOK_SECRET/);
    } finally {
      await bare.close();
    }
  });

  test("either endpoint's secret signs: the platform's and the connected accounts'", async () => {
    const event = stripeEvent("charge.succeeded", { id: "ch_2", object: "charge" });
    const viaConnect = await deliver(event, { secret: CONNECT_SECRET });
    expect(viaConnect.statusCode, viaConnect.body).toBe(200);
    expect(viaConnect.json()).toEqual({ received: true, duplicate: false, outcome: "ignored" });
  });

  test("unknown types, transfers and accounts are acknowledged, recorded and change nothing", async () => {
    const before = await t.database.db.select({ n: sql<number>`count(*)::int` }).from(commissionEntries);
    const unknownType = await deliver(stripeEvent("charge.succeeded", { id: "ch_1", object: "charge" }));
    expect(unknownType.statusCode).toBe(200);
    expect(unknownType.json()).toEqual({ received: true, duplicate: false, outcome: "ignored" });
    const unknownTransfer = await deliver(stripeEvent("transfer.reversed", foreignTransfer("tr_not_ours")));
    expect(unknownTransfer.statusCode).toBe(200);
    expect(unknownTransfer.json().outcome).toBe("unknown transfer tr_not_ours");
    const forged = await deliver(
      stripeEvent("transfer.reversed", foreignTransfer("tr_not_ours", { payout_id: "pay_nope" })),
    );
    expect(forged.json().outcome).toBe("unknown transfer tr_not_ours");
    const unknownAccount = await deliver(accountUpdated("acct_nobody", accountState(false, "requirements.past_due")));
    expect(unknownAccount.statusCode).toBe(200);
    expect(unknownAccount.json().outcome).toBe("unknown account acct_nobody");
    const platformOwn = await deliver(stripeEvent("account.updated", { id: "acct_platform", object: "account" }));
    expect(platformOwn.json().outcome).toMatch(/^ignored: an account event without `account`/);
    const after = await t.database.db.select({ n: sql<number>`count(*)::int` }).from(commissionEntries);
    expect(after).toEqual(before);
    const logged = await t.database.db.select().from(stripeEvents).where(eq(stripeEvents.type, "charge.succeeded"));
    expect(logged.length).toBeGreaterThanOrEqual(1);
  });
});

describe("transfer reversals", () => {
  test("a paid payout reversed in full: still paid, the amount credited as held for review, once, audited; approved, the next run pays it", async () => {
    const { program, partners } = await arrange(1);
    const [p] = partners;
    const { made } = await payByStripe(program.id);
    const payoutId = made[0]!.id;
    const transfer = transferOf(payoutId);
    expect((await payoutView(payoutId)).status).toBe("paid");
    expect(await unpaidBalance(p!.partnerId)).toBe(0);

    const event = stripeEvent("transfer.reversed", await reverse(transfer, 2_000));
    const first = await deliver(event);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ received: true, duplicate: false });
    expect(first.json().outcome).toMatch(new RegExp(`^reversed ${payoutId}: 2000 held for review`));

    const viewed = await payoutView(payoutId);
    expect(viewed).toMatchObject({ status: "paid", reversedAmount: 2_000, externalRef: transfer.id });
    expect(viewed.reversedAt).toBe(t.clock.now().toISOString());
    // The platform reversed it: the money had reached the partner, so paying it again is a manager's decision.
    expect(await unpaidBalance(p!.partnerId)).toBe(0);
    const [credit] = await reversalCredits(p!.partnerId);
    expect(credit).toMatchObject({ amountMinor: 2_000n, status: "held", payoutId: null });
    expect(credit!.statusReason).toBe(
      `Stripe reversed transfer ${transfer.id} — approve to pay it again, reject if the reversal was deliberate`,
    );
    expect(credit!.explanation.summary).toMatch(/reversed by Stripe/);

    // Stripe delivers the same event again, and then its transfer.updated for the same reversal.
    const again = await deliver(event);
    expect(again.json()).toEqual({ received: true, duplicate: true, outcome: "already handled" });
    const updated = await deliver(stripeEvent("transfer.updated", structuredClone(transfer)));
    expect(updated.json().outcome).toMatch(/^already credited/);
    expect(await reversalCredits(p!.partnerId)).toHaveLength(1);

    const audits = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.partnerId, p!.partnerId), eq(auditLog.actorLabel, "Stripe webhook")));
    expect(audits.map((a) => a.action).sort()).toEqual(["commission.hold", "payout.reversed"]);
    expect(audits.find((a) => a.action === "commission.hold")?.entityId).toBe(credit!.id);

    // Held, it is not paid; a manager approves it in the commissions review and the next run pays it, once.
    expect(await runPayouts(program.id)).toHaveLength(0);
    await review("approve", [credit!.id]);
    expect(await unpaidBalance(p!.partnerId)).toBe(2_000);
    const next = await runPayouts(program.id);
    expect(next).toHaveLength(1);
    expect(next[0]).toMatchObject({ partnerId: p!.partnerId, amount: 2_000 });
    expect(await runPayouts(program.id)).toHaveLength(0);

    // The statement keeps the payout and shows the money coming back: 2,000 earned, 2,000 owed again.
    const statement = (await p!.agent.get(`/v1/portal/statement?programId=${program.id}&period=2026-03`)).json<{
      payouts: number;
      adjustments: number;
    }>();
    expect(statement).toMatchObject({ adjustments: 2_000 });
  }, 30_000);

  test("a reversal the program meant (rejected in review) is never paid", async () => {
    const { program, partners } = await arrange(1);
    const [p] = partners;
    const { made } = await payByStripe(program.id);
    await deliver(stripeEvent("transfer.reversed", await reverse(transferOf(made[0]!.id), 2_000)));
    const [credit] = await reversalCredits(p!.partnerId);
    await review("reject", [credit!.id]);
    expect(await runPayouts(program.id)).toHaveLength(0);
    expect(await unpaidBalance(p!.partnerId)).toBe(0);
  }, 30_000);

  test("partial reversals credit what is newly reversed; a late, older event credits nothing", async () => {
    const { program, partners } = await arrange(1);
    const [p] = partners;
    const { made } = await payByStripe(program.id);
    const payoutId = made[0]!.id;
    const transfer = transferOf(payoutId);

    const older = stripeEvent("transfer.reversed", await reverse(transfer, 500));
    expect((await deliver(older)).json().outcome).toMatch(/500 held for review/);
    expect((await payoutView(payoutId)).reversedAmount).toBe(500);

    const more = await deliver(stripeEvent("transfer.updated", await reverse(transfer, 1_500)));
    expect(more.json().outcome).toMatch(/1500 held for review/);
    expect((await reversalCredits(p!.partnerId)).map((c) => c.amountMinor)).toEqual([500n, 1_500n]);

    // An event about the first reversal, under another id, arrives last: Stripe's copy says 2,000 by now.
    const late = await deliver({ ...older, id: `evt_${randomBytes(12).toString("hex")}` });
    expect(late.json().outcome).toMatch(/^already credited/);
    expect(await reversalCredits(p!.partnerId)).toHaveLength(2);
    expect((await payoutView(payoutId)).reversedAmount).toBe(2_000);
  }, 30_000);

  test("a transfer whose response was lost, reversed in full: the payout fails and its entries return", async () => {
    const { partner: p, payoutId, transfer } = await lostResponsePayout();
    const response = await deliver(stripeEvent("transfer.reversed", await reverse(transfer, 2_000)));
    expect(response.json().outcome).toMatch(/^failed/);
    const viewed = await payoutView(payoutId);
    expect(viewed).toMatchObject({ status: "failed", externalRef: transfer.id });
    expect(viewed.failureReason).toMatch(/Stripe reversed the transfer/);
    expect(await unpaidBalance(p.partnerId)).toBe(2_000);
    const [row] = await t.database.db.select().from(payouts).where(eq(payouts.id, payoutId));
    expect(row!.reversedMinor).toBe(0n);
  }, 30_000);

  test("a transfer whose response was lost, reversed in part: recorded paid, the reversed part credited for review", async () => {
    const { partner: p, payoutId, transfer } = await lostResponsePayout();
    const response = await deliver(stripeEvent("transfer.reversed", await reverse(transfer, 800)));
    expect(response.json().outcome).toBe(`recorded ${payoutId} paid; 800 reversed, held for review`);
    expect(await payoutView(payoutId)).toMatchObject({ status: "paid", externalRef: transfer.id, reversedAmount: 800 });
    expect((await reversalCredits(p.partnerId)).map((c) => [c.amountMinor, c.status])).toEqual([[800n, "held"]]);
    const entries = await t.database.db
      .select({ status: commissionEntries.status })
      .from(commissionEntries)
      .where(and(eq(commissionEntries.partnerId, p.partnerId), eq(commissionEntries.kind, "commission")));
    expect(entries.map((e) => e.status)).toEqual(["paid"]);
  }, 30_000);

  test("a lost-response transfer reversed in part whose entry was held meanwhile: the reversal is kept, fail is refused, mark-paid credits it", async () => {
    const { partner: p, payoutId, transfer } = await lostResponsePayout();
    const [entry] = await t.database.db
      .update(commissionEntries)
      .set({ status: "held" })
      .where(and(eq(commissionEntries.partnerId, p.partnerId), eq(commissionEntries.kind, "commission")))
      .returning();

    const response = await deliver(stripeEvent("transfer.reversed", await reverse(transfer, 800)));
    expect(response.statusCode).toBe(200);
    expect(response.json().outcome).toMatch(/^needs review .*800 reversed, kept/);
    const viewed = await payoutView(payoutId);
    expect(viewed).toMatchObject({ status: "processing", reversedAmount: 800, externalRef: transfer.id });
    expect(viewed.lastError).toMatch(
      /released in fraud review\), mark the payout paid: the reversed USD 8\.00 is then credited.*Do not fail it/,
    );
    expect(await reversalCredits(p.partnerId)).toEqual([]);

    // Failing it would return 2,000 to the balance although 1,200 reached the partner.
    const fail = await finance.post(`/v1/payouts/${payoutId}/fail`, { reason: "stuck" });
    expect(fail.statusCode, fail.body).toBe(409);
    expect(fail.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(fail.json().detail).toMatch(new RegExp(`transferred by Stripe \\(${transfer.id}\\): failing it would pay`));

    // The entry is approved again and finance marks the payout paid with no reference: the transfer id stays,
    // and the 800 Stripe reversed is credited for review.
    // Fraud review releases the entry (an entry in a payout is not in the commissions review).
    await t.database.db
      .update(commissionEntries)
      .set({ status: "approved" })
      .where(eq(commissionEntries.id, entry!.id));
    const marked = await finance.post(`/v1/payouts/${payoutId}/mark-paid`, {});
    expect(marked.statusCode, marked.body).toBe(200);
    expect(await payoutView(payoutId)).toMatchObject({ status: "paid", externalRef: transfer.id, reversedAmount: 800 });
    expect((await reversalCredits(p.partnerId)).map((c) => [c.amountMinor, c.status])).toEqual([[800n, "held"]]);
    // Stripe's next event about the same reversal credits nothing more.
    const later = await deliver(stripeEvent("transfer.updated", structuredClone(transfer)));
    expect(later.json().outcome).toMatch(/^already credited/);
    expect(await reversalCredits(p.partnerId)).toHaveLength(1);
  }, 30_000);
});

describe("transfer events are checked against Stripe", () => {
  test("a partner's own transfer on its account, a test-mode event, a made-up transfer or one to another account credit nothing; the real reversal does", async () => {
    // The reviewer's case: the response was lost and finance marked the payout paid without a reference.
    const { partner: p, payoutId, transfer } = await lostResponsePayout();
    expect((await finance.post(`/v1/payouts/${payoutId}/mark-paid`, {})).statusCode).toBe(200);
    expect(await payoutView(payoutId)).toMatchObject({ status: "paid", externalRef: null });
    const lookalike = (id: string) => foreignTransfer(id, { payout_id: payoutId }, 2_000);

    // The partner transfers the same amount with the payout's id in the metadata on its own account and
    // reverses it: the Connect endpoint receives that event, with `account` set.
    const own = await deliver(stripeEvent("transfer.reversed", lookalike("tr_partners_own"), { account: p.accountId }));
    expect(own.json().outcome).toMatch(/^ignored: transfer tr_partners_own belongs to connected account/);
    // An event of the other mode than the platform's key (sk_test_ here).
    const live = await deliver(stripeEvent("transfer.reversed", lookalike("tr_live_mode"), { livemode: true }));
    expect(live.json().outcome).toBe("ignored: a live-mode event, and STRIPE_SECRET_KEY is a test-mode key");
    // A transfer the platform's key cannot see.
    const madeUp = await deliver(stripeEvent("transfer.reversed", lookalike("tr_made_up")));
    expect(madeUp.json().outcome).toBe("unknown transfer tr_made_up: not a transfer of the platform account");
    // A platform transfer carrying the payout's id (other software on the account) to another account.
    const other = await platform.transfers.create({
      amount: 2_000,
      currency: "usd",
      destination: "acct_someoneelse01",
      metadata: { payout_id: payoutId },
    });
    const otherCopy = await reverse(stripe.transfers.find((x) => x.id === other.id)!, 2_000);
    const elsewhere = await deliver(stripeEvent("transfer.reversed", otherCopy));
    expect(elsewhere.json().outcome).toBe(`unknown transfer ${other.id}`);
    // The event's copy says reversed, Stripe's does not: nothing is credited.
    const claimed = { ...structuredClone(transfer), amount_reversed: 2_000, reversed: true };
    const notReally = await deliver(stripeEvent("transfer.reversed", claimed));
    expect(notReally.json().outcome).toBe(`transfer ${transfer.id} of ${payoutId} not reversed`);
    expect(await reversalCredits(p.partnerId)).toEqual([]);
    expect(await payoutView(payoutId)).toMatchObject({ status: "paid", reversedAmount: 0 });

    const real = await deliver(stripeEvent("transfer.reversed", await reverse(transfer, 2_000)));
    expect(real.json().outcome).toMatch(/^reversed .*2000 held for review/);
    expect((await reversalCredits(p.partnerId)).map((c) => c.amountMinor)).toEqual([2_000n]);
  }, 30_000);

  test("the same event delivered twice at once, and two events about one transfer at once, credit once", async () => {
    const { program, partners } = await arrange(1);
    const [p] = partners;
    const { made } = await payByStripe(program.id);
    const transfer = transferOf(made[0]!.id);
    const event = stripeEvent("transfer.reversed", await reverse(transfer, 700));
    const same = await Promise.all([deliver(event), deliver(event), deliver(event)]);
    expect(same.map((r) => r.statusCode)).toEqual([200, 200, 200]);
    expect(same.filter((r) => !r.json().duplicate)).toHaveLength(1);
    expect((await reversalCredits(p!.partnerId)).map((c) => c.amountMinor)).toEqual([700n]);

    const copy = await reverse(transfer, 600);
    const pair = await Promise.all([
      deliver(stripeEvent("transfer.reversed", copy)),
      deliver(stripeEvent("transfer.updated", copy)),
    ]);
    expect(pair.map((r) => r.statusCode)).toEqual([200, 200]);
    expect(pair.map((r) => r.json().outcome).sort()).toEqual([
      expect.stringMatching(/^already credited/),
      expect.stringMatching(/600 held for review/),
    ]);
    expect((await reversalCredits(p!.partnerId)).map((c) => c.amountMinor)).toEqual([700n, 600n]);
    expect((await payoutView(made[0]!.id)).reversedAmount).toBe(1_300);
  }, 30_000);

  test("money returned by a reversal is payable at once, matched by its exact key prefix only", async () => {
    const { program, partners } = await arrange(1, 0n);
    const [p] = partners;
    // Approved today: not payable under the schedule, except as money a reversed transfer returned.
    const today = { programId: program.id, partnerId: p!.partnerId, kind: "adjustment" as const };
    const occurredAt = t.clock.now().toISOString();
    await seedEntries(t.database.db, [{ ...today, amount: 900n, occurredAt, dedupeKey: "stripeXreversal:pay_x:900" }]);
    expect(await runPayouts(program.id)).toHaveLength(0);
    await seedEntries(t.database.db, [{ ...today, amount: 400n, occurredAt, dedupeKey: "stripe_reversal:pay_x:400" }]);
    expect((await runPayouts(program.id)).map((x) => x.amount)).toEqual([400]);
  }, 30_000);
});

describe("account.updated", () => {
  test("a disabled account is flagged with Stripe's reason, its payouts are held, and enabled again they go out", async () => {
    const { program, partners } = await arrange(2);
    const [blocked, fine] = partners;
    const disabled = accountUpdated(
      blocked!.accountId,
      accountState(false, "requirements.past_due", ["individual.verification.document"]),
    );
    const flagged = await deliver(disabled);
    expect(flagged.json().outcome).toMatch(/needs attention; 1 of 1/);

    const portal = (await blocked!.agent.get("/v1/portal/payout-method")).json();
    expect(portal.attention.reason).toMatch(/paused payouts.*overdue: individual verification document/);
    expect(portal.attention.since).toBe(t.clock.now().toISOString());
    const team = (await finance.get(`/v1/partners/${blocked!.partnerId}/payout-method`)).json();
    expect(team.attention.reason).toBe(portal.attention.reason);
    expect((await fine!.agent.get("/v1/portal/payout-method")).json().attention).toBeNull();

    // The run makes both payouts; the Stripe batch takes only the one that can be paid.
    const made = await runPayouts(program.id);
    const heldPayout = made.find((x) => x.partnerId === blocked!.partnerId)!;
    const listed = (await finance.get(`/v1/payouts?programId=${program.id}`)).json().items;
    expect(listed.find((x: { id: string }) => x.id === heldPayout.id).heldReason).toBe(portal.attention.reason);
    expect((await blocked!.agent.get(`/v1/portal/payouts/${heldPayout.id}`)).json().heldReason).toBe(
      portal.attention.reason,
    );
    const explicit = await finance.post("/v1/payout-batches", {
      programId: program.id,
      methodKind: "stripe_connect",
      payoutIds: [heldPayout.id],
    });
    expect(explicit.statusCode).toBe(422);
    expect(explicit.json().errors[0]).toMatchObject({ field: "/payoutIds/0" });
    expect(explicit.json().errors[0].message).toMatch(/is held: Stripe has paused payouts/);
    const batch = await finance.post("/v1/payout-batches", { programId: program.id, methodKind: "stripe_connect" });
    expect(batch.json()).toMatchObject({ payoutCount: 1 });
    expect((await finance.post(`/v1/payout-batches/${batch.json().id}/send`, {})).json()).toMatchObject({ paid: 1 });
    expect((await payoutView(heldPayout.id)).status).toBe("pending");
    const none = await finance.post("/v1/payout-batches", { programId: program.id, methodKind: "stripe_connect" });
    expect(none.statusCode).toBe(409);
    expect(none.json().detail).toMatch(/1 held because the partner's Stripe account needs attention/);

    // Stripe re-enables the account; the older "disabled" event delivered late (or within the same second) does
    // not flag it again: Stripe's current state is read, not the event's copy.
    const enabled = await deliver(accountUpdated(blocked!.accountId, accountState(true, null)));
    expect(enabled.json().outcome).toMatch(/can be paid; 1 of 1/);
    const stale = await deliver({ ...disabled, id: `evt_${randomBytes(12).toString("hex")}` });
    expect(stale.json().outcome).toMatch(/0 of 1/);
    expect((await blocked!.agent.get("/v1/portal/payout-method")).json().attention).toBeNull();
    expect((await payoutView(heldPayout.id)).heldReason).toBeNull();

    const later = await finance.post("/v1/payout-batches", { programId: program.id, methodKind: "stripe_connect" });
    expect(later.statusCode, later.body).toBe(201);
    expect((await finance.post(`/v1/payout-batches/${later.json().id}/send`, {})).json()).toMatchObject({ paid: 1 });
    expect((await payoutView(heldPayout.id)).status).toBe("paid");

    const actions = await t.database.db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(and(eq(auditLog.entityType, "payout_method"), eq(auditLog.entityId, blocked!.partnerId)));
    expect(actions.map((a) => a.action).sort()).toEqual([
      "payout_method.attention_cleared",
      "payout_method.create",
      "payout_method.needs_attention",
    ]);
  }, 30_000);

  test("a batch made before the account was disabled holds its payout at send; a new account starts unflagged", async () => {
    const { program, partners } = await arrange(1);
    const [p] = partners;
    await runPayouts(program.id);
    const batch = (
      await finance.post("/v1/payout-batches", { programId: program.id, methodKind: "stripe_connect" })
    ).json();
    await deliver(accountUpdated(p!.accountId, accountState(false, "rejected.fraud")));
    const transfersBefore = stripe.transfers.length;
    const sent = (await finance.post(`/v1/payout-batches/${batch.id}/send`, {})).json();
    expect(sent).toMatchObject({ paid: 0, held: 1, batch: { status: "processing" } });
    expect(stripe.transfers.length).toBe(transfersBefore);
    const [held] = (await finance.get(`/v1/payouts?batchId=${batch.id}`)).json().items;
    expect(held.lastError).toMatch(/^held, not sent: .*suspected fraud/);

    // The partner connects another account: the flag belongs to the old one.
    const replaced = await p!.agent.request("PUT", "/v1/portal/payout-method", {
      currentPassword: PASSWORD,
      kind: "stripe_connect",
      accountId: "acct_brandnew0001",
    });
    expect(replaced.json().attention).toBeNull();
  }, 30_000);

  test("account events count only from connected accounts: one from the platform endpoint changes nothing", async () => {
    const { partners } = await arrange(1);
    const [p] = partners;
    stripe.accounts.set(p!.accountId, accountState(false, "rejected.fraud"));
    const platformCopy = stripeEvent("account.updated", { id: p!.accountId, object: "account" });
    expect((await deliver(platformCopy)).json().outcome).toMatch(/^ignored: an account event without `account`/);
    expect((await p!.agent.get("/v1/portal/payout-method")).json().attention).toBeNull();
  }, 30_000);

  test("methods saved before the account digest existed: indexed at startup, an unreadable one logged and skipped; re-saved, the mark stays", async () => {
    const { partners } = await arrange(2);
    const [older, broken] = partners;
    await t.database.db
      .update(payoutMethods)
      .set({ stripeAccountDigest: null })
      .where(inArray(payoutMethods.partnerId, [older!.partnerId, broken!.partnerId]));
    // A ciphertext bound to another partner does not decrypt (its key removed too early would do the same).
    const [olderRow] = await t.database.db
      .select()
      .from(payoutMethods)
      .where(eq(payoutMethods.partnerId, older!.partnerId));
    await t.database.db
      .update(payoutMethods)
      .set({ detailsEncrypted: olderRow!.detailsEncrypted })
      .where(eq(payoutMethods.partnerId, broken!.partnerId));
    // Before the backfill an event finds no method, and answers without error.
    const before = await deliver(accountUpdated(older!.accountId, accountState(false, "requirements.past_due")));
    expect(before.json().outcome).toBe(`unknown account ${older!.accountId}`);

    const errors: unknown[] = [];
    const log = { ...t.ctx.log, info: () => undefined, error: (o: unknown) => errors.push(o) } as never;
    const keyring = await loadKeyring(t.database.db, t.config.PAYOUT_ENCRYPTION_KEYS);
    expect(await fillStripeAccountDigests({ db: t.database.db, log }, keyring)).toEqual({
      filled: 1,
      failed: 1,
    });
    expect(errors).toHaveLength(1);
    const flagged = await deliver(accountUpdated(older!.accountId, accountState(false, "requirements.past_due")));
    expect(flagged.json().outcome).toMatch(/needs attention; 1 of 1/);

    // Re-saving the same account keeps Stripe's mark, even when the saved row had no digest yet.
    await t.database.db
      .update(payoutMethods)
      .set({ stripeAccountDigest: null })
      .where(eq(payoutMethods.partnerId, older!.partnerId));
    const resaved = await older!.agent.request("PUT", "/v1/portal/payout-method", {
      currentPassword: PASSWORD,
      kind: "stripe_connect",
      accountId: older!.accountId,
    });
    expect(resaved.statusCode, resaved.body).toBe(200);
    expect(resaved.json().attention?.reason).toMatch(/information Stripe asked for is past due/);
  }, 30_000);
});
