import { sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, expect, test } from "vitest";
import { selectRows } from "../../src/db/client.js";
import { percentOf, roundHalfUp } from "../../src/lib/money.js";
import { markEntriesPaid } from "../helpers/ledger.js";
import { expectLedgerTotalsOfEveryEntry } from "../helpers/ledger-totals-from-every-entry.js";
import { type Agent, applicationBody, createTestApp, programBody, type TestApp } from "../helpers/test-app.js";

/**
 * For any sequence of sales, partial or full refunds and payouts, the ledger nets every sale to exactly its
 * commission on the part not refunded, never below zero, and recomputing everything adds nothing (no cent is
 * earned — or paid — twice).
 */
const BPS = 1_250;

const ops = fc.array(
  fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({ type: fc.constant("sale" as const), amount: fc.integer({ min: 1, max: 500_000 }) }),
    },
    {
      weight: 4,
      arbitrary: fc.record({
        type: fc.constant("refund" as const),
        sale: fc.nat(),
        share: fc.integer({ min: 1, max: 100 }),
      }),
    },
    { weight: 1, arbitrary: fc.constant({ type: "pay" as const }) },
  ),
  { minLength: 1, maxLength: 14 },
);

let t: TestApp;
let owner: Agent;
let api: Agent;
let runs = 0;

beforeAll(async () => {
  t = await createTestApp();
  owner = await t.team("owner");
  api = t.agent();
  api.bearer = (await owner.post("/v1/api-keys", { name: "billing", scopes: ["track:write"] })).json().secret;
});
afterAll(() => t.close());

async function freshProgram() {
  runs += 1;
  const program = (await owner.post("/v1/programs", programBody({ applicationQuestions: [] }))).json();
  const partner = t.agent();
  const enrollment = (
    await partner.post(
      `/v1/public/programs/${program.slug}/applications`,
      applicationBody(program, `p${runs}@prop.test`),
    )
  ).json();
  await owner.post(`/v1/enrollments/${enrollment.id}/approve`, {});
  await owner.post("/v1/coupons", { enrollmentId: enrollment.id, code: `PROP${runs}` });
  await owner.post(`/v1/programs/${program.id}/plans`, {
    name: "Share",
    scope: "program",
    definition: { rules: [{ id: "share", name: "Share", event: "sale", reward: { type: "percent", bps: BPS } }] },
  });
  return { programId: program.id as string, coupon: `PROP${runs}` };
}

const entriesOf = (programId: string) =>
  selectRows<{ conversion_id: string | null; source: string | null; kind: string; amount: string; status: string }>(
    t.database.db,
    sql`select e.conversion_id, coalesce(c.sale_id, e.conversion_id) as source, e.kind, e.amount_minor::text as amount, e.status
        from commission_entries e left join conversions c on c.id = e.conversion_id
        where e.program_id = ${programId}`,
  );

test("the ledger nets every sale to its commission on what was not refunded, and never counts twice", async () => {
  await fc.assert(
    fc.asyncProperty(ops, async (sequence) => {
      const { programId, coupon } = await freshProgram();
      const sales: { orderId: string; id: string; amount: number; refunded: number }[] = [];
      let refunds = 0;
      for (const op of sequence) {
        if (op.type === "sale") {
          const orderId = `o${sales.length}`;
          const r = await api.post("/v1/track/sale", {
            programId,
            orderId,
            amount: op.amount,
            currency: "USD",
            couponCode: coupon,
          });
          expect(r.statusCode).toBe(201);
          sales.push({ orderId, id: r.json().id, amount: op.amount, refunded: 0 });
        } else if (op.type === "refund" && sales.length > 0) {
          const sale = sales[op.sale % sales.length]!;
          const left = sale.amount - sale.refunded;
          if (left === 0) continue;
          const amount = Math.max(1, Math.floor((left * op.share) / 100));
          const r = await api.post("/v1/track/refund", {
            programId,
            orderId: sale.orderId,
            refundId: `r${++refunds}`,
            amount,
          });
          expect(r.statusCode).toBe(201);
          sale.refunded += amount;
        } else if (op.type === "pay") {
          // What a payout does to the ledger: every approved or pending entry not yet paid becomes paid.
          await t.app.commissions.drain();
          await markEntriesPaid(
            t.database.db,
            sql`program_id = ${programId} and status in ('pending', 'approved') and payout_id is null`,
            `pay_prop_${runs}`,
          );
        }
      }
      await t.app.commissions.drain();
      const entries = await entriesOf(programId);
      for (const sale of sales) {
        const commission = percentOf(BigInt(sale.amount), BPS);
        const expected = commission - roundHalfUp(commission * BigInt(sale.refunded), BigInt(sale.amount));
        const net = entries.filter((e) => e.source === sale.id).reduce((sum, e) => sum + BigInt(e.amount), 0n);
        expect(net).toBe(expected);
        expect(net >= 0n).toBe(true);
        if (sale.refunded === sale.amount) expect(net).toBe(0n);
      }
      // Recomputing every credit from scratch changes nothing: each entry has its one dedupe key.
      await t.database.db.execute(
        sql`insert into commission_queue (conversion_id, partner_id, program_id)
            select conversion_id, partner_id, program_id from conversion_credits where program_id = ${programId}
            on conflict (conversion_id, partner_id) do update set state = 'queued'`,
      );
      await t.app.commissions.drain();
      expect((await entriesOf(programId)).length).toBe(entries.length);
      const [totals] = await selectRows<{ sales: string | null }>(
        t.database.db,
        sql`select sum(sales_count)::text as sales from commission_daily_totals where program_id = ${programId}`,
      );
      // Each sale counts once, and a sale refunded in full no longer counts (one that earned nothing has no entry
      // to take it out, and stays).
      const counted = sales.filter((s) => s.refunded < s.amount || percentOf(BigInt(s.amount), BPS) === 0n);
      expect(Number(totals?.sales ?? 0)).toBe(counted.length);
      // What was paid is in the ledger totals as summing every entry says.
      await expectLedgerTotalsOfEveryEntry(t.ctx, { programId });
    }),
    { numRuns: 25 },
  );
}, 240_000);
