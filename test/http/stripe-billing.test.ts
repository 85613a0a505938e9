import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import Stripe from "stripe";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { auditLog, commissionEntries, conversions, programs, stripeEvents } from "../../src/db/schema/index.js";
import { FakeStripe } from "../helpers/fake-stripe.js";
import { click, programWithPartners } from "../helpers/program-setup.js";
import { type DeliveryOptions, deliverStripeEvent, stripeEventAt } from "../helpers/stripe-webhook.js";
import { type Agent, apiKeyAgent, createTestApp, type TestApp } from "../helpers/test-app.js";

/** The platform endpoint's signing secret (the vendor's own account: billing events) and the connected accounts'. */
const SECRET = "whsec_test_billing_0123456789abcdef";
const CONNECT_SECRET = "whsec_test_billing_connect_fedcba98";
const DAY = 86_400_000;

let t: TestApp;
let stripe: FakeStripe;
let owner: Agent;
/** The vendor's backend: an API key (sessions expire as the tests move the clock by weeks). */
let api: Agent;

beforeAll(async () => {
  stripe = await new FakeStripe().start();
  t = await createTestApp({
    STRIPE_SECRET_KEY: stripe.secretKey,
    STRIPE_API_BASE: stripe.url,
    STRIPE_WEBHOOK_SECRET: `${SECRET},${CONNECT_SECRET}`,
  });
  owner = await t.team("owner");
  api = await apiKeyAgent(t, owner, ["track:write", "partners:read"]);
});
afterAll(async () => {
  await t.close();
  await stripe.stop();
});

const id = (prefix: string) => `${prefix}_${randomBytes(8).toString("hex")}`;
const nowSeconds = () => Math.floor(t.clock.now().getTime() / 1000);
const stripeEvent = <T>(type: string, object: T, extra: Parameters<typeof stripeEventAt>[3] = {}) =>
  stripeEventAt(t.clock.now(), type, object, extra);
const deliver = (event: unknown, options: Partial<DeliveryOptions> = {}) =>
  deliverStripeEvent(t, event, { secret: SECRET, ...options });

/** Delivers the event and returns what the endpoint answered, which must be a 200. */
async function handled(event: unknown, options: Partial<DeliveryOptions> = {}) {
  const response = await deliver(event, options);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ received: true; duplicate: boolean; outcome: string }>();
}

/** Each test starts with no program taking Stripe invoices: an earlier test's program would take them, or clash. */
beforeEach(async () => {
  await t.database.db.update(programs).set({ stripeBilling: null });
});

/** A program taking Stripe billing (of these products; all without), with approved partners and a commission plan. */
async function billingProgram(productIds: string[], overrides: Record<string, unknown> = {}, partners = 2) {
  owner = await t.team("owner");
  const setup = await programWithPartners(t, owner, partners, {
    lifetimeBinding: true,
    stripeBilling: { enabled: true, productIds },
    ...overrides,
  });
  const plan = await owner.post(`/v1/programs/${setup.program.id}/plans`, {
    name: "SaaS",
    scope: "program",
    definition: {
      rules: [
        { id: "first", name: "First payment", event: "first_sale", reward: { type: "percent", bps: 3_000 } },
        { id: "renewal", name: "Renewals", event: "recurring_sale", reward: { type: "percent", bps: 1_000 } },
      ],
    },
  });
  expect(plan.statusCode, plan.body).toBe(201);
  return setup;
}

/** A Checkout session completed for `customer`, the click id in client_reference_id. */
const checkoutCompleted = (customer: string | null, clickId: string | null, sessionId = id("cs")) => {
  stripe.checkoutSessions.push({
    id: sessionId,
    object: "checkout.session",
    created: nowSeconds(),
    customer,
    client_reference_id: clickId,
    status: "complete",
  });
  return stripeEvent("checkout.session.completed", {
    id: sessionId,
    object: "checkout.session",
    mode: "subscription",
    status: "complete",
    client_reference_id: clickId,
    customer,
    customer_details: { email: "jane@customer.example" },
  });
};

interface InvoiceOptions {
  customer: string;
  amountPaid: number;
  product?: string | null;
  billingReason?: string;
  paidAt?: number;
  currency?: string;
  /** Lines as endpoints of API versions before 2025-03-31 shape them (`price.product`). */
  legacyLines?: boolean;
  invoiceId?: string;
}

/** An invoice line: its product, amount before discounts, quantity, discounts and taxes. */
interface LineOptions {
  product: string | null;
  amount: number;
  quantity?: number;
  discounts?: number[];
  taxes?: { amount: number; inclusive: boolean }[];
}

/** A line as endpoints of API versions since 2025-03-31 shape it (`pricing`, `taxes`), or before (`price`, `tax_amounts`). */
const lineItem = (l: LineOptions, legacy = false) => ({
  object: "line_item",
  amount: l.amount,
  quantity: l.quantity ?? 1,
  discount_amounts: (l.discounts ?? []).map((amount) => ({ amount, discount: id("di") })),
  ...(legacy
    ? {
        price: { id: id("price"), product: l.product },
        tax_amounts: (l.taxes ?? []).map((t) => ({ amount: t.amount, inclusive: t.inclusive, tax_rate: id("txr") })),
      }
    : {
        pricing: { type: "price_details", price_details: { price: id("price"), product: l.product } },
        taxes: (l.taxes ?? []).map((t) => ({
          amount: t.amount,
          tax_behavior: t.inclusive ? "inclusive" : "exclusive",
          type: "tax_rate_details",
        })),
      }),
});

/**
 * An invoice paid now, as `invoice.paid` carries it; Stripe holds it too (`GET /v1/invoices/:id`, with the library's
 * API version's line shape), as refunds read it.
 */
