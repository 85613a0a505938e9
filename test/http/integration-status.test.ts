import { afterAll, beforeAll, expect, test } from "vitest";
import { conversionIntake } from "../../src/db/schema/index.js";
import { CHROME, click, type ProgramSetup, programWithPartners } from "../helpers/program-setup.js";
import { type Agent, createTestApp, type TestApp } from "../helpers/test-app.js";

/** The install page's live status (GET /v1/programs/:id/integration-status): what arrived, and why not credited. */
let t: TestApp;
let owner: Agent;
let api: Agent;
/** A key reads the status: a console session would expire while the test's clock jumps a month. */
let reader: Agent;
let setup: ProgramSetup;

const DAY = 86_400_000;
const status = (programId = setup.program.id) => reader.get(`/v1/programs/${programId}/integration-status`);

beforeAll(async () => {
  t = await createTestApp();
  owner = await t.team("owner");
  api = t.agent();
  api.bearer = (await owner.post("/v1/api-keys", { name: "billing", scopes: ["track:write"] })).json().secret;
  reader = t.agent();
  reader.bearer = (await owner.post("/v1/api-keys", { name: "status", scopes: ["programs:read"] })).json().secret;
  setup = await programWithPartners(t, owner, 1, { cookieWindowDays: 30 });
});
afterAll(() => t.close());

const sale = (orderId: string, extra: Record<string, unknown> = {}) =>
  api.post("/v1/track/sale", { programId: setup.program.id, orderId, amount: 1_000, currency: "USD", ...extra });

test("before anything arrives: no clicks, no conversions", async () => {
  const r = await status();
  expect(r.statusCode).toBe(200);
  expect(r.json()).toEqual({
    clicks: { last: null, sampled: 0, snippet: 0, lastSnippetAt: null },
    conversions: {
      sampled: 0,
      lastLeadAt: null,
      lastSaleAt: null,
      lastRefundAt: null,
      credited: 0,
      nothingPresented: 0,
      rejectedClickId: 0,
      unknownCoupon: 0,
      excluded: 0,
    },
    intake: { waiting: 0, refused: 0 },
  });
});

test("clicks by source, the latest conversions of each kind, and why each uncredited one was not", async () => {
  const partner = setup.partners[0]!;
  const old = await click(t, partner.slug, {}, "10.0.0.1");
  t.clock.advance(31 * DAY);
  const fresh = await click(t, partner.slug, {}, "10.0.0.2");
  const snippet = await t.app.inject({
    method: "POST",
    url: "/v1/track/click",
    headers: { "content-type": "text/plain", origin: "https://www.acme.example", "user-agent": CHROME },
    payload: JSON.stringify({ slug: partner.slug }),
  });
  expect(snippet.statusCode).toBe(200);
  const snippetAt = t.clock.now().toISOString();
  await t.app.tracking.writer.drain();
  t.clock.advance(60_000);
  const saleAt = t.clock.now().toISOString();
  expect((await sale("credited", { clickId: fresh, customerExternalId: "c1" })).statusCode).toBe(201);
  expect((await sale("nothing", { customerExternalId: "c2" })).statusCode).toBe(201);
  expect((await sale("forged", { clickId: `${fresh.slice(0, -2)}AA`, customerExternalId: "c3" })).statusCode).toBe(201);
  expect((await sale("coupon", { couponCode: "NOBODY10", customerExternalId: "c4" })).statusCode).toBe(201);
  expect((await sale("expired", { clickId: old, customerExternalId: "c5" })).statusCode).toBe(201);
  t.clock.advance(60_000);
  const leadAt = t.clock.now().toISOString();
  await api.post("/v1/track/lead", { programId: setup.program.id, customerExternalId: "c6", clickId: fresh });
  t.clock.advance(60_000);
  const refundAt = t.clock.now().toISOString();
  await api.post("/v1/track/refund", {
    programId: setup.program.id,
    orderId: "credited",
    refundId: "r1",
    amount: 100,
  });

  const r = await status();
  expect(r.json()).toEqual({
    clicks: {
      last: { at: snippetAt, source: "snippet" },
      sampled: 3,
      snippet: 1,
      lastSnippetAt: snippetAt,
    },
    conversions: {
      sampled: 7,
      lastLeadAt: leadAt,
      lastSaleAt: saleAt,
      lastRefundAt: refundAt,
      credited: 2,
      nothingPresented: 1,
      rejectedClickId: 1,
      unknownCoupon: 1,
      excluded: 1,
    },
    intake: { waiting: 0, refused: 0 },
  });
});

test("an unknown program is a 404; another program's activity is not counted", async () => {
  expect((await status("prg_nothing")).statusCode).toBe(404);
  const other = await programWithPartners(t, await t.team("owner"), 1);
  expect((await status(other.program.id)).json().conversions.sampled).toBe(0);
});

test("async sales: how many wait to be recorded and how many were refused in the last 30 days", async () => {
  const { program } = await programWithPartners(t, await t.team("owner"), 1);
  const body = (orderId: string, amount = 1_000) => ({
    programId: program.id,
    orderId,
    amount,
    currency: "USD",
    customerExternalId: `c_${orderId}`,
  });
  const ASYNC = { headers: { prefer: "respond-async" } };
  // Recorded at once, then sent async under the same order id with another amount: the worker refuses it.
  expect((await api.post("/v1/track/sale", body("o1"))).statusCode).toBe(201);
  expect((await api.post("/v1/track/sale", body("o1", 2_000), ASYNC)).statusCode).toBe(202);
  // Recorded under its submission's id: it leaves the intake and is counted nowhere here.
  expect((await api.post("/v1/track/sale", body("o2"), ASYNC)).statusCode).toBe(202);
  await t.app.intake.worker.drain();
  // One the worker has not reached yet (as one accepted a moment ago, or by an instance that stopped): this
  // instance's worker stops here, so that it does not record it meanwhile.
  await t.app.intake.worker.close();
  await t.database.db.insert(conversionIntake).values({
    id: "cnv_waiting1",
    programId: program.id,
    kind: "sale",
    idempotencyKey: "o3",
    input: body("o3"),
    actor: { type: "system", label: "test" },
    receivedAt: t.clock.now(),
  });
  expect((await status(program.id)).json().intake).toEqual({ waiting: 1, refused: 1 });
  // Another program's intake is not counted.
  expect((await status()).json().intake).toEqual({ waiting: 0, refused: 0 });
  // A refusal older than 30 days no longer counts, even before the prune removes it.
  t.clock.advance(31 * DAY);
  expect((await status(program.id)).json().intake).toEqual({ waiting: 1, refused: 0 });
});
