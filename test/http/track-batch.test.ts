import { count, eq, sql, sum } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { selectRows } from "../../src/db/client.js";
import { commissionEntries, conversions } from "../../src/db/schema/index.js";
import { click, programWithPartners } from "../helpers/program-setup.js";
import { type Agent, apiKeyAgent, createTestApp, type TestApp } from "../helpers/test-app.js";

const DAY = 86_400_000;

let t: TestApp;
let owner: Agent;
let api: Agent;

const stored = async (programId: string) =>
  (await t.database.db.select({ n: count() }).from(conversions).where(eq(conversions.programId, programId)))[0]!.n;

beforeAll(async () => {
  t = await createTestApp();
  owner = await t.team("owner");
  api = await apiKeyAgent(t, owner, ["track:write", "partners:read"]);
});
afterAll(() => t.close());

describe("POST /v1/track/batch", () => {
  test("records each event as its own request would, in order, each with its own outcome; a retry writes nothing", async () => {
    const { program, partners } = await programWithPartners(t, owner, 2);
    const [alice, bob] = partners;
    const aliceClick = await click(t, alice!.slug);
    const bobClick = await click(t, bob!.slug);
    t.clock.advance(DAY);
    const body = {
      leads: [{ programId: program.id, customerExternalId: "cus_1", clickId: aliceClick }],
      sales: [
        // The lead above stored Alice's touch for cus_1: this sale, with no click of its own, is hers.
        { programId: program.id, orderId: "inv_1", amount: 5_000, currency: "USD", customerExternalId: "cus_1" },
        { programId: program.id, orderId: "inv_2", amount: 100, currency: "XXX", customerExternalId: "cus_2" },
        { programId: "no-such-program", orderId: "inv_3", amount: 100, currency: "USD", customerExternalId: "cus_3" },
        // A customer's two sales in one batch are stored in the order sent: the second sees the first's click.
        {
          programId: program.slug,
          orderId: "inv_4",
          amount: 700,
          currency: "EUR",
          customerExternalId: "cus_4",
          clickId: bobClick,
        },
        { programId: program.slug, orderId: "inv_5", amount: 800, currency: "EUR", customerExternalId: "cus_4" },
      ],
      refunds: [
        // Refunds come after the sales, so a sale and its refund can travel together.
        { programId: program.id, orderId: "inv_1", refundId: "re_1", amount: 1_000 },
        { programId: program.id, orderId: "inv_404", refundId: "re_2", amount: 1 },
      ],
    };
    const r = await api.post("/v1/track/batch", body);
    expect(r.statusCode).toBe(200);
    const { leads, sales, refunds } = r.json().results;
    expect(leads).toMatchObject([{ status: 201, conversion: { kind: "lead", credits: [{ partnerId: alice!.id }] } }]);
    expect(sales).toHaveLength(5);
    expect(sales[0]).toMatchObject({
      status: 201,
      conversion: { idempotencyKey: "inv_1", amount: 5_000, credits: [{ partnerId: alice!.id, weightBps: 10_000 }] },
    });
    expect(sales[1]).toMatchObject({
      status: 422,
      problem: { status: 422, code: "validation", errors: [{ field: "/sales/1/currency" }] },
    });
    expect(sales[2]).toMatchObject({
      status: 422,
      problem: { code: "validation", errors: [{ field: "/sales/2/programId", message: "no such program" }] },
    });
    expect(sales[3]).toMatchObject({ status: 201, conversion: { credits: [{ partnerId: bob!.id }] } });
    expect(sales[4]).toMatchObject({
      status: 201,
      conversion: { idempotencyKey: "inv_5", credits: [{ partnerId: bob!.id }] },
    });
    expect(refunds[0]).toMatchObject({ status: 201, conversion: { kind: "refund", amount: 1_000 } });
    expect(refunds[1]).toMatchObject({ status: 404, problem: { status: 404 } });
    // One lead, three sales, one refund.
    expect(await stored(program.id)).toBe(5);

    // The same batch again: every recorded event answers 200 with its first result, every refusal is refused again.
    const again = await api.post("/v1/track/batch", body);
    expect(again.statusCode).toBe(200);
    const replayed = again.json().results;
    expect(replayed.leads.map((o: { status: number }) => o.status)).toEqual([200]);
    expect(replayed.sales.map((o: { status: number }) => o.status)).toEqual([200, 422, 422, 200, 200]);
    expect(replayed.refunds.map((o: { status: number }) => o.status)).toEqual([200, 404]);
    // The first results as they stand now: the refund above is counted in the sale.
    expect(replayed.sales[0].conversion).toEqual({ ...sales[0].conversion, refundedAmount: 1_000 });
    expect(replayed.refunds[0].conversion.id).toBe(refunds[0].conversion.id);
    expect(await stored(program.id)).toBe(5);

    // A key reused for another event is refused alone, naming what differs; the rest of the batch is recorded.
    const reused = await api.post("/v1/track/batch", {
      sales: [
        { programId: program.id, orderId: "inv_1", amount: 5_001, currency: "USD", customerExternalId: "cus_1" },
        { programId: program.id, orderId: "inv_6", amount: 900, currency: "USD", customerExternalId: "cus_1" },
      ],
    });
    expect(reused.json().results.sales).toMatchObject([
      {
        status: 409,
        problem: { code: "conflict", errors: [{ field: "/sales/0/orderId" }, { field: "/sales/0/amount" }] },
      },
      { status: 201, conversion: { idempotencyKey: "inv_6", credits: [{ partnerId: alice!.id }] } },
    ]);
    expect(await stored(program.id)).toBe(6);
  });

  test("a retried batch mixing recorded and new sales screens each sale once: the retried ones leave no screen", async () => {
    const { program, partners } = await programWithPartners(t, owner, 1);
    const clickId = await click(t, partners[0]!.slug);
    t.clock.advance(DAY);
    const sale = (n: number) => ({
      programId: program.id,
      orderId: `screened-${n}`,
      amount: 1_000 + n,
      currency: "USD",
      customerExternalId: `screened-cus-${n}`,
      clickId,
    });
    expect((await api.post("/v1/track/batch", { sales: [sale(1), sale(2)] })).statusCode).toBe(200);
    // Stored in one transaction with the new sale, the two recorded ones are found by the insert while their fraud
    // screen, sent with it, has already run: the transaction is rolled back and stored again with the new sale only.
    const again = await api.post("/v1/track/batch", { sales: [sale(1), sale(3), sale(2)] });
    expect(again.json().results.sales.map((o: { status: number }) => o.status)).toEqual([200, 201, 200]);
    const screens = await selectRows<{ conversion_id: string }>(
      t.database.db,
      sql`select conversion_id from conversion_screens where program_id = ${program.id} order by conversion_id`,
    );
    const attributed = await t.database.db
      .select({ id: conversions.id })
      .from(conversions)
      .where(eq(conversions.programId, program.id))
      .orderBy(conversions.id);
    expect(attributed).toHaveLength(3);
    expect(screens.map((s) => s.conversion_id)).toEqual(attributed.map((c) => c.id));
  });

  test("hundreds of sales in one request are each recorded and credited, and the engine pays them", async () => {
    const { program, partners } = await programWithPartners(t, owner, 1);
    const share = { id: "share", name: "Revenue share", event: "sale", reward: { type: "percent", bps: 2_000 } };
    const plan = await owner.post(`/v1/programs/${program.id}/plans`, {
      name: "Plan",
      scope: "program",
      definition: { rules: [share] },
    });
    expect(plan.statusCode).toBe(201);
    const clickId = await click(t, partners[0]!.slug);
    t.clock.advance(DAY);
    const sales = Array.from({ length: 600 }, (_, i) => ({
      programId: program.id,
      orderId: `bulk-${i}`,
      amount: 1_000 + i,
      currency: "USD",
      customerExternalId: `bulk-cus-${i}`,
      clickId,
    }));
    const r = await api.post("/v1/track/batch", { sales });
    expect(r.statusCode).toBe(200);
    const outcomes = r.json().results.sales as {
      status: number;
      conversion: { idempotencyKey: string; amount: number };
    }[];
    expect(outcomes.map((o) => o.status)).toEqual(sales.map(() => 201));
    expect(outcomes.map((o) => [o.conversion.idempotencyKey, o.conversion.amount])).toEqual(
      sales.map((s) => [s.orderId, s.amount]),
    );
    expect(await stored(program.id)).toBe(600);
    // The engine, kicked by the batch, pays a fifth of each sale: one ledger entry per sale.
    await t.app.commissions.drain();
    const [entries] = await t.database.db
      .select({ n: count(), total: sum(commissionEntries.amountMinor).mapWith(Number) })
      .from(commissionEntries)
      .where(eq(commissionEntries.programId, program.id));
    // 20 % of 1,000 + i minor units for i < 600: 200 + i/5, rounded per entry.
    expect(entries).toEqual({ n: 600, total: sales.reduce((total, s) => total + Math.round(s.amount / 5), 0) });
  });

  test("a body that fails the schema is refused whole, naming the event's field, and writes nothing", async () => {
    const { program } = await programWithPartners(t, owner, 1);
    const ok = { programId: program.id, orderId: "s-ok", amount: 100, currency: "USD", customerExternalId: "c" };
    const bad = await api.post("/v1/track/batch", { sales: [ok, { ...ok, orderId: "s-bad", amount: "100" }] });
    expect(bad.statusCode).toBe(422);
    expect(bad.headers["content-type"]).toContain("application/problem+json");
    expect(bad.json().errors).toEqual([{ field: "/sales/1/amount", message: expect.any(String) }]);
    const unknown = await api.post("/v1/track/batch", { sales: [ok], orders: [] });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().errors).toEqual([{ field: "/orders", message: expect.any(String) }]);
    const empty = await api.post("/v1/track/batch", {});
    expect(empty.statusCode).toBe(422);
    expect(empty.json().errors).toEqual([{ field: "/", message: "send at least one lead, sale or refund" }]);
    const lead = { programId: program.id, customerExternalId: "c" };
    const tooMany = await api.post("/v1/track/batch", {
      leads: Array.from({ length: 500 }, () => lead),
      sales: Array.from({ length: 501 }, (_, i) => ({ ...ok, orderId: `s-${i}` })),
    });
    expect(tooMany.statusCode).toBe(422);
    expect(tooMany.json().errors).toEqual([
      { field: "/", message: "at most 1000 events in one batch; this one has 1001" },
    ]);
    expect(await stored(program.id)).toBe(0);
  });
});