function invoicePaid(o: InvoiceOptions & { lines?: LineOptions[] }) {
  const lines = o.lines ?? (o.product === undefined ? [] : [{ product: o.product, amount: o.amountPaid }]);
  const invoice = {
    id: o.invoiceId ?? id("in"),
    object: "invoice",
    customer: o.customer,
    amount_paid: o.amountPaid,
    currency: o.currency ?? "usd",
    billing_reason: o.billingReason ?? "subscription_create",
    customer_email: "jane@customer.example",
    status: "paid",
    status_transitions: { paid_at: o.paidAt ?? nowSeconds() },
    lines: { object: "list", data: lines.map((l) => lineItem(l, o.legacyLines)), has_more: false },
  };
  stripe.invoices.set(invoice.id, {
    ...invoice,
    created: nowSeconds(),
    lines: { ...invoice.lines, data: lines.map((l) => lineItem(l)) },
  });
  return stripeEvent("invoice.paid", invoice);
}

/** A charge paying `invoice` through a PaymentIntent, as Stripe links them (invoice payments). */
function chargeOf(invoice: string) {
  const charge = id("ch");
  const intent = id("pi");
  stripe.invoicePayments.push({
    id: id("inpay"),
    object: "invoice_payment",
    created: nowSeconds(),
    invoice,
    status: "paid",
    payment: { type: "payment_intent", payment_intent: intent },
  });
  return { charge, intent };
}

/** A refund of the charge in Stripe; returns its id. */
function refundIn(charge: string, intent: string, amount: number, status = "succeeded") {
  const refund = {
    id: id("re"),
    object: "refund",
    created: nowSeconds(),
    charge,
    payment_intent: intent,
    amount,
    currency: "usd",
    status,
  };
  stripe.refunds.push(refund);
  return refund;
}

const chargeRefunded = (charge: string, intent: string | null, extra: Record<string, unknown> = {}) =>
  stripeEvent("charge.refunded", { id: charge, object: "charge", payment_intent: intent, refunded: false, ...extra });

interface ConversionJson {
  id: string;
  kind: string;
  idempotencyKey: string;
  customerExternalId: string | null;
  eventName: string | null;
  amount: number | null;
  currency: string | null;
  refundedAmount: number;
  attributed: boolean;
  credits: { partnerId: string; weightBps: number }[];
  summary: string;
  occurredAt: string;
}

async function conversionsOf(programId: string) {
  const response = await api.get(`/v1/conversions?programId=${programId}&limit=100`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ items: ConversionJson[] }>().items;
}

const conversionOf = async (programId: string, key: string) =>
  (await conversionsOf(programId)).find((c) => c.idempotencyKey === key);

/** The commission engine's entries for the program's conversions, once it has run. */
async function commissionsOf(programId: string) {
  await t.app.commissions.drain();
  return t.database.db
    .select({
      conversionId: commissionEntries.conversionId,
      partnerId: commissionEntries.partnerId,
      amount: commissionEntries.amountMinor,
      ruleId: commissionEntries.ruleId,
      kind: commissionEntries.kind,
    })
    .from(commissionEntries)
    .where(eq(commissionEntries.programId, programId))
    .orderBy(commissionEntries.id);
}

const stripeReads = (path: string) => stripe.requests.filter((r) => r.method === "GET" && r.path.startsWith(path));

describe("Stripe billing: a subscription from checkout to refund", () => {
  test("checkout → first invoice → renewal → partial refund → redelivery → an unmapped product", async () => {
    const { program, partners } = await billingProgram(["prod_pro"]);
    const brightlane = partners[0]!;
    const northwind = partners[1]!;
    const customer = id("cus");

    // The visitor arrives through Brightlane's link; the site passes Tributary.clickId() to Checkout.
    const clickId = await click(t, brightlane.slug);
    const session = checkoutCompleted(customer, clickId);
    const lead = await handled(session);
    expect(lead).toMatchObject({ received: true, duplicate: false });
    expect(lead.outcome).toMatch(/^lead of cus_\w+ recorded as cnv_/);
    const sessionId = session.data.object.id;
    const recordedLead = await conversionOf(program.id, sessionId);
    expect(recordedLead).toMatchObject({
      kind: "lead",
      customerExternalId: customer,
      eventName: "stripe_checkout",
      attributed: true,
      credits: [{ partnerId: brightlane.id, weightBps: 10_000 }],
    });

    // The first invoice: a sale of the customer, credited to the partner of the click through the stored touch.
    t.clock.advance(60_000);
    const first = invoicePaid({ customer, amountPaid: 4_900, product: "prod_pro" });
    const firstInvoice = first.data.object.id;
    const sale = await handled(first);
    expect(sale.outcome).toMatch(new RegExp(`^sale of invoice ${firstInvoice} recorded as cnv_`));
    const recordedSale = await conversionOf(program.id, firstInvoice);
    expect(recordedSale).toMatchObject({
      kind: "sale",
      amount: 4_900,
      currency: "USD",
      customerExternalId: customer,
      attributed: true,
      credits: [{ partnerId: brightlane.id, weightBps: 10_000 }],
      occurredAt: new Date(first.data.object.status_transitions.paid_at * 1000).toISOString(),
    });
    // A customer the checkout made known: Stripe is not asked about it.
    expect(stripeReads("/v1/customers")).toEqual([]);
    const [saleRow] = await t.database.db.select().from(conversions).where(eq(conversions.id, recordedSale!.id));
    expect(saleRow).toMatchObject({
      recurring: false,
      products: [{ id: "prod_pro", quantity: 1, amountMinor: "4900" }],
    });

    // Northwind's link is clicked later, and the window passes: the renewal is still Brightlane's (lifetime binding).
    t.clock.advance(20 * DAY);
    const later = await click(t, northwind.slug);
    const lateLead = await api.post("/v1/track/lead", {
      programId: program.id,
      customerExternalId: customer,
      clickId: later,
      eventName: "webinar",
    });
    expect(lateLead.statusCode, lateLead.body).toBe(201);
    t.clock.advance(15 * DAY);
    const renewal = invoicePaid({
      customer,
      amountPaid: 4_900,
      product: "prod_pro",
      billingReason: "subscription_cycle",
    });
    const renewalInvoice = renewal.data.object.id;
    expect((await handled(renewal)).outcome).toMatch(/recorded as cnv_/);
    const recordedRenewal = await conversionOf(program.id, renewalInvoice);
    expect(recordedRenewal).toMatchObject({ attributed: true, credits: [{ partnerId: brightlane.id }] });
    expect(recordedRenewal!.summary).toMatch(/lifetime|bound/i);
    const [renewalRow] = await t.database.db
      .select({ recurring: conversions.recurring })
      .from(conversions)
      .where(eq(conversions.id, recordedRenewal!.id));
    expect(renewalRow?.recurring).toBe(true);

    // The engine's commissions: 30% of the first payment, 10% of the renewal, both Brightlane's.
    const earned = await commissionsOf(program.id);
    expect(
      earned.filter((e) => e.kind === "commission").map((e) => [e.conversionId, e.partnerId, e.ruleId, e.amount]),
    ).toEqual([
      [recordedSale!.id, brightlane.id, "first", 1_470n],
      [recordedRenewal!.id, brightlane.id, "renewal", 490n],
    ]);

    // A partial refund of the first invoice's charge: a refund of that sale, under the Stripe refund id.
    t.clock.advance(DAY);
    const { charge, intent } = chargeOf(firstInvoice);
    const refund = refundIn(charge, intent, 1_000);
    const refunded = chargeRefunded(charge, intent);
    const refundOutcome = await handled(refunded);
    expect(refundOutcome.outcome).toMatch(new RegExp(`${refund.id} recorded as cnv_`));
    expect(await conversionOf(program.id, firstInvoice)).toMatchObject({ refundedAmount: 1_000 });
    expect(await conversionOf(program.id, refund.id)).toMatchObject({ kind: "refund", amount: 1_000 });
    const clawback = (await commissionsOf(program.id)).filter((e) => e.amount < 0n);
    expect(clawback.map((e) => [e.partnerId, e.amount])).toEqual([[brightlane.id, -300n]]);

    // Stripe delivers the same events again: nothing is recorded twice.
    for (const again of [session, first, renewal, refunded])
      expect(await handled(again)).toEqual({ received: true, duplicate: true, outcome: "already handled" });
    // Another event about the same refund (its status update) finds it recorded.
    const update = await handled(stripeEvent("refund.updated", { ...refund }));
    expect(update.outcome).toMatch(new RegExp(`${refund.id} already recorded`));
    expect((await conversionsOf(program.id)).filter((c) => c.kind === "refund")).toHaveLength(1);

    // The same invoice reported through the Conversion API is the same order.
    const replay = await api.post("/v1/track/sale", {
      programId: program.id,
      orderId: firstInvoice,
      amount: 4_900,
      currency: "USD",
      customerExternalId: customer,
    });
    expect(replay.statusCode, replay.body).toBe(200);
    expect(replay.headers["idempotent-replayed"]).toBe("true");
    expect(replay.json().id).toBe(recordedSale!.id);

    // An invoice of a product no program takes: acknowledged, and nothing recorded.
    const other = invoicePaid({ customer, amountPaid: 1_500, product: "prod_unmapped" });
    expect((await handled(other)).outcome).toBe(
      `ignored: no program takes the Stripe invoices of prod_unmapped (invoice ${other.data.object.id})`,
    );
    expect(await conversionOf(program.id, other.data.object.id)).toBeUndefined();

    // Every event handled is recorded with what was done.
    const [row] = await t.database.db.select().from(stripeEvents).where(eq(stripeEvents.id, first.id));
    expect(row).toMatchObject({ type: "invoice.paid", outcome: sale.outcome });
  });
});

