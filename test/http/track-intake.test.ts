import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { advisoryLease } from "../../src/db/advisory-lease.js";
import { commissionEntries, conversionIntake, conversions } from "../../src/db/schema/index.js";
import { INTAKE_LOCK, INTAKE_MAX_ATTEMPTS } from "../../src/domain/intake/intake-worker.js";
import { intakeWorkerFor } from "../helpers/intake-worker.js";
import { click, programWithPartners } from "../helpers/program-setup.js";
import { type Agent, apiKeyAgent, createTestApp, type TestApp } from "../helpers/test-app.js";

const DAY = 86_400_000;
const ASYNC = { headers: { prefer: "respond-async" } };
const silent = { info() {}, warn() {}, error() {}, debug() {} };

let t: TestApp;
let owner: Agent;
let api: Agent;

const storedSales = async (programId: string) =>
  (await t.database.db.select({ n: count() }).from(conversions).where(eq(conversions.programId, programId)))[0]!.n;
const waiting = async () =>
  (await t.database.db.select({ n: count() }).from(conversionIntake).where(eq(conversionIntake.status, "queued")))[0]!
    .n;

beforeAll(async () => {
  t = await createTestApp();
  owner = await t.team("owner");
  api = await apiKeyAgent(t, owner, ["track:write", "partners:read"]);
});
afterAll(() => t.close());

