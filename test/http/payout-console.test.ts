import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { seedEntries } from "../helpers/ledger.js";
import { runPayoutsOf, setPayoutMethod, signedInTeam } from "../helpers/payout-setup.js";
import { programWithEnrolled } from "../helpers/program-setup.js";
import { type Agent, createTestApp, type TestApp } from "../helpers/test-app.js";

/** What the console's payout screens ask of the API: how a payout was paid, what a batch would take, who a run left out. */
let t: TestApp;
let owner: Agent;
let finance: Agent;

beforeAll(async () => {
  t = await createTestApp();
  [owner, finance] = await signedInTeam(t, "owner", "finance");
});
afterAll(() => t.close());

const arrange = (settings: Record<string, unknown> = {}, count = 1) => programWithEnrolled(t, owner, settings, count);
const earn = (programId: string, partnerId: string, amount: bigint) =>
  seedEntries(t.database.db, [{ programId, partnerId, amount, occurredAt: "2026-01-05T00:00:00Z" }]);
const run = (programId: string) => runPayoutsOf(finance, programId);

describe("marking one payout paid by hand", () => {
  test("the partner's method is recorded by default, another can be named, and the history says who, how and with which reference", async () => {
    const { program, partners } = await arrange({}, 2);
    const [a, b] = partners;
    await setPayoutMethod(a!.agent, { kind: "paypal", email: "ann@example.com" });
    await setPayoutMethod(b!.agent, { kind: "paypal", email: "bob@example.com" });
    await earn(program.id, a!.partnerId, 2_000n);
    await earn(program.id, b!.partnerId, 3_000n);
    const made = (await run(program.id)).payouts as { id: string; partnerId: string }[];
    const payoutOf = (partnerId: string) => made.find((p) => p.partnerId === partnerId)!.id;

    const byDefault = await finance.post(`/v1/payouts/${payoutOf(a!.partnerId)}/mark-paid`, {});
    expect(byDefault.statusCode, byDefault.body).toBe(200);
    expect(byDefault.json()).toMatchObject({
      status: "paid",
      methodKind: "paypal",
      methodMasked: "PayPal a***@example.com",
    });

    const named = await finance.post(`/v1/payouts/${payoutOf(b!.partnerId)}/mark-paid`, {
      methodKind: "bank",
      reference: "WIRE-2026-0042",
    });
    expect(named.statusCode, named.body).toBe(200);
    // Paid by another method than the partner's: its kind is recorded, not the partner's PayPal details.
    expect(named.json()).toMatchObject({ methodKind: "bank", methodMasked: null, externalRef: "WIRE-2026-0042" });

    const detail = (await finance.get(`/v1/payouts/${payoutOf(b!.partnerId)}`)).json();
    expect(detail.history.map((h: { action: string }) => h.action)).toEqual(["created", "paid"]);
    expect(detail.history[1]).toMatchObject({
      action: "paid",
      actor: expect.stringContaining("finance"),
      methodKind: "bank",
      reference: "WIRE-2026-0042",
      manual: true,
    });
    // The partner sees how it was paid and the reference, not who on the team did it.
    const mine = await b!.agent.get(`/v1/portal/payouts/${payoutOf(b!.partnerId)}`);
    expect(mine.json()).toMatchObject({ methodKind: "bank", externalRef: "WIRE-2026-0042" });
    expect(mine.json().history).toBeUndefined();
  });

  test("without a method of the partner's the admin must say how it was paid; a batched payout keeps its batch's method", async () => {
    const { program, partners } = await arrange({}, 2);
    const [a, b] = partners;
    await setPayoutMethod(a!.agent, { kind: "paypal", email: "ann@example.com" });
    await setPayoutMethod(b!.agent, { kind: "paypal", email: "bob@example.com" });
    await earn(program.id, a!.partnerId, 2_000n);
    await earn(program.id, b!.partnerId, 2_000n);
    const made = (await run(program.id)).payouts as { id: string; partnerId: string }[];
    const payoutA = made.find((p) => p.partnerId === a!.partnerId)!.id;
    expect((await a!.agent.request("DELETE", "/v1/portal/payout-method")).statusCode).toBe(200);

    const refused = await finance.post(`/v1/payouts/${payoutA}/mark-paid`, { reference: "cash" });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().errors[0]).toMatchObject({ field: "/methodKind" });
    expect((await finance.get(`/v1/payouts/${payoutA}`)).json()).toMatchObject({ status: "pending", methodKind: null });
    const paid = await finance.post(`/v1/payouts/${payoutA}/mark-paid`, { methodKind: "wise" });
    expect(paid.json()).toMatchObject({ status: "paid", methodKind: "wise", methodMasked: null });

    const batch = (await finance.post("/v1/payout-batches", { programId: program.id, methodKind: "paypal" })).json();
    const payoutB = made.find((p) => p.partnerId === b!.partnerId)!.id;
    const mismatch = await finance.post(`/v1/payouts/${payoutB}/mark-paid`, { methodKind: "bank" });
    expect(mismatch.statusCode).toBe(422);
    expect(mismatch.json().errors[0].message).toContain(batch.id);
    const same = await finance.post(`/v1/payouts/${payoutB}/mark-paid`, { methodKind: "paypal", reference: "PP-1" });
    expect(same.json()).toMatchObject({
      status: "paid",
      methodKind: "paypal",
      methodMasked: "PayPal b***@example.com",
    });
    const history = (await finance.get(`/v1/payouts/${payoutB}`)).json().history;
    expect(history.map((h: { action: string }) => h.action)).toEqual(["created", "batched", "paid"]);
    expect(history[1].batchId).toBe(batch.id);
  });
});