describe("Stripe billing: where the click id comes from", () => {
  test("an invoice before its checkout session's event: the click id is read from the customer's sessions in Stripe", async () => {
    const { program, partners } = await billingProgram([]);
    const customer = id("cus");
    stripe.customers.set(customer, { metadata: {} });
    const clickId = await click(t, partners[0]!.slug);
    const session = checkoutCompleted(customer, clickId);
    t.clock.advance(1_000);
    const invoice = invoicePaid({ customer, amountPaid: 2_000, product: "prod_any" });
    const sale = await handled(invoice);
    expect(sale.outcome).toContain(`(click id from checkout session ${session.data.object.id})`);
    expect(await conversionOf(program.id, invoice.data.object.id)).toMatchObject({
      attributed: true,
      credits: [{ partnerId: partners[0]!.id }],
    });
    // The session's own event, arriving late, is the lead of the same click.
    expect((await handled(session)).outcome).toMatch(/^lead of .* recorded as cnv_/);
  });

  test("a customer the vendor created with metadata.tributary_click_id: its first invoice is credited to that click", async () => {
    const { program, partners } = await billingProgram([]);
    const customer = id("cus");
    const clickId = await click(t, partners[1]!.slug);
    stripe.customers.set(customer, { metadata: { tributary_click_id: clickId } });
    const before = stripeReads(`/v1/customers/${customer}`).length;
    const invoice = invoicePaid({ customer, amountPaid: 9_900, product: "prod_x", legacyLines: true });
    expect((await handled(invoice)).outcome).toContain("(click id from the customer's metadata)");
    expect(await conversionOf(program.id, invoice.data.object.id)).toMatchObject({
      attributed: true,
      credits: [{ partnerId: partners[1]!.id }],
    });
    expect(stripeReads(`/v1/customers/${customer}`).length).toBe(before + 1);
    // Its next invoice: a customer the program knows, Stripe is not asked again.
    await handled(invoicePaid({ customer, amountPaid: 9_900, product: "prod_x", billingReason: "subscription_cycle" }));
    expect(stripeReads(`/v1/customers/${customer}`).length).toBe(before + 1);
  });

  test("a client_reference_id that is not a click id, a session without a customer, a program not taking Stripe: ignored", async () => {
    const { partners } = await billingProgram([], {}, 1);
    const plain = await billingProgram([], { stripeBilling: { enabled: false, productIds: [] } }, 1);
    const noStripe = await click(t, plain.partners[0]!.slug);
    const cases: [ReturnType<typeof checkoutCompleted>, RegExp][] = [
      [checkoutCompleted(id("cus"), "user-42"), /is not a Tributary click id \(malformed\)$/],
      [checkoutCompleted(id("cus"), null), /has no client_reference_id$/],
      [checkoutCompleted(null, await click(t, partners[0]!.slug)), /made no Stripe customer/],
      [checkoutCompleted(id("cus"), noStripe), /which does not take Stripe billing$/],
    ];
    for (const [event, outcome] of cases) expect((await handled(event)).outcome).toMatch(outcome);
    for (const [event] of cases) {
      const [row] = await t.database.db
        .select({ id: conversions.id })
        .from(conversions)
        .where(eq(conversions.idempotencyKey, event.data.object.id));
      expect(row).toBeUndefined();
    }
  });
});

