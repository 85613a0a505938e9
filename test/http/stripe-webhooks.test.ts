import { randomBytes } from "node:crypto";
import { and, eq, isNull, sql } from "drizzle-orm";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { auditLog, commissionEntries, payouts, stripeEvents } from "../../src/db/schema/index.js";
import { FakeStripe, type FakeTransfer } from "../helpers/fake-stripe.js";
import { seedEntries } from "../helpers/ledger.js";
import {
  type Agent,
  applicationBody,
  createTestApp,
  PASSWORD,
  type ProgramJson,
  programBody,
  type TestApp,
} from "../helpers/test-app.js";

const SECRET = "whsec_test_tributary_0123456789abcdef";

let t: TestApp;
let stripe: FakeStripe;
let owner: Agent;
let finance: Agent;
let n = 0;

beforeAll(async () => {
  stripe = await new FakeStripe().start();
  t = await createTestApp({
    STRIPE_SECRET_KEY: stripe.secretKey,
    STRIPE_API_BASE: stripe.url,
    STRIPE_WEBHOOK_SECRET: SECRET,
  });
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
function stripeEvent(type: string, object: unknown, extra: { account?: string; created?: number } = {}) {
  return {
    id: `evt_${randomBytes(12).toString("hex")}`,
    object: "event",
    api_version: "2025-01-27.acacia",
    created: extra.created ?? nowSeconds(),
    type,
    data: { object },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    ...(extra.account ? { account: extra.account } : {}),
  };
}

/** Posts the body as Stripe would, signed by the official library (or with the header given). */
async function deliver(event: unknown, options: { secret?: string; header?: string | null; timestamp?: number } = {}) {
  const payload = JSON.stringify(event);
  const header =
    options.header === undefined
      ? Stripe.webhooks.generateTestHeaderString({
          payload,
          secret: options.secret ?? SECRET,
          timestamp: options.timestamp ?? nowSeconds(),
        })
      : options.header;
  return t.app.inject({
    method: "POST",
    url: "/v1/webhooks/stripe",
    headers: { "content-type": "application/json", ...(header === null ? {} : { "stripe-signature": header }) },
    payload,
  });
}

const reversedTransfer = (transfer: FakeTransfer, amountReversed: number) => ({
  ...transfer,
  amount_reversed: amountReversed,
  reversed: amountReversed >= transfer.amount,
  reversals: {
    object: "list",
    data: [],
    has_more: false,
    total_count: 0,
    url: `/v1/transfers/${transfer.id}/reversals`,
  },
});

const account = (id: string, payoutsEnabled: boolean, disabledReason: string | null, pastDue: string[] = []) => ({
  id,
  object: "account",
  payouts_enabled: payoutsEnabled,
  charges_enabled: payoutsEnabled,
  requirements: { disabled_reason: disabledReason, past_due: pastDue, currently_due: pastDue, eventually_due: [] },
});

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

  test("unknown types, transfers and accounts are acknowledged, recorded and change nothing", async () => {
    const before = await t.database.db.select({ n: sql<number>`count(*)::int` }).from(commissionEntries);
    const unknownType = await deliver(stripeEvent("charge.succeeded", { id: "ch_1", object: "charge" }));
    expect(unknownType.statusCode).toBe(200);
    expect(unknownType.json()).toEqual({ received: true, duplicate: false, outcome: "ignored" });
    const stranger: FakeTransfer = {
      id: "tr_not_ours",
      object: "transfer",
      amount: 1_000,
      currency: "usd",
      destination: "acct_elsewhere",
      transfer_group: null,
      description: null,
      metadata: {},
      created: nowSeconds(),
      livemode: false,
      reversed: false,
    };
    const unknownTransfer = await deliver(stripeEvent("transfer.reversed", reversedTransfer(stranger, 1_000)));
    expect(unknownTransfer.statusCode).toBe(200);
    expect(unknownTransfer.json().outcome).toBe("unknown transfer tr_not_ours");
    const forged = await deliver(
      stripeEvent("transfer.reversed", reversedTransfer({ ...stranger, metadata: { payout_id: "pay_nope" } }, 1_000)),
    );
    expect(forged.json().outcome).toBe("unknown transfer tr_not_ours");
    const unknownAccount = await deliver(
      stripeEvent("account.updated", account("acct_nobody", false, "requirements.past_due"), {
        account: "acct_nobody",
      }),
    );
    expect(unknownAccount.statusCode).toBe(200);
    expect(unknownAccount.json().outcome).toBe("unknown account acct_nobody");
    const after = await t.database.db.select({ n: sql<number>`count(*)::int` }).from(commissionEntries);
    expect(after).toEqual(before);
    const logged = await t.database.db.select().from(stripeEvents).where(eq(stripeEvents.type, "charge.succeeded"));
    expect(logged).toHaveLength(1);
  });
});