describe("what a new batch would take", () => {
  test("pending payouts per method, counted and summed per currency; no method and held Stripe accounts apart", async () => {
    const { program, partners } = await arrange({}, 4);
    const [a, b, c, d] = partners;
    await setPayoutMethod(a!.agent, { kind: "paypal", email: "ann@example.com" });
    await setPayoutMethod(b!.agent, { kind: "paypal", email: "bob@example.com" });
    await setPayoutMethod(c!.agent, {
      kind: "bank",
      holderName: "Cy Example",
      iban: "DE89 3704 0044 0532 0130 00",
      currency: "EUR",
    });
    await earn(program.id, a!.partnerId, 1_000n);
    await earn(program.id, b!.partnerId, 2_500n);
    await earn(program.id, c!.partnerId, 4_000n);
    await earn(program.id, d!.partnerId, 700n);
    await run(program.id);
    // d is skipped (no method) and has no payout; give it a method and run again so one payout has no method later.
    await setPayoutMethod(d!.agent, { kind: "paypal", email: "dee@example.com" });
    await run(program.id);
    await d!.agent.request("DELETE", "/v1/portal/payout-method");

    const answer = await finance.get(`/v1/payout-batches/candidates?programId=${program.id}`);
    expect(answer.statusCode, answer.body).toBe(200);
    const byKind = Object.fromEntries(
      answer.json().methods.map((m: { methodKind: string }) => [m.methodKind, m]),
    ) as Record<string, { payoutCount: number; totals: unknown[]; held: { payoutCount: number } }>;
    expect(byKind.paypal).toMatchObject({ payoutCount: 2, totals: [{ currency: "USD", amount: 3_500 }] });
    expect(byKind.bank).toMatchObject({ payoutCount: 1, totals: [{ currency: "USD", amount: 4_000 }] });
    expect(byKind.wise).toMatchObject({ payoutCount: 0, totals: [] });
    expect(byKind.stripe_connect).toMatchObject({ payoutCount: 0, held: { payoutCount: 0 } });
    expect(answer.json().withoutMethod).toEqual({ payoutCount: 1, totals: [{ currency: "USD", amount: 700 }] });

    // A batch takes exactly what was announced.
    const batch = (await finance.post("/v1/payout-batches", { programId: program.id, methodKind: "paypal" })).json();
    expect(batch).toMatchObject({ payoutCount: 2, total: 3_500 });
    const after = (await finance.get(`/v1/payout-batches/candidates?programId=${program.id}`)).json();
    expect(after.methods[0]).toMatchObject({ methodKind: "paypal", payoutCount: 0 });
    expect((await finance.get("/v1/payout-batches/candidates?programId=prg_nope")).statusCode).toBe(404);
  });
});

describe("a payout run's detail", () => {
  test("lists the payouts it made as they stand now and who it did not pay, with the reason, below the minimum included", async () => {
    const { program, partners } = await arrange({ payoutMinimum: 1_000 }, 3);
    const [a, b, c] = partners;
    await setPayoutMethod(a!.agent, { kind: "paypal", email: "ann@example.com" });
    await setPayoutMethod(b!.agent, { kind: "paypal", email: "bob@example.com" });
    await earn(program.id, a!.partnerId, 5_000n);
    await earn(program.id, b!.partnerId, 999n);
    await earn(program.id, c!.partnerId, 2_000n);
    const result = await run(program.id);
    expect(result).toMatchObject({ payoutsCreated: 1, partnersSkipped: 2 });
    const [made] = result.payouts;
    await finance.post(`/v1/payouts/${made.id}/fail`, { reason: "PayPal account closed" });

    const detail = await finance.get(`/v1/payout-runs/${result.runId}`);
    expect(detail.statusCode, detail.body).toBe(200);
    expect(detail.json()).toMatchObject({ id: result.runId, payoutsCreated: 1, partnersSkipped: 2 });
    expect(detail.json().payouts).toEqual([
      expect.objectContaining({ id: made.id, status: "failed", failureReason: "PayPal account closed" }),
    ]);
    const skipped = detail.json().skipped as { partnerId: string; reason: string; amount: number; message: string }[];
    expect(skipped.map((s) => [s.partnerId, s.reason, s.amount]).sort()).toEqual(
      [
        [b!.partnerId, "below_minimum", 999],
        [c!.partnerId, "no_payout_method", 2_000],
      ].sort(),
    );
    expect(skipped.find((s) => s.reason === "below_minimum")!.message).toContain("10.00 USD");
    // The partner reads the same reason as its last skip.
    const summary = (await b!.agent.get("/v1/portal/payout-summary")).json().items[0];
    expect(summary.lastSkip).toMatchObject({ reason: "below_minimum", amount: 999 });
    expect((await finance.get("/v1/payout-runs/prun_nope")).statusCode).toBe(404);
  });
});