describe("POST /v1/track/sale with Prefer: respond-async", () => {
  test("answers 202 with a submission, then records and attributes the sale under the submission's id", async () => {
    const { program, partners } = await programWithPartners(t, owner, 1);
    const share = { id: "share", name: "Revenue share", event: "sale", reward: { type: "percent", bps: 2_000 } };
    await owner.post(`/v1/programs/${program.id}/plans`, {
      name: "Plan",
      scope: "program",
      definition: { rules: [share] },
    });
    const clickId = await click(t, partners[0]!.slug);
    t.clock.advance(DAY);
    const sale = { programId: program.slug, orderId: "inv_a1", amount: 5_000, currency: "USD", clickId };
    const r = await api.post("/v1/track/sale", { ...sale, customerExternalId: "cus_a1" }, ASYNC);
    expect(r.statusCode).toBe(202);
    expect(r.headers["preference-applied"]).toBe("respond-async");
    const submission = r.json();
    expect(submission).toMatchObject({
      status: "queued",
      programId: program.id,
      kind: "sale",
      idempotencyKey: "inv_a1",
      receivedAt: t.clock.now().toISOString(),
      processedAt: null,
    });
    expect(r.headers.location).toBe(`/v1/track/submissions/${submission.id}`);

    await t.app.intake.worker.drain();
    const done = await api.get(r.headers.location as string);
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({
      id: submission.id,
      status: "recorded",
      conversion: {
        id: submission.id,
        idempotencyKey: "inv_a1",
        amount: 5_000,
        receivedAt: t.clock.now().toISOString(),
        credits: [{ partnerId: partners[0]!.id, weightBps: 10_000 }],
      },
    });
    // Its row is gone from the intake: the conversion stands for it. Its commission follows as a sync sale's does.
    expect(await waiting()).toBe(0);
    await t.app.commissions.drain();
    const entries = await t.database.db
      .select()
      .from(commissionEntries)
      .where(eq(commissionEntries.conversionId, submission.id));
    expect(entries.map((e) => e.amountMinor)).toEqual([1_000n]);
  });

  test("a sale the sync route would refuse is refused now, with the same problem, and nothing is queued", async () => {
    const { program } = await programWithPartners(t, owner, 1);
    const sale = { programId: program.id, orderId: "inv_b1", amount: 100, customerExternalId: "cus_b1" };
    const badCurrency = await api.post("/v1/track/sale", { ...sale, currency: "XXY" }, ASYNC);
    expect(badCurrency.statusCode).toBe(422);
    expect(badCurrency.json().errors).toEqual([expect.objectContaining({ field: "/currency" })]);
    const noProgram = await api.post("/v1/track/sale", { ...sale, currency: "USD", programId: "nope" }, ASYNC);
    expect(noProgram.statusCode).toBe(422);
    expect(noProgram.json().errors).toEqual([expect.objectContaining({ field: "/programId" })]);
    const future = await api.post(
      "/v1/track/sale",
      { ...sale, currency: "USD", occurredAt: new Date(t.clock.now().getTime() + 2 * DAY).toISOString() },
      ASYNC,
    );
    expect(future.statusCode).toBe(422);
    expect(future.json().detail).toBe(
      `/occurredAt is in the future (the server's clock says ${t.clock.now().toISOString()})`,
    );
    const stored = await t.database.db
      .select({ n: count() })
      .from(conversionIntake)
      .where(eq(conversionIntake.programId, program.id));
    expect(stored[0]!.n).toBe(0);
  });

  test("an order id sent again: the same sale is one submission, another sale under it is refused (409)", async () => {
    const { program } = await programWithPartners(t, owner, 1);
    const sale = { programId: program.id, orderId: "inv_c1", amount: 700, currency: "EUR", customerExternalId: "c1" };
    const first = await api.post("/v1/track/sale", sale);
    expect(first.statusCode).toBe(201);

    // Recorded before (at once), then sent async with another amount: the worker refuses it as the sync route would.
    const differs = await api.post("/v1/track/sale", { ...sale, amount: 900 }, ASYNC);
    expect(differs.statusCode).toBe(202);
    await t.app.intake.worker.drain();
    const refused = (await api.get(`/v1/track/submissions/${differs.json().id}`)).json();
    expect(refused).toMatchObject({
      status: "refused",
      problem: {
        status: 409,
        code: "conflict",
        errors: expect.arrayContaining([expect.objectContaining({ field: "/amount" })]),
      },
    });
    expect(refused.processedAt).toBe(t.clock.now().toISOString());

    // Corrected and sent again under the same key, the refused submission is queued again; recorded, it points at
    // the first conversion.
    const corrected = await api.post("/v1/track/sale", sale, ASYNC);
    expect(corrected.statusCode).toBe(202);
    expect(corrected.json()).toMatchObject({ id: differs.json().id, status: "queued" });
    await t.app.intake.worker.drain();
    expect((await api.get(`/v1/track/submissions/${differs.json().id}`)).json()).toMatchObject({
      status: "recorded",
      conversion: { id: first.json().id, amount: 700 },
    });

    // Sent once more, it is answered with that outcome (200), not queued again; another sale under it, a 409 at once.
    const thrice = await api.post("/v1/track/sale", sale, ASYNC);
    expect(thrice.statusCode).toBe(200);
    expect(thrice.headers["idempotent-replayed"]).toBe("true");
    expect(thrice.json()).toMatchObject({
      id: differs.json().id,
      status: "recorded",
      conversion: { id: first.json().id },
    });
    const other = await api.post("/v1/track/sale", { ...sale, currency: "USD" }, ASYNC);
    expect(other.statusCode).toBe(409);
    expect(other.json().errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: "/currency" })]));
    expect(await storedSales(program.id)).toBe(1);
  });

  test("a lead goes through the intake too: recorded with its touch, which a later sale of the customer is credited by", async () => {
    const { program, partners } = await programWithPartners(t, owner, 1);
    const clickId = await click(t, partners[0]!.slug);
    t.clock.advance(DAY);
    const lead = { programId: program.id, customerExternalId: "cus_lead", clickId, eventId: "signup-1" };
    const r = await api.post("/v1/track/lead", lead, ASYNC);
    expect(r.statusCode).toBe(202);
    expect(r.json()).toMatchObject({ status: "queued", kind: "lead", idempotencyKey: "signup-1" });
    await t.app.intake.worker.drain();
    expect((await api.get(r.headers.location as string)).json()).toMatchObject({
      status: "recorded",
      conversion: { id: r.json().id, kind: "lead", credits: [{ partnerId: partners[0]!.id }] },
    });
    const sale = await api.post("/v1/track/sale", {
      programId: program.id,
      orderId: "after-lead",
      amount: 300,
      currency: "USD",
      customerExternalId: "cus_lead",
    });
    expect(sale.json()).toMatchObject({ credits: [{ partnerId: partners[0]!.id }] });
  });

  test("an unknown submission is a 404, and so is a refund's id", async () => {
    expect((await api.get("/v1/track/submissions/cnv_nope")).statusCode).toBe(404);
    const { program } = await programWithPartners(t, owner, 1);
    const sale = { programId: program.id, orderId: "inv_d1", amount: 700, currency: "EUR", customerExternalId: "d1" };
    expect((await api.post("/v1/track/sale", sale)).statusCode).toBe(201);
    const refund = await api.post("/v1/track/refund", {
      programId: program.id,
      orderId: "inv_d1",
      refundId: "re_d1",
      amount: 100,
    });
    expect((await api.get(`/v1/track/submissions/${refund.json().id}`)).statusCode).toBe(404);
  });
});