describe("transfer reversals", () => {
  test("a paid payout reversed in full: still paid, the amount is payable again once, audited, on the statement", async () => {
    const { program, partners } = await arrange(1);
    const [p] = partners;
    const { made } = await payByStripe(program.id);
    const payoutId = made[0]!.id;
    const transfer = transferOf(payoutId);
    expect((await payoutView(payoutId)).status).toBe("paid");
    expect(await unpaidBalance(p!.partnerId)).toBe(0);

    const event = stripeEvent("transfer.reversed", reversedTransfer(transfer, 2_000));
    const first = await deliver(event);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ received: true, duplicate: false });
    expect(first.json().outcome).toMatch(new RegExp(`^reversed ${payoutId}: 2000 returned`));

    const viewed = await payoutView(payoutId);
    expect(viewed).toMatchObject({ status: "paid", reversedAmount: 2_000, externalRef: transfer.id });
    expect(viewed.reversedAt).toBe(t.clock.now().toISOString());
    expect(await unpaidBalance(p!.partnerId)).toBe(2_000);
    const [credit] = await t.database.db
      .select()
      .from(commissionEntries)
      .where(and(eq(commissionEntries.partnerId, p!.partnerId), eq(commissionEntries.kind, "adjustment")));
    expect(credit).toMatchObject({ amountMinor: 2_000n, status: "approved", payoutId: null });
    expect(credit!.explanation.summary).toMatch(/reversed by Stripe/);

    // Stripe delivers the same event again, and then its transfer.updated for the same reversal.
    const again = await deliver(event);
    expect(again.json()).toEqual({ received: true, duplicate: true, outcome: "already handled" });
    const updated = await deliver(stripeEvent("transfer.updated", reversedTransfer(transfer, 2_000)));
    expect(updated.json().outcome).toMatch(/^already credited/);
    expect(await unpaidBalance(p!.partnerId)).toBe(2_000);

    const audits = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, payoutId), eq(auditLog.action, "payout.reversed")));
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actorType: "system", actorLabel: "Stripe webhook" });

    // The next run pays the returned amount, once.
    const next = await runPayouts(program.id);
    expect(next).toHaveLength(1);
    expect(next[0]).toMatchObject({ partnerId: p!.partnerId, amount: 2_000 });
    expect(await runPayouts(program.id)).toHaveLength(0);

    // The statement keeps the payout and shows the money coming back: 2,000 earned, 2,000 owed again.
    const statement = (await p!.agent.get(`/v1/portal/statement?programId=${program.id}&period=2026-03`)).json<{
      payouts: number;
      adjustments: number;
      closingBalance: number;
    }>();
    expect(statement).toMatchObject({ payouts: -2_000, adjustments: 2_000, closingBalance: 2_000 });
  }, 30_000);

  test("partial reversals credit what is newly reversed; a late, older event credits nothing", async () => {
    const { program, partners } = await arrange(1);
    const [p] = partners;
    const { made } = await payByStripe(program.id);
    const payoutId = made[0]!.id;
    const transfer = transferOf(payoutId);

    const older = stripeEvent("transfer.reversed", reversedTransfer(transfer, 500));
    expect((await deliver(older)).json().outcome).toMatch(/500 returned/);
    expect(await unpaidBalance(p!.partnerId)).toBe(500);
    expect((await payoutView(payoutId)).reversedAmount).toBe(500);

    const more = await deliver(stripeEvent("transfer.updated", reversedTransfer(transfer, 2_000)));
    expect(more.json().outcome).toMatch(/1500 returned/);
    expect(await unpaidBalance(p!.partnerId)).toBe(2_000);

    // An event about the first reversal, under another id, arrives last.
    const late = await deliver(stripeEvent("transfer.updated", reversedTransfer(transfer, 500)));
    expect(late.json().outcome).toMatch(/^already credited/);
    expect(await unpaidBalance(p!.partnerId)).toBe(2_000);
    expect((await payoutView(payoutId)).reversedAmount).toBe(2_000);
  }, 30_000);

  test("a transfer whose response was lost, reversed in full: the payout fails and its entries return", async () => {
    const { program, partners } = await arrange(1);
    const [p] = partners;
    stripe.dropResponses.set(p!.accountId, 3);
    const { made, sent } = await payByStripe(program.id);
    expect(sent).toMatchObject({ paid: 0, retryable: 1 });
    const payoutId = made[0]!.id;
    expect((await payoutView(payoutId)).status).toBe("processing");
    const transfer = transferOf(payoutId);

    const response = await deliver(stripeEvent("transfer.reversed", reversedTransfer(transfer, 2_000)));
    expect(response.json().outcome).toMatch(/^failed/);
    const viewed = await payoutView(payoutId);
    expect(viewed).toMatchObject({ status: "failed", externalRef: transfer.id });
    expect(viewed.failureReason).toMatch(/Stripe reversed the transfer/);
    expect(await unpaidBalance(p!.partnerId)).toBe(2_000);
    const [row] = await t.database.db.select().from(payouts).where(eq(payouts.id, payoutId));
    expect(row!.reversedMinor).toBe(0n);
  }, 30_000);
  test("a transfer whose response was lost, reversed in part: recorded paid, the reversed part credited", async () => {
    const { program, partners } = await arrange(1);
    const [p] = partners;
    stripe.dropResponses.set(p!.accountId, 3);
    const { made } = await payByStripe(program.id);
    const payoutId = made[0]!.id;
    const transfer = transferOf(payoutId);

    const response = await deliver(stripeEvent("transfer.reversed", reversedTransfer(transfer, 800)));
    expect(response.json().outcome).toMatch(new RegExp(`^reversed ${payoutId}: 800 returned`));
    expect(await payoutView(payoutId)).toMatchObject({ status: "paid", externalRef: transfer.id, reversedAmount: 800 });
    expect(await unpaidBalance(p!.partnerId)).toBe(800);
    const entries = await t.database.db
      .select({ status: commissionEntries.status })
      .from(commissionEntries)
      .where(and(eq(commissionEntries.partnerId, p!.partnerId), eq(commissionEntries.kind, "commission")));
    expect(entries.map((e) => e.status)).toEqual(["paid"]);
  }, 30_000);

  test("a lost-response transfer reversed in part whose entry was held meanwhile: acknowledged, left for review", async () => {
    const { program, partners } = await arrange(1);
    const [p] = partners;
    stripe.dropResponses.set(p!.accountId, 3);
    const { made } = await payByStripe(program.id);
    const payoutId = made[0]!.id;
    await t.database.db
      .update(commissionEntries)
      .set({ status: "held" })
      .where(and(eq(commissionEntries.partnerId, p!.partnerId), eq(commissionEntries.kind, "commission")));

    const response = await deliver(stripeEvent("transfer.reversed", reversedTransfer(transferOf(payoutId), 800)));
    expect(response.statusCode).toBe(200);
    expect(response.json().outcome).toMatch(/^needs review/);
    const viewed = await payoutView(payoutId);
    expect(viewed).toMatchObject({ status: "processing", reversedAmount: 0 });
    expect(viewed.lastError).toMatch(/could not be recorded/);
    expect(await unpaidBalance(p!.partnerId)).toBe(0);
  }, 30_000);
});

describe("account.updated", () => {
  test("a disabled account is flagged with Stripe's reason, its payouts are held, and enabled again they go out", async () => {
    const { program, partners } = await arrange(2);
    const [blocked, fine] = partners;
    const disabled = stripeEvent(
      "account.updated",
      account(blocked!.accountId, false, "requirements.past_due", ["individual.verification.document"]),
      { account: blocked!.accountId },
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

    // Stripe re-enables the account; an older "disabled" event delivered late does not flag it again.
    t.clock.advance(60_000);
    const enabled = await deliver(
      stripeEvent("account.updated", account(blocked!.accountId, true, null), { account: blocked!.accountId }),
    );
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
    await deliver(
      stripeEvent("account.updated", account(p!.accountId, false, "rejected.fraud"), { account: p!.accountId }),
    );
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
});