describe("Stripe billing: invoices and refunds that are not recorded", () => {
  test("a trial's zero invoice, and an invoice of a product two programs take, are acknowledged and not recorded", async () => {
    const { program } = await billingProgram(["prod_trial"], {}, 1);
    const customer = id("cus");
    const trial = invoicePaid({ customer, amountPaid: 0, product: "prod_trial" });
    expect((await handled(trial)).outcome).toBe(
      `ignored: invoice ${trial.data.object.id} paid nothing (a trial or a free invoice)`,
    );
    expect(await conversionOf(program.id, trial.data.object.id)).toBeUndefined();

    // Two programs whose settings were saved before either saw the other's (written straight to the table).
    const a = await billingProgram(["prod_shared_a"], {}, 1);
    const b = await billingProgram(["prod_shared_b"], {}, 1);
    await t.database.db
      .update(programs)
      .set({ stripeBilling: { enabled: true, productIds: ["prod_shared_a", "prod_shared_b"] } })
      .where(eq(programs.id, b.program.id));
    const both = invoicePaid({ customer, amountPaid: 1_000, product: "prod_shared_a" });
    const outcome = (await handled(both)).outcome;
    expect(outcome).toMatch(/has prod_shared_a, which ".*" and ".*" all take; a product must be one program's/);
    expect(await conversionOf(a.program.id, both.data.object.id)).toBeUndefined();
    expect(await conversionOf(b.program.id, both.data.object.id)).toBeUndefined();
  });

  test("an invoice with more lines than its event carries: the rest are read from Stripe, and decide its program", async () => {
    const { program } = await billingProgram(["prod_addon"], {}, 1);
    const customer = id("cus");
    stripe.customers.set(customer, { metadata: {} });
    const event = invoicePaid({ customer, amountPaid: 7_000, product: "prod_base" });
    const invoiceId = event.data.object.id;
    const line = (product: string, amount: number, quantity: number) => ({
      id: id("il"),
      object: "line_item",
      created: nowSeconds(),
      amount,
      quantity,
      pricing: { type: "price_details", price_details: { price: id("price"), product } },
    });
    stripe.invoiceLines.set(invoiceId, [
      line("prod_base", 5_000, 1),
      ...Array.from({ length: 120 }, () => line("prod_seat", 10, 1)),
      line("prod_addon", 800, 2),
    ]);
    const outcome = (
      await handled({
        ...event,
        data: { object: { ...event.data.object, lines: { ...event.data.object.lines, has_more: true } } },
      })
    ).outcome;
    expect(outcome).toMatch(/^sale of invoice in_\w+ recorded as cnv_.*\(800 of the 7000 paid/);
    // The program takes prod_addon only: its lines are the sale, the base plan and seats are the vendor's other products.
    const sale = await conversionOf(program.id, invoiceId);
    expect(sale).toMatchObject({ amount: 800 });
    const [row] = await t.database.db
      .select({ products: conversions.products })
      .from(conversions)
      .where(eq(conversions.id, sale!.id));
    expect(row?.products).toEqual([{ id: "prod_addon", quantity: 2, amountMinor: "800" }]);
    expect(stripeReads(`/v1/invoices/${invoiceId}/lines`)).toHaveLength(2);
  });

  test("refunds: pending until Stripe says succeeded, of a charge with no invoice or of an unrecorded sale, ignored", async () => {
    const { program, partners } = await billingProgram(["prod_refunds"], {}, 1);
    const customer = id("cus");
    stripe.customers.set(customer, { metadata: { tributary_click_id: await click(t, partners[0]!.slug) } });
    const invoice = invoicePaid({ customer, amountPaid: 3_000, product: "prod_refunds" });
    await handled(invoice);
    const invoiceId = invoice.data.object.id;

    const { charge, intent } = chargeOf(invoiceId);
    const pending = refundIn(charge, intent, 3_000, "pending");
    expect((await handled(chargeRefunded(charge, intent))).outcome).toContain(`${pending.id} pending, not recorded`);
    expect(await conversionOf(program.id, pending.id)).toBeUndefined();
    pending.status = "succeeded";
    const succeeded = await handled(stripeEvent("charge.refund.updated", { ...pending }));
    expect(succeeded.outcome).toContain(`${pending.id} recorded as cnv_`);
    expect(await conversionOf(program.id, invoiceId)).toMatchObject({ refundedAmount: 3_000 });

    // An endpoint on an API version before 2025-03-31 names the invoice on the charge itself.
    const legacyInvoice = invoicePaid({ customer, amountPaid: 500, product: "prod_refunds" });
    await handled(legacyInvoice);
    const legacyCharge = id("ch");
    const legacyRefund = refundIn(legacyCharge, "", 200);
    const legacy = await handled(chargeRefunded(legacyCharge, null, { invoice: legacyInvoice.data.object.id }));
    expect(legacy.outcome).toContain(`${legacyRefund.id} recorded as cnv_`);

    const loose = id("ch");
    const looseIntent = id("pi");
    expect((await handled(chargeRefunded(loose, looseIntent))).outcome).toBe(
      `ignored: no sale of payment ${looseIntent} was recorded (charge ${loose}): payment ${looseIntent} was made by no completed Checkout session`,
    );
    const neverSold = chargeOf(id("in"));
    refundIn(neverSold.charge, neverSold.intent, 100);
    expect((await handled(chargeRefunded(neverSold.charge, neverSold.intent))).outcome).toMatch(
      /^ignored: no sale of invoice in_\w+ was recorded/,
    );
  });

  test("an over-large refund is acknowledged with the Conversion API's reason, not retried for ever", async () => {
    const { program, partners } = await billingProgram(["prod_over"], {}, 1);
    const customer = id("cus");
    stripe.customers.set(customer, { metadata: { tributary_click_id: await click(t, partners[0]!.slug) } });
    const invoice = invoicePaid({ customer, amountPaid: 1_000, product: "prod_over" });
    await handled(invoice);
    const { charge, intent } = chargeOf(invoice.data.object.id);
    const refund = refundIn(charge, intent, 1_500);
    expect((await handled(chargeRefunded(charge, intent))).outcome).toMatch(
      new RegExp(`${refund.id} not recorded: .*exceeds what is left of the sale`),
    );
    expect(await conversionOf(program.id, refund.id)).toBeUndefined();
  });
});

describe("Stripe billing: what is refused or not trusted", () => {
  test("a wrong signature is a 400 naming the header; a billing event missing its fields a 422 naming one; nothing recorded", async () => {
    await billingProgram([], {}, 1);
    const invoice = invoicePaid({ customer: id("cus"), amountPaid: 1_000, product: "prod_sig" });
    const forged = await deliver(invoice, { secret: "whsec_not_the_vendors" });
    expect(forged.statusCode).toBe(400);
    expect(forged.json()).toMatchObject({ code: "invalid_signature", errors: [{ field: "header:/stripe-signature" }] });

    const { amount_paid: _dropped, ...withoutAmount } = invoice.data.object;
    const unshaped = await deliver({ ...invoice, data: { object: withoutAmount } });
    expect(unshaped.statusCode, unshaped.body).toBe(422);
    expect(JSON.stringify(unshaped.json().errors)).toContain("amount_paid");
    const badCurrency = await deliver({ ...invoice, data: { object: { ...invoice.data.object, currency: 840 } } });
    expect(badCurrency.statusCode).toBe(422);
    const badRefund = await deliver(stripeEvent("refund.updated", { id: 42, object: "refund" }));
    expect(badRefund.statusCode).toBe(422);
    const rows = await t.database.db.select().from(stripeEvents).where(eq(stripeEvents.id, invoice.id));
    expect(rows).toEqual([]);
  });

  test("billing events of a connected account or of the other mode are acknowledged and record nothing", async () => {
    const { program, partners } = await billingProgram([], {}, 1);
    const clickId = await click(t, partners[0]!.slug);
    const fromPartner = checkoutCompleted(id("cus"), clickId);
    const viaConnect = await handled({ ...fromPartner, account: "acct_partner" }, { secret: CONNECT_SECRET });
    expect(viaConnect.outcome).toBe(
      "ignored: a checkout.session.completed event of connected account acct_partner; billing counts only on the platform's own account",
    );
    const live = invoicePaid({ customer: id("cus"), amountPaid: 1_000, product: "prod_live" });
    expect((await handled({ ...live, livemode: true })).outcome).toMatch(/^ignored: a live-mode event/);
    expect(await conversionsOf(program.id)).toEqual([]);
  });
});

describe("the Stripe billing setting", () => {
  test("validated, stored, shown and audited; two programs cannot take the same product", async () => {
    owner = await t.team("owner");
    const { program } = await programWithPartners(t, owner, 0);
    const shown = await owner.get(`/v1/programs/${program.id}`);
    expect(shown.json().stripeBilling).toEqual({ enabled: false, productIds: [] });

    const saved = await owner.patch(`/v1/programs/${program.id}`, {
      stripeBilling: { enabled: true, productIds: [" prod_Setting1 ", "prod_Setting1", "prod_Setting2"] },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json().stripeBilling).toEqual({ enabled: true, productIds: ["prod_Setting1", "prod_Setting2"] });
    const [audit] = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, program.id), eq(auditLog.action, "program.update")));
    expect(audit?.after).toMatchObject({
      stripeBilling: { enabled: true, productIds: ["prod_Setting1", "prod_Setting2"] },
    });

    const pasted = await owner.patch(`/v1/programs/${program.id}`, {
      stripeBilling: { enabled: true, productIds: ["prod_a, prod_b"] },
    });
    expect(pasted.statusCode).toBe(422);
    expect(pasted.json().errors).toEqual([
      { field: "/stripeBilling/productIds/0", message: expect.stringContaining("is not a Stripe product id") },
    ]);
    const unknownField = await owner.patch(`/v1/programs/${program.id}`, { stripeBilling: { enabled: "yes" } });
    expect(unknownField.statusCode).toBe(422);

    // Another program taking one of its products, or every product, is refused naming this one.
    const other = await programWithPartners(t, owner, 0, { name: "Second Program" });
    for (const productIds of [["prod_Setting2"], []]) {
      const clash = await owner.patch(`/v1/programs/${other.program.id}`, {
        stripeBilling: { enabled: true, productIds },
      });
      expect(clash.statusCode).toBe(422);
      expect(clash.json().errors[0]).toMatchObject({
        field: "/stripeBilling/productIds",
        message: expect.stringContaining('program "Acme Affiliates"'),
      });
    }
    const apart = await owner.patch(`/v1/programs/${other.program.id}`, {
      stripeBilling: { enabled: true, productIds: ["prod_Setting3"] },
    });
    expect(apart.statusCode, apart.body).toBe(200);
    const created = await owner.post("/v1/programs", {
      name: "Third",
      slug: `third-${randomBytes(3).toString("hex")}`,
      type: "affiliate",
      currency: "USD",
      stripeBilling: { enabled: true, productIds: ["prod_Setting3"] },
    });
    expect(created.statusCode).toBe(422);
    // Switched off, a program takes nothing and blocks nothing.
    const off = await owner.patch(`/v1/programs/${other.program.id}`, {
      stripeBilling: { enabled: false, productIds: ["prod_Setting3"] },
    });
    expect(off.statusCode).toBe(200);
  });
});

