import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import { auditLog, customers } from "../../src/db/schema/index.js";
import { type Agent, apiKeyAgent, createTestApp, type TestApp } from "../helpers/test-app.js";
import { CHROME, click, nextOrder, programWithPartners, reviewOf } from "./fraud-fixtures.js";

let t: TestApp;
let owner: Agent;
let api: Agent;

beforeAll(async () => {
  t = await createTestApp();
  owner = await t.team("owner");
  api = await apiKeyAgent(t, owner, ["track:write"]);
});
afterAll(() => t.close());

const MINUTE = 60_000;

const customerOf = async (programId: string, externalId: string) =>
  (
    await t.database.db
      .select()
      .from(customers)
      .where(and(eq(customers.programId, programId), eq(customers.externalId, externalId)))
  )[0]!;

test("a lead fraud review rejects no longer binds its customer: the next sale is credited by its own click", async () => {
  const s = await programWithPartners(t, owner, 2, { lifetimeBinding: true });
  const [fraudster, honest] = [s.partners[0]!, s.partners[1]!];
  const customerId = `cus-${nextOrder()}`;
  // The fraudster signs up a customer from its own portal email: self-referral, held for review.
  const fraudClick = await click(t, fraudster.slug);
  t.clock.advance(MINUTE);
  const lead = await api.post("/v1/track/lead", {
    programId: s.program.id,
    customerExternalId: customerId,
    clickId: fraudClick,
    email: fraudster.email,
    userAgent: CHROME,
  });
  expect(lead.statusCode, lead.body).toBe(201);
  expect(await reviewOf(t, lead.json().id)).toMatchObject({ status: "open", rules: ["self_referral"] });
  const boundTo = async () => (await customerOf(s.program.id, customerId)).boundPartnerId;
  expect(await boundTo()).toBe(fraudster.id);

  const rejected = await owner.post("/v1/fraud/review", {
    action: "reject",
    conversionIds: [lead.json().id],
    reason: "the partner signed up with its own address",
  });
  expect(rejected.statusCode, rejected.body).toBe(200);
  expect(await boundTo()).toBeNull();
  const audit = await t.database.db.select().from(auditLog).where(eq(auditLog.action, "customer.unbound"));
  expect(audit.map((a) => a.entityId)).toEqual([(await customerOf(s.program.id, customerId)).id]);

  // The customer comes back through an honest partner's link and buys: that partner is credited, and bound.
  const honestClick = await click(t, honest.slug);
  t.clock.advance(MINUTE);
  const sale = await api.post("/v1/track/sale", {
    programId: s.program.id,
    orderId: nextOrder(),
    amount: 10_000,
    currency: "USD",
    customerExternalId: customerId,
    clickId: honestClick,
    userAgent: CHROME,
  });
  expect(sale.statusCode, sale.body).toBe(201);
  expect(sale.json().credits.map((c: { partnerId: string }) => c.partnerId)).toEqual([honest.id]);
  expect(await boundTo()).toBe(honest.id);
});

test("a customer the partner also brought honestly stays bound when one of its conversions is rejected", async () => {
  const s = await programWithPartners(t, owner, 1, { lifetimeBinding: true });
  const partner = s.partners[0]!;
  const customerId = `cus-${nextOrder()}`;
  const first = await click(t, partner.slug);
  t.clock.advance(MINUTE);
  const lead = await api.post("/v1/track/lead", {
    programId: s.program.id,
    customerExternalId: customerId,
    clickId: first,
    email: `${customerId}@customer.example`,
    userAgent: CHROME,
  });
  expect(lead.statusCode, lead.body).toBe(201);
  // A later sale of the customer is held (the partner's own email on the order) and rejected.
  const sale = await api.post("/v1/track/sale", {
    programId: s.program.id,
    orderId: nextOrder(),
    amount: 10_000,
    currency: "USD",
    customerExternalId: customerId,
    email: partner.email,
    userAgent: CHROME,
  });
  expect(sale.statusCode, sale.body).toBe(201);
  expect(await reviewOf(t, sale.json().id)).toMatchObject({ status: "open" });
  const rejected = await owner.post("/v1/fraud/review", {
    action: "reject",
    conversionIds: [sale.json().id],
    reason: "own order",
  });
  expect(rejected.statusCode, rejected.body).toBe(200);
  expect((await customerOf(s.program.id, customerId)).boundPartnerId).toBe(partner.id);
});
