import { count, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { conversionIntake, conversions } from "../../src/db/schema/index.js";
import { newId } from "../../src/lib/ids.js";
import { intakeWorkerFor } from "../helpers/intake-worker.js";
import { click, programWithPartners } from "../helpers/program-setup.js";
import { type Agent, apiKeyAgent, createTestApp, type TestApp } from "../helpers/test-app.js";

const DAY = 86_400_000;
const ASYNC = { headers: { prefer: "respond-async" } };
const silent = { info() {}, warn() {}, error() {}, debug() {} };

const intakeRows = async (t: TestApp, programId: string) =>
  (
    await t.database.db.select({ n: count() }).from(conversionIntake).where(eq(conversionIntake.programId, programId))
  )[0]!.n;
const recorded = async (t: TestApp, programId: string) =>
  (await t.database.db.select({ n: count() }).from(conversions).where(eq(conversions.programId, programId)))[0]!.n;

describe("POST /v1/track/batch with Prefer: respond-async, recorded by the app's worker", () => {
  let t: TestApp;
  let owner: Agent;
  let api: Agent;

  beforeAll(async () => {
    t = await createTestApp();
    owner = await t.team("owner");
    api = await apiKeyAgent(t, owner, ["track:write", "partners:read"]);
  });
  afterAll(() => t.close());

  test("answers 202 with a submission per lead and sale, each recorded once under its id, in the batch's order", async () => {
    const { program, partners } = await programWithPartners(t, owner, 2);
    const [alice, bob] = partners;
    const aliceClick = await click(t, alice!.slug);
    const bobClicks = await Promise.all(Array.from({ length: 8 }, () => click(t, bob!.slug)));
    t.clock.advance(DAY);
    // The clock stands behind an id made already: ids made now are random within their millisecond, so only the
    // order the batch gives them keeps its events in order.
    newId("conversion", new Date(t.clock.now().getTime() + DAY));
    const body = {
      // The lead stores Alice's touch for cus_a: the sale below, with no click of its own, is hers only if the lead
      // is recorded first.
      leads: [{ programId: program.slug, customerExternalId: "cus_a", clickId: aliceClick, eventId: "signup-a" }],
      sales: [
        { programId: program.id, orderId: "a-1", amount: 5_000, currency: "USD", customerExternalId: "cus_a" },
        // Each customer's first sale carries Bob's click, the second none: it sees the first's touch only if it is
        // recorded after it.
        ...bobClicks.flatMap((clickId, n) => [
          {
            programId: program.id,
            orderId: `b-${n}-1`,
            amount: 100,
            currency: "EUR",
            customerExternalId: `b${n}`,
            clickId,
          },
          { programId: program.id, orderId: `b-${n}-2`, amount: 200, currency: "EUR", customerExternalId: `b${n}` },
        ]),
      ],
    };
    const r = await api.post("/v1/track/batch", body, ASYNC);
    expect(r.statusCode).toBe(202);
    expect(r.headers["preference-applied"]).toBe("respond-async");
    const { leads, sales } = r.json().results;
    expect(r.json().results.refunds).toBeUndefined();
    expect(leads).toEqual([
      {
        status: 202,
        replayed: false,
        location: `/v1/track/submissions/${leads[0].submission.id}`,
        submission: {
          id: expect.stringMatching(/^cnv_/),
          status: "queued",
          programId: program.id,
          kind: "lead",
          idempotencyKey: "signup-a",
          receivedAt: t.clock.now().toISOString(),
          processedAt: null,
        },
      },
    ]);
    expect(sales).toHaveLength(17);
    for (const [i, sale] of sales.entries()) {
      expect(sale).toMatchObject({
        status: 202,
        replayed: false,
        submission: { status: "queued", kind: "sale", idempotencyKey: body.sales[i]!.orderId },
      });
      expect(sale.location).toBe(`/v1/track/submissions/${sale.submission.id}`);
    }
    const ids = [leads[0].submission.id, ...sales.map((s: { submission: { id: string } }) => s.submission.id)];
    expect(new Set(ids).size).toBe(18);

    await t.app.intake.worker.drain();
    for (const [i, entry] of [...leads, ...sales].entries()) {
      const done = await api.get(entry.location);
      expect(done.statusCode).toBe(200);
      expect(done.json()).toMatchObject({ id: ids[i], status: "recorded", conversion: { id: ids[i] } });
    }
    expect(await recorded(t, program.id)).toBe(18);
    expect(await intakeRows(t, program.id)).toBe(0);
    const credited = async (id: string) => (await owner.get(`/v1/conversions/${id}`)).json().credits;
    expect(await credited(sales[0].submission.id)).toMatchObject([{ partnerId: alice!.id }]);
    for (const n of bobClicks.keys())
      expect(await credited(sales[2 + 2 * n].submission.id), `b${n}'s second sale`).toMatchObject([
        { partnerId: bob!.id },
      ]);
  });

  test("an event the sync batch would refuse gets the same problem at its index and is not stored; the rest are", async () => {
    const { program } = await programWithPartners(t, owner, 1);
    const sale = { programId: program.id, orderId: "ok-1", amount: 100, currency: "USD", customerExternalId: "c1" };
    const body = {
      leads: [{ programId: "no-such-program", customerExternalId: "c2" }],
      sales: [
        { ...sale, orderId: "bad-currency", currency: "XXY" },
        sale,
        { ...sale, orderId: "future", occurredAt: new Date(t.clock.now().getTime() + 2 * DAY).toISOString() },
      ],
    };
    // The sync batch's answer to the same refused events at the same indexes (the valid sale left out: it would
    // be recorded).
    const syncBody = { ...body, sales: [body.sales[0], body.sales[0], body.sales[2]] };
    const sync = (await api.post("/v1/track/batch", syncBody)).json().results;
    const r = await api.post("/v1/track/batch", body, ASYNC);
    expect(r.statusCode).toBe(202);
    const { leads, sales } = r.json().results;
    expect(leads[0]).toMatchObject({
      status: 422,
      problem: { errors: [expect.objectContaining({ field: "/leads/0/programId" })] },
    });
    expect(sales[0]).toMatchObject({
      status: 422,
      problem: { errors: [expect.objectContaining({ field: "/sales/0/currency" })] },
    });
    expect(sales[2]).toMatchObject({
      status: 422,
      problem: { errors: [expect.objectContaining({ field: "/sales/2/occurredAt" })] },
    });
    // The detail names the field where the batch has it, as the schema's problems do.
    expect(sales[2].problem.detail).toMatch(/^\/sales\/2\/occurredAt is in the future \(the server's clock says /);
    expect([leads[0], sales[0], sales[2]]).toEqual([sync.leads[0], sync.sales[0], sync.sales[2]]);
    expect(sales[1]).toMatchObject({ status: 202, submission: { idempotencyKey: "ok-1" } });
    for (const refused of [leads[0], sales[0], sales[2]]) expect(refused.submission).toBeUndefined();
    await t.app.intake.worker.drain();
    const rows = await t.database.db.select().from(conversions).where(eq(conversions.programId, program.id));
    expect(rows.map((c) => c.id)).toEqual([sales[1].submission.id]);
  });

  test("a body the schema refuses, an empty batch and refunds are refused whole, and nothing is stored", async () => {
    const { program } = await programWithPartners(t, owner, 1);
    const sale = { programId: program.id, orderId: "s-1", amount: 100, currency: "USD", customerExternalId: "c1" };
    const wrongType = await api.post("/v1/track/batch", { sales: [sale, { ...sale, amount: "ten" }] }, ASYNC);
    expect(wrongType.statusCode).toBe(422);
    expect(wrongType.json().errors).toEqual([expect.objectContaining({ field: "/sales/1/amount" })]);
    const empty = await api.post("/v1/track/batch", { leads: [], sales: [] }, ASYNC);
    expect(empty.statusCode).toBe(422);
    expect(empty.json().errors).toEqual([expect.objectContaining({ field: "/" })]);
    const withRefund = await api.post(
      "/v1/track/batch",
      { sales: [sale], refunds: [{ programId: program.id, orderId: "s-1", refundId: "re-1", amount: 10 }] },
      ASYNC,
    );
    expect(withRefund.statusCode).toBe(422);
    expect(withRefund.json().errors).toEqual([
      expect.objectContaining({ field: "/refunds", message: expect.stringContaining("without the header") }),
    ]);
    await t.app.intake.worker.drain();
    expect(await intakeRows(t, program.id)).toBe(0);
    expect(await recorded(t, program.id)).toBe(0);
  });

  test("only a caller with track:write may send it", async () => {
    const { program } = await programWithPartners(t, owner, 1);
    const body = {
      sales: [{ programId: program.id, orderId: "z-1", amount: 1, currency: "USD", customerExternalId: "z" }],
    };
    expect((await t.agent().post("/v1/track/batch", body, ASYNC)).statusCode).toBe(401);
    const reader = await apiKeyAgent(t, owner, ["partners:read"]);
    expect((await reader.post("/v1/track/batch", body, ASYNC)).statusCode).toBe(403);
    const viewer = await t.team("viewer");
    expect((await viewer.post("/v1/track/batch", body, ASYNC)).statusCode).toBe(403);
    expect(await intakeRows(t, program.id)).toBe(0);
    expect((await api.post("/v1/track/batch", body, ASYNC)).statusCode).toBe(202);
  });
});

describe("async batches while nothing records them", () => {
  let t: TestApp;
  let owner: Agent;
  let api: Agent;

  beforeAll(async () => {
    t = await createTestApp();
    owner = await t.team("owner");
    api = await apiKeyAgent(t, owner, ["track:write"]);
    // Accepts but never records (as an instance that stopped right after answering): submissions stay queued.
    await t.app.intake.worker.close();
  });
  afterAll(() => t.close());

  test("the whole batch sent again is the same submissions; once recorded, a retry adds no conversion", async () => {
    const { program } = await programWithPartners(t, owner, 1);
    const body = {
      leads: [{ programId: program.id, customerExternalId: "r1", eventId: "trial-r1" }],
      sales: [1, 2, 3].map((n) => ({
        programId: program.id,
        orderId: `r-${n}`,
        amount: 100 * n,
        currency: "USD",
        customerExternalId: "r1",
      })),
    };
    const first = await api.post("/v1/track/batch", body, ASYNC);
    const again = await api.post("/v1/track/batch", body, ASYNC);
    expect([first.statusCode, again.statusCode]).toEqual([202, 202]);
    const entries = (r: typeof first) => [...r.json().results.leads, ...r.json().results.sales];
    for (const [i, entry] of entries(again).entries()) {
      expect(entry).toMatchObject({ status: 202, replayed: true, submission: { status: "queued" } });
      expect(entry.submission.id).toBe(entries(first)[i].submission.id);
    }
    expect(await intakeRows(t, program.id)).toBe(4);

    const worker = await intakeWorkerFor(t.database, t.clock, silent, t.app.commissions);
    await worker.drain();
    expect(await recorded(t, program.id)).toBe(4);
    // Recorded, the submissions have left the intake: sent again, each is a retry the worker resolves to the
    // first conversion (as the single route's), and once that is known a retry answers 200 with it.
    const third = await api.post("/v1/track/batch", body, ASYNC);
    expect(entries(third).map((e) => e.status)).toEqual([202, 202, 202, 202]);
    await worker.drain();
    // Sent again with a new sale and one refused: each answered as alone, the recorded ones with their outcomes.
    const newSale = { programId: program.id, orderId: "r-4", amount: 400, currency: "USD", customerExternalId: "r1" };
    const refusedSale = { ...newSale, orderId: "r-5", currency: "XYZ" };
    const fourth = await api.post("/v1/track/batch", { ...body, sales: [...body.sales, newSale, refusedSale] }, ASYNC);
    const [fresh, refused] = fourth.json().results.sales.slice(3);
    expect(fresh).toMatchObject({ status: 202, replayed: false, submission: { status: "queued" } });
    expect(refused).toMatchObject({ status: 422, problem: { errors: [{ field: "/sales/4/currency" }] } });
    for (const [i, entry] of entries(fourth).slice(0, 4).entries())
      expect(entry).toMatchObject({
        status: 200,
        replayed: true,
        location: `/v1/track/submissions/${entries(third)[i].submission.id}`,
        submission: { status: "recorded", conversion: { id: entries(first)[i].submission.id } },
      });
    await worker.drain();
    expect(await recorded(t, program.id)).toBe(5);
    await worker.close();
  });

  test("batches that arrive together, stored in one round, each get their own submissions", async () => {
    const { program } = await programWithPartners(t, owner, 1);
    const batch = (b: number, size: number) => ({
      sales: Array.from({ length: size }, (_, n) => ({
        programId: program.id,
        orderId: `g${b}-${n}`,
        amount: 1 + n,
        currency: "USD",
        customerExternalId: `g${b}`,
      })),
    });
    const bodies = [batch(0, 3), batch(1, 1), batch(2, 5), batch(3, 2)];
    const answers = await Promise.all(bodies.map((body) => api.post("/v1/track/batch", body, ASYNC)));
    for (const [b, r] of answers.entries()) {
      expect(r.statusCode).toBe(202);
      expect(
        r.json().results.sales.map((e: { submission: { idempotencyKey: string } }) => e.submission.idempotencyKey),
      ).toEqual(bodies[b]!.sales.map((s) => s.orderId));
    }
    expect(await intakeRows(t, program.id)).toBe(11);
  });

  test("an event under a key held with other details is a 409 naming it; the others are accepted", async () => {
    const { program } = await programWithPartners(t, owner, 1);
    const sale = (orderId: string, amount = 100) => ({
      programId: program.id,
      orderId,
      amount,
      currency: "USD",
      customerExternalId: "k1",
    });
    const waiting = await api.post("/v1/track/sale", sale("k-1"), ASYNC);
    expect(waiting.statusCode).toBe(202);
    const r = await api.post(
      "/v1/track/batch",
      // k-1 waits with 100; k-2 is new, then repeated in the batch (the same: a retry) and with another amount.
      { sales: [sale("k-1", 999), sale("k-2"), sale("k-2"), sale("k-2", 5)] },
      ASYNC,
    );
    expect(r.statusCode).toBe(202);
    const { sales } = r.json().results;
    expect(sales[0]).toMatchObject({
      status: 409,
      problem: {
        code: "conflict",
        errors: expect.arrayContaining([
          expect.objectContaining({ field: "/sales/0/orderId" }),
          expect.objectContaining({ field: "/sales/0/amount" }),
        ]),
      },
    });
    expect(sales[1]).toMatchObject({ status: 202, replayed: false });
    expect(sales[2]).toMatchObject({ status: 202, replayed: true, submission: { id: sales[1].submission.id } });
    expect(sales[3]).toMatchObject({
      status: 409,
      problem: { errors: expect.arrayContaining([expect.objectContaining({ field: "/sales/3/amount" })]) },
    });
    const rows = await t.database.db.select().from(conversionIntake).where(eq(conversionIntake.programId, program.id));
    expect(rows.map((row) => [row.idempotencyKey, (row.input as { amount: number }).amount]).sort()).toEqual([
      ["k-1", 100],
      ["k-2", 100],
    ]);
  });

  test("a batch the database refuses one row of stores none of it", async () => {
    const { program } = await programWithPartners(t, owner, 1);
    const db = t.database.db;
    await db.execute(sql`
      create function refuse_poison() returns trigger language plpgsql as $$
      begin
        if new.idempotency_key = 'poison' then raise exception 'refused by the test'; end if;
        return new;
      end $$`);
    await db.execute(sql`create trigger refuse_poison before insert on conversion_intake
      for each row execute function refuse_poison()`);
    try {
      const sale = (orderId: string) => ({
        programId: program.id,
        orderId,
        amount: 100,
        currency: "USD",
        customerExternalId: "p1",
      });
      const r = await api.post("/v1/track/batch", { sales: [sale("fine-1"), sale("poison"), sale("fine-2")] }, ASYNC);
      expect(r.statusCode).toBe(500);
      expect(await intakeRows(t, program.id)).toBe(0);
    } finally {
      await db.execute(sql`drop trigger refuse_poison on conversion_intake`);
      await db.execute(sql`drop function refuse_poison()`);
    }
  });
});