/** The sale's stored products (what commission rules by product read). */
const productsOfSale = async (saleId: string) =>
  (
    await t.database.db.select({ products: conversions.products }).from(conversions).where(eq(conversions.id, saleId))
  )[0]?.products;

describe("Stripe billing: a refund before its sale", () => {
  test("a charge refunded before invoice.paid arrives: the sale is recorded from the invoice in Stripe, then refunded; the late event changes nothing", async () => {
    const { program, partners } = await billingProgram(["prod_early"], {}, 1);
    const customer = id("cus");
    stripe.customers.set(customer, { metadata: { tributary_click_id: await click(t, partners[0]!.slug) } });
    const invoice = invoicePaid({ customer, amountPaid: 6_000, product: "prod_early" });
    const invoiceId = invoice.data.object.id;
    t.clock.advance(60_000);
    const { charge, intent } = chargeOf(invoiceId);
    const refund = refundIn(charge, intent, 1_500);

    // Stripe's delivery of invoice.paid failed (it will retry); the refund's event comes first.
    const early = await handled(chargeRefunded(charge, intent));
    expect(early.outcome).toMatch(
      new RegExp(
        `^sale of invoice ${invoiceId} recorded as cnv_\\w+ .*\\(before its own event\\); refunds of invoice ${invoiceId} in ".*": ${refund.id} recorded as cnv_`,
      ),
    );
    expect(await conversionOf(program.id, invoiceId)).toMatchObject({
      kind: "sale",
      amount: 6_000,
      refundedAmount: 1_500,
      attributed: true,
      credits: [{ partnerId: partners[0]!.id }],
    });

    // Stripe's retry of invoice.paid: the same sale, already recorded.
    expect((await handled(invoice)).outcome).toMatch(/already recorded as cnv_/);
    const all = await conversionsOf(program.id);
    expect(all.filter((c) => c.kind === "sale")).toHaveLength(1);
    expect(all.filter((c) => c.kind === "refund")).toHaveLength(1);
    // The commission of the sale, and its reversal for the refunded quarter.
    const entries = await commissionsOf(program.id);
    expect(entries.map((e) => e.amount).sort()).toEqual([-450n, 1_800n]);
  });

  test("a refund of an invoice that is no program's stays ignored, after one read of the invoice", async () => {
    await billingProgram(["prod_mine"], {}, 1);
    const invoice = invoicePaid({ customer: id("cus"), amountPaid: 2_000, product: "prod_theirs" });
    const { charge, intent } = chargeOf(invoice.data.object.id);
    refundIn(charge, intent, 2_000);
    expect((await handled(chargeRefunded(charge, intent))).outcome).toMatch(
      /^ignored: no sale of invoice in_\w+ was recorded \(charge ch_\w+\): ignored: no program takes the Stripe invoices of prod_theirs/,
    );
  });
});