describe("the intake across a stop", () => {
  let stopped: TestApp;
  let stoppedApi: Agent;

  beforeAll(async () => {
    stopped = await createTestApp();
    stoppedApi = await apiKeyAgent(stopped, await stopped.team("owner"), ["track:write"]);
    // This instance accepts but never records, as one that stopped right after answering.
    await stopped.app.intake.worker.close();
  });
  afterAll(() => stopped.close());

  test("what one run accepted, the next records in the order it came; repeats while waiting are one submission", async () => {
    const owner2 = await stopped.team("owner");
    const { program, partners } = await programWithPartners(stopped, owner2, 2);
    const aliceClick = await click(stopped, partners[0]!.slug);
    stopped.clock.advance(DAY);
    const sale = (n: number, extra = {}) => ({
      programId: program.id,
      orderId: `inv_${n}`,
      amount: 1_000 + n,
      currency: "USD",
      customerExternalId: "cus_1",
      ...extra,
    });
    // The customer's first sale carries Alice's click; the second, none: it must see the first's touch.
    const first = await stoppedApi.post("/v1/track/sale", sale(1, { clickId: aliceClick }), ASYNC);
    stopped.clock.advance(60_000);
    const second = await stoppedApi.post("/v1/track/sale", sale(2), ASYNC);
    const repeat = await stoppedApi.post("/v1/track/sale", sale(2), ASYNC);
    expect([first.statusCode, second.statusCode, repeat.statusCode]).toEqual([202, 202, 202]);
    expect(repeat.headers["idempotent-replayed"]).toBe("true");
    expect(repeat.json().id).toBe(second.json().id);
    // While it waits, another sale under its order id is refused at once, as the sync route would; so is another
    // customer's lead under a waiting lead's event id.
    const other = await stoppedApi.post("/v1/track/sale", sale(2, { amount: 5 }), ASYNC);
    expect(other.statusCode).toBe(409);
    expect(other.json().errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: "/amount" })]));
    const lead = { programId: program.id, customerExternalId: "cus_9", eventId: "trial-9" };
    expect((await stoppedApi.post("/v1/track/lead", lead, ASYNC)).statusCode).toBe(202);
    const otherLead = await stoppedApi.post("/v1/track/lead", { ...lead, customerExternalId: "cus_10" }, ASYNC);
    expect(otherLead.statusCode).toBe(409);
    expect(otherLead.json().errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: "/customerExternalId" })]),
    );
    expect((await stoppedApi.get(`/v1/track/submissions/${second.json().id}`)).json().status).toBe("queued");

    const next = await intakeWorkerFor(stopped.database, stopped.clock, silent, stopped.app.commissions);
    await next.drain();
    const recorded = (await stoppedApi.get(`/v1/track/submissions/${second.json().id}`)).json();
    expect(recorded).toMatchObject({
      status: "recorded",
      conversion: { amount: 1_002, credits: [{ partnerId: partners[0]!.id }] },
    });
    const rows = await stopped.database.db.select().from(conversions).where(eq(conversions.programId, program.id));
    expect(rows.map((r) => r.idempotencyKey).sort()).toEqual(["inv_1", "inv_2", "trial-9"]);
  });

  // PostgreSQL only: embedded PGlite serves one process, so one worker; there is no other instance to exclude.
  test.skipIf(!process.env.DATABASE_URL)(
    "two instances never record the same submissions: one records, the other waits its turn and finds nothing left",
    async () => {
      const owner4 = await stopped.team("owner");
      const { program } = await programWithPartners(stopped, owner4, 1);
      const sales = Array.from({ length: 250 }, (_, i) => ({
        programId: program.id,
        orderId: `two_${i}`,
        amount: 100 + i,
        currency: "USD",
        customerExternalId: `two_${i}`,
      }));
      expect((await stoppedApi.post("/v1/track/batch", { sales }, ASYNC)).statusCode).toBe(202);
      const tried: number[] = [];
      const count = (n: number) => tried.push(n);
      const one = await intakeWorkerFor(stopped.database, stopped.clock, silent, stopped.app.commissions, count);
      const two = await intakeWorkerFor(stopped.database, stopped.clock, silent, stopped.app.commissions, count);
      await Promise.all([one.drain(), two.drain()]);
      // Each submission was attributed once: taking the same oldest rows, both would have tried them.
      expect(tried.reduce((a, b) => a + b, 0)).toBe(sales.length);
      const rows = await stopped.database.db.select().from(conversions).where(eq(conversions.programId, program.id));
      expect(rows).toHaveLength(sales.length);

      // Kicked while another instance records, a worker leaves the work to it and looks again a second later.
      const held = (await advisoryLease(stopped.database, INTAKE_LOCK)!(false))!;
      const late = { ...sales[0]!, orderId: "two_late", customerExternalId: "two_late" };
      const accepted = await stoppedApi.post("/v1/track/sale", late, ASYNC);
      one.kick();
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect((await stoppedApi.get(accepted.headers.location as string)).json().status).toBe("queued");
      expect(tried.reduce((a, b) => a + b, 0)).toBe(sales.length);
      // A drain waits its turn; a worker stopped meanwhile stops waiting.
      const draining = two.drain();
      const three = await intakeWorkerFor(stopped.database, stopped.clock, silent, stopped.app.commissions, count);
      const abandoned = three.drain();
      await three.close();
      await abandoned;
      expect((await stoppedApi.get(accepted.headers.location as string)).json().status).toBe("queued");
      await held.release();
      await draining;
      await vi.waitFor(
        async () => expect((await stoppedApi.get(accepted.headers.location as string)).json().status).toBe("recorded"),
        { timeout: 5_000, interval: 100 },
      );
      await Promise.all([one.close(), two.close()]);
    },
  );

  test("a submission that cannot be recorded is refused after a few rounds, without holding up the others", async () => {
    const owner3 = await stopped.team("owner");
    const { program } = await programWithPartners(stopped, owner3, 1);
    const good = await stoppedApi.post(
      "/v1/track/sale",
      { programId: program.id, orderId: "ok_1", amount: 10, currency: "USD", customerExternalId: "x" },
      ASYNC,
    );
    // An input no request could have stored (as a bug, or a row from a newer version, would leave).
    await stopped.database.db.insert(conversionIntake).values({
      id: "cnv_broken",
      programId: program.id,
      kind: "sale",
      idempotencyKey: "broken",
      input: { programId: program.id, orderId: "broken", amount: "not a number", currency: "USD", clickId: "x" },
      actor: { type: "system", label: "test" },
      receivedAt: new Date(stopped.clock.now().getTime() - 1000),
    });
    const next = await intakeWorkerFor(stopped.database, stopped.clock, silent, stopped.app.commissions);
    await next.drain();
    expect((await stoppedApi.get(`/v1/track/submissions/${good.json().id}`)).json().status).toBe("recorded");
    for (let i = 1; i < INTAKE_MAX_ATTEMPTS; i++) {
      expect((await stoppedApi.get("/v1/track/submissions/cnv_broken")).json().status).toBe("queued");
      await next.drain();
    }
    expect((await stoppedApi.get("/v1/track/submissions/cnv_broken")).json()).toMatchObject({
      status: "refused",
      problem: { status: 409, detail: `could not be recorded after ${INTAKE_MAX_ATTEMPTS} attempts; send it again` },
    });
    await next.close();
  });
});