describe("Stripe billing: only the program's lines are its sale", () => {
  test("other products, discounts and taxes are not credited; refunds take back the same part", async () => {
    const { program, partners } = await billingProgram(["prod_core"], {}, 1);
    const customer = id("cus");
    stripe.customers.set(customer, { metadata: { tributary_click_id: await click(t, partners[0]!.slug) } });
    // prod_core 5000, a 1000 discount, 800 tax on top; prod_other (not the program's) 3000 and 600 tax: 8400 paid.
    const invoice = invoicePaid({
      customer,
      amountPaid: 8_400,
      lines: [
        { product: "prod_core", amount: 5_000, discounts: [1_000], taxes: [{ amount: 800, inclusive: false }] },
        { product: "prod_other", amount: 3_000, taxes: [{ amount: 600, inclusive: false }] },
      ],
    });
    const invoiceId = invoice.data.object.id;
    expect((await handled(invoice)).outcome).toContain("(4000 of the 8400 paid: the program's lines, without tax)");
    const sale = await conversionOf(program.id, invoiceId);
    expect(sale).toMatchObject({ amount: 4_000 });
    expect(await productsOfSale(sale!.id)).toEqual([{ id: "prod_core", quantity: 1, amountMinor: "4000" }]);

    // A quarter of the charge refunded, then the rest: a quarter of the sale, then the rest of it.
    t.clock.advance(DAY);
    const { charge, intent } = chargeOf(invoiceId);
    const quarter = refundIn(charge, intent, 2_100);
    expect((await handled(chargeRefunded(charge, intent))).outcome).toContain(`${quarter.id} recorded as cnv_`);
    expect(await conversionOf(program.id, quarter.id)).toMatchObject({ amount: 1_000 });
    t.clock.advance(1_000);
    const rest = refundIn(charge, intent, 6_300);
    await handled(stripeEvent("refund.updated", { ...rest }));
    expect(await conversionOf(program.id, rest.id)).toMatchObject({ amount: 3_000 });
    expect(await conversionOf(program.id, invoiceId)).toMatchObject({ refundedAmount: 4_000 });
  });

  test("an invoice of two programs' products is a sale of each, of its own lines; a refund takes the same part of each", async () => {
    const core = await billingProgram(["prod_split_core"], { name: "Core Partners" }, 1);
    const addon = await billingProgram(["prod_split_addon"], { name: "Add-on Partners" }, 1);
    const customer = id("cus");
    // The customer came through the core program's partner; the add-on program has no touch of it.
    stripe.customers.set(customer, { metadata: { tributary_click_id: await click(t, core.partners[0]!.slug) } });
    // Core 5000 less a 1000 discount, add-on 2000, each with tax on top; another product 1000: 9000 paid.
    const invoice = invoicePaid({
      customer,
      amountPaid: 9_000,
      lines: [
        { product: "prod_split_core", amount: 5_000, discounts: [1_000], taxes: [{ amount: 800, inclusive: false }] },
        { product: "prod_split_addon", amount: 2_000, taxes: [{ amount: 400, inclusive: false }] },
        { product: "prod_split_other", amount: 1_000, taxes: [{ amount: 200, inclusive: false }] },
      ],
    });
    const invoiceId = invoice.data.object.id;
    const outcome = (await handled(invoice)).outcome;
    expect(outcome).toContain(`"Core Partners"`);
    expect(outcome).toContain(`"Add-on Partners"`);
    const coreSale = await conversionOf(core.program.id, invoiceId);
    const addonSale = await conversionOf(addon.program.id, invoiceId);
    expect(coreSale).toMatchObject({ amount: 4_000, attributed: true, credits: [{ partnerId: core.partners[0]!.id }] });
    expect(addonSale).toMatchObject({ amount: 2_000, attributed: false });
    expect(await productsOfSale(coreSale!.id)).toEqual([{ id: "prod_split_core", quantity: 1, amountMinor: "4000" }]);
    expect(await productsOfSale(addonSale!.id)).toEqual([{ id: "prod_split_addon", quantity: 1, amountMinor: "2000" }]);
    expect(await commissionsOf(core.program.id)).toMatchObject([{ conversionId: coreSale!.id, amount: 1_200n }]);
    // Redelivered: nothing twice in either program.
    expect(await handled(invoice)).toMatchObject({ duplicate: true });

    // A third of the charge refunded, then the rest: a third of each sale, then the rest of each.
    t.clock.advance(DAY);
    const { charge, intent } = chargeOf(invoiceId);
    const third = refundIn(charge, intent, 3_000);
    const refunded = (await handled(chargeRefunded(charge, intent))).outcome;
    expect(refunded).toMatch(new RegExp(`in "Core Partners": ${third.id} recorded as cnv_\\w+ \\(1333 of`));
    expect(refunded).toMatch(new RegExp(`in "Add-on Partners": ${third.id} recorded as cnv_\\w+ \\(667 of`));
    t.clock.advance(1_000);
    const rest = refundIn(charge, intent, 6_000);
    await handled(stripeEvent("refund.updated", { ...rest }));
    expect(await conversionOf(core.program.id, rest.id)).toMatchObject({ amount: 2_667 });
    expect(await conversionOf(addon.program.id, rest.id)).toMatchObject({ amount: 1_333 });
    expect(await conversionOf(core.program.id, invoiceId)).toMatchObject({ refundedAmount: 4_000 });
    expect(await conversionOf(addon.program.id, invoiceId)).toMatchObject({ refundedAmount: 2_000 });
    // The same events again record nothing more.
    await handled(chargeRefunded(charge, intent));
    expect((await conversionsOf(addon.program.id)).filter((c) => c.kind === "refund")).toHaveLength(2);
  });

  test("a refund before an invoice of two programs' products: both sales are recorded from Stripe, then refunded", async () => {
    const core = await billingProgram(["prod_early_core"], {}, 1);
    const addon = await billingProgram(["prod_early_addon"], { name: "Early Add-on" }, 1);
    const customer = id("cus");
    stripe.customers.set(customer, { metadata: {} });
    const invoice = invoicePaid({
      customer,
      amountPaid: 3_000,
      lines: [
        { product: "prod_early_core", amount: 1_000 },
        { product: "prod_early_addon", amount: 2_000 },
      ],
    });
    const invoiceId = invoice.data.object.id;
    const { charge, intent } = chargeOf(invoiceId);
    const refund = refundIn(charge, intent, 3_000);
    const outcome = (await handled(chargeRefunded(charge, intent))).outcome;
    expect(outcome).toContain("(before its own event)");
    expect(await conversionOf(core.program.id, refund.id)).toMatchObject({ kind: "refund", amount: 1_000 });
    expect(await conversionOf(addon.program.id, refund.id)).toMatchObject({ kind: "refund", amount: 2_000 });
    // The late invoice.paid finds both sales recorded and changes nothing.
    await handled(invoice);
    expect((await conversionsOf(core.program.id)).filter((c) => c.kind === "sale")).toHaveLength(1);
    expect(await conversionOf(addon.program.id, invoiceId)).toMatchObject({ amount: 2_000, refundedAmount: 2_000 });
  });

  test("a tax-inclusive price (an endpoint before 2025-03-31: tax_amounts): the tax inside the line is not credited", async () => {
    const { program } = await billingProgram(["prod_vat"], {}, 1);
    const customer = id("cus");
    stripe.customers.set(customer, { metadata: {} });
    const invoice = invoicePaid({
      customer,
      amountPaid: 1_200,
      legacyLines: true,
      lines: [{ product: "prod_vat", amount: 1_200, taxes: [{ amount: 200, inclusive: true }] }],
    });
    await handled(invoice);
    expect(await conversionOf(program.id, invoice.data.object.id)).toMatchObject({ amount: 1_000 });
  });
});

/** A paid one-time Checkout session (mode payment) for these line items: [product, net amount, tax]. */
function paymentCompleted(
  o: {
    customer: string | null;
    clickId: string | null;
    items: [product: string, amount: number, tax: number][];
    invoice?: string;
    paymentStatus?: string;
  },
  type = "checkout.session.completed",
) {
  const sessionId = id("cs");
  const intent = id("pi");
  const amountTotal = o.items.reduce((sum, [, amount, tax]) => sum + amount + tax, 0);
  stripe.checkoutLineItems.set(
    sessionId,
    o.items.map(([product, amount, tax]) => ({
      id: id("li"),
      object: "item",
      created: nowSeconds(),
      amount_subtotal: amount,
      amount_discount: 0,
      amount_tax: tax,
      amount_total: amount + tax,
      currency: "usd",
      quantity: 1,
      price: { id: id("price"), object: "price", product },
    })),
  );
  const session = {
    id: sessionId,
    object: "checkout.session",
    created: nowSeconds(),
    mode: "payment",
    status: "complete",
    payment_status: o.paymentStatus ?? "paid",
    client_reference_id: o.clickId,
    customer: o.customer,
    customer_details: { email: "buyer@customer.example", address: { country: "de" } },
    payment_intent: intent,
    invoice: o.invoice ?? null,
    invoice_creation: { enabled: o.invoice !== undefined },
    amount_total: amountTotal,
    currency: "eur",
  };
  stripe.checkoutSessions.push(session);
  return { event: stripeEvent(type, session), session, intent };
}

describe("Stripe billing: one-time Checkout payments", () => {
  test("a paid payment without an invoice is a sale under its PaymentIntent; its refund finds it; redelivered, nothing twice", async () => {
    const { program, partners } = await billingProgram(["prod_course"], { currency: "EUR" }, 1);
    const clickId = await click(t, partners[0]!.slug);
    const { event, intent } = paymentCompleted({
      customer: null,
      clickId,
      items: [
        ["prod_course", 3_000, 300],
        ["prod_ebook", 1_000, 0],
      ],
    });
    const outcome = (await handled(event)).outcome;
    expect(outcome).toMatch(new RegExp(`made no Stripe customer.*; sale of payment ${intent} recorded as cnv_`));
    const sale = await conversionOf(program.id, intent);
    expect(sale).toMatchObject({
      kind: "sale",
      amount: 3_000,
      currency: "EUR",
      attributed: true,
      credits: [{ partnerId: partners[0]!.id }],
    });
    expect(await productsOfSale(sale!.id)).toEqual([{ id: "prod_course", quantity: 1, amountMinor: "3000" }]);
    expect(await handled(event)).toMatchObject({ duplicate: true });

    // The charge refunded in full (4300): the whole sale, found by the PaymentIntent (no invoice paid it).
    t.clock.advance(DAY);
    const charge = id("ch");
    const refund = refundIn(charge, intent, 4_300);
    expect((await handled(chargeRefunded(charge, intent))).outcome).toContain(`refunds of payment ${intent}`);
    expect(await conversionOf(program.id, refund.id)).toMatchObject({ kind: "refund", amount: 3_000 });
    expect((await conversionsOf(program.id)).filter((c) => c.kind === "sale")).toHaveLength(1);
  });

  test("a payment of two programs' products is a sale of each under its PaymentIntent, each credited its own way", async () => {
    const course = await billingProgram(["prod_pay_course"], {}, 1);
    const coaching = await billingProgram(["prod_pay_coaching"], { name: "Coaching Partners" }, 1);
    // The session's click is the course program's: the coaching program credits nobody for it.
    const clickId = await click(t, course.partners[0]!.slug);
    const { event, intent } = paymentCompleted({
      customer: null,
      clickId,
      items: [
        ["prod_pay_course", 3_000, 300],
        ["prod_pay_coaching", 5_000, 500],
      ],
    });
    const outcome = (await handled(event)).outcome;
    expect(outcome).toContain(`sale of payment ${intent} recorded as cnv_`);
    expect(outcome).toContain(`has neither a Stripe customer nor a click of "Coaching Partners" to credit`);
    expect(await conversionOf(course.program.id, intent)).toMatchObject({ amount: 3_000, attributed: true });
    expect(await conversionOf(coaching.program.id, intent)).toBeUndefined();

    // With a Stripe customer the coaching program records its sale too, unattributed.
    const { event: second, intent: secondIntent } = paymentCompleted({
      customer: id("cus"),
      clickId,
      items: [
        ["prod_pay_course", 3_000, 300],
        ["prod_pay_coaching", 5_000, 500],
      ],
    });
    await handled(second);
    expect(await conversionOf(course.program.id, secondIntent)).toMatchObject({ amount: 3_000, attributed: true });
    expect(await conversionOf(coaching.program.id, secondIntent)).toMatchObject({ amount: 5_000, attributed: false });
  });

  test("with invoice_creation the sale is the invoice's only; a delayed payment is a sale once Stripe says it succeeded", async () => {
    const { program, partners } = await billingProgram(["prod_kit"], { currency: "EUR" }, 1);
    const customer = id("cus");
    const clickId = await click(t, partners[0]!.slug);
    const invoiceId = id("in");
    const invoiced = paymentCompleted({ customer, clickId, items: [["prod_kit", 2_000, 0]], invoice: invoiceId });
    expect((await handled(invoiced.event)).outcome).toMatch(
      new RegExp(
        `^lead of ${customer} recorded as cnv_.*; the payment of checkout session cs_\\w+ is a sale of its invoice ${invoiceId}`,
      ),
    );
    await handled(invoicePaid({ customer, amountPaid: 2_000, product: "prod_kit", invoiceId, currency: "eur" }));
    const sales = (await conversionsOf(program.id)).filter((c) => c.kind === "sale");
    expect(sales.map((s) => s.idempotencyKey)).toEqual([invoiceId]);

    // A bank debit: completed unpaid (no sale yet), then async_payment_succeeded.
    const debit = paymentCompleted({ customer, clickId, items: [["prod_kit", 2_500, 0]], paymentStatus: "unpaid" });
    expect((await handled(debit.event)).outcome).toContain("is unpaid: it is recorded when Stripe reports it paid");
    expect(await conversionOf(program.id, debit.intent)).toBeUndefined();
    const succeeded = stripeEvent("checkout.session.async_payment_succeeded", {
      ...debit.session,
      payment_status: "paid",
    });
    expect((await handled(succeeded)).outcome).toMatch(new RegExp(`^sale of payment ${debit.intent} recorded`));
    expect(await conversionOf(program.id, debit.intent)).toMatchObject({ amount: 2_500 });
  });

  test("a refund before its payment's checkout event: the sale is recorded from the session in Stripe", async () => {
    const { program, partners } = await billingProgram(["prod_fast"], { currency: "EUR" }, 1);
    const { event, intent } = paymentCompleted({
      customer: id("cus"),
      clickId: await click(t, partners[0]!.slug),
      items: [["prod_fast", 1_000, 0]],
    });
    t.clock.advance(1_000);
    const refund = refundIn(id("ch"), intent, 400);
    const early = await handled(stripeEvent("refund.updated", { ...refund }));
    expect(early.outcome).toMatch(/^sale of payment pi_\w+ recorded as cnv_.*\(before its own event\)/);
    expect(await conversionOf(program.id, intent)).toMatchObject({ amount: 1_000, refundedAmount: 400 });
    expect((await handled(event)).outcome).toMatch(/sale of payment pi_\w+ already recorded/);
  });
});

describe("Stripe billing: signed bodies that are not events", () => {
  test("a signed `null` is a 422 naming the body, a signed non-JSON body a 400 naming the body, not the signature", async () => {
    for (const [payload, status, code, field] of [
      ["null", 422, "validation", "/"],
      ["{not json", 400, "malformed_body", "/"],
    ] as const) {
      const header = Stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET, timestamp: nowSeconds() });
      const response = await t.app.inject({
        method: "POST",
        url: "/v1/webhooks/stripe",
        headers: { "content-type": "application/json; charset=utf-8", "stripe-signature": header },
        payload,
      });
      expect(response.statusCode, response.body).toBe(status);
      expect(response.headers["content-type"]).toMatch(/^application\/problem\+json/);
      expect(response.json()).toMatchObject({ code, errors: [{ field }] });
    }
  });
});
