import { and, asc, eq } from "drizzle-orm";
import { enrollments, partnerUsers } from "../db/schema/index.js";
import { calculateCommissions } from "../domain/commissions/calculate-commissions.js";
import { createPlan } from "../domain/commissions/create-plan.js";
import { releaseHoldings } from "../domain/commissions/release-holdings.js";
import type { Ctx } from "../domain/context.js";
import { setEnrollmentTier } from "../domain/enrollments/set-enrollment-tier.js";
import { createPayoutBatch } from "../domain/payouts/create-payout-batch.js";
import { markBatchPaid } from "../domain/payouts/mark-batch-paid.js";
import { createPayoutRuntime } from "../domain/payouts/payout-runtime.js";
import type { SetPayoutMethodInput } from "../domain/payouts/payouts.schemas.js";
import { runPayouts } from "../domain/payouts/run-payouts.js";
import { setPayoutMethod } from "../domain/payouts/set-payout-method.js";
import { setTaxForm } from "../domain/payouts/set-tax-form.js";
import type { ProgramView } from "../domain/programs/programs.schemas.js";
import { DEMO_PASSWORD } from "./demo-password.js";

/**
 * The demo programs' commission plans, created before the traffic so every sale earns by them: the affiliate
 * program pays the tiered plan of the seed article (10% for the first 5 sales a month, 15% beyond) with a
 * monthly bonus, second-tier overrides and milestone badges; resellers earn a margin, more in the gold tier;
 * referrals pay a flat amount per new subscriber and give the referred customer a discount.
 */
export async function seedDemoPlans(ctx: Ctx, [affiliates, resellers, referrals]: ProgramView[]): Promise<void> {
  if (affiliates)
    await createPlan(ctx, affiliates.id, {
      name: "Standard affiliate",
      scope: "program",
      definition: {
        rules: [
          {
            id: "sales",
            name: "Tiered sales",
            event: "sale",
            tiers: {
              period: "calendar_month",
              basis: "count",
              levels: [
                { upTo: 5, reward: { type: "percent", bps: 1000 } },
                { upTo: null, reward: { type: "percent", bps: 1500 } },
              ],
            },
            duration: { type: "months", months: 12 },
          },
        ],
        bonuses: [
          { id: "ten_sales", name: "10 sales in a month", metric: "sales_count", threshold: 10, amount: 10_000 },
        ],
        overrides: { levels: [500] },
        badges: [
          {
            id: "rising",
            name: "Rising partner",
            metric: "sales_count",
            threshold: 3,
            benefits: ["Featured in the partner newsletter"],
          },
          {
            id: "expert",
            name: "Expert partner",
            metric: "sales_count",
            threshold: 10,
            benefits: ["Premium partner support", "Early beta access"],
          },
        ],
      },
    });
  if (resellers) {
    await createPlan(ctx, resellers.id, {
      name: "Reseller margin",
      scope: "program",
      definition: {
        rules: [
          { id: "deal_reg", name: "Registered lead", event: "lead", reward: { type: "flat", amount: 1_000 } },
          { id: "margin", name: "Resale margin", event: "sale", reward: { type: "percent", bps: 2000 } },
        ],
      },
    });
    await createPlan(ctx, resellers.id, {
      name: "Gold resellers",
      scope: "tier",
      scopeValue: "gold",
      definition: {
        rules: [
          { id: "deal_reg", name: "Registered lead", event: "lead", reward: { type: "flat", amount: 2_500 } },
          { id: "margin", name: "Gold margin", event: "sale", reward: { type: "percent", bps: 2500 } },
        ],
        cap: { amount: 500_000, period: "calendar_month" },
      },
    });
    const [gold] = await ctx.db
      .select({ id: enrollments.id })
      .from(enrollments)
      .where(and(eq(enrollments.programId, resellers.id), eq(enrollments.status, "active")))
      .orderBy(asc(enrollments.id))
      .limit(1);
    if (gold) await setEnrollmentTier(ctx, gold.id, { tier: "gold" });
  }
  if (referrals)
    await createPlan(ctx, referrals.id, {
      name: "Referral reward",
      scope: "program",
      definition: {
        rules: [
          {
            id: "new_subscriber",
            name: "New subscriber",
            event: "sale",
            reward: { type: "flat", amount: 10_000 },
            duration: { type: "first_sale" },
          },
        ],
        referralReward: { kind: "discount_percent", bps: 2000 },
      },
    });
}

const METHODS: SetPayoutMethodInput[] = [
  { kind: "paypal", email: "payouts@northwind-media.example" },
  { kind: "bank", holderName: "Brightline Reviews Ltd", iban: "DE89370400440532013000", currency: "EUR" },
  { kind: "paypal", email: "finance@ionic-reviews.example" },
];

/**
 * After the traffic: the engine turns every credited conversion into ledger entries, entries past their
 * holding period are approved, a few partners get payout methods (and a tax form where the program wants one),
 * and a payout run pays what the schedules allow — PayPal payouts in a batch marked paid, the rest left pending
 * or skipped with their reason, as a finance team would find them.
 */
export async function seedDemoLedger(
  base: Ctx,
  [affiliates, resellers]: ProgramView[],
  say: (line: string) => void,
): Promise<void> {
  let entries = 0;
  for (let round = 0; round < 1_000; round++) {
    const result = await calculateCommissions(base);
    if (result.busy) {
      // The server's own worker holds the engine: wait for it.
      await new Promise((resolve) => setTimeout(resolve, 50));
      continue;
    }
    if (result.processed === 0) break;
    entries += result.entries;
  }
  const approved = await releaseHoldings(base);
  const payouts =
    base.payouts ??
    (await createPayoutRuntime(
      { PAYOUT_ENCRYPTION_KEYS: undefined, STRIPE_SECRET_KEY: undefined, STRIPE_API_BASE: undefined },
      base.db,
    ));
  const ctx: Ctx = { ...base, payouts, actor: { type: "system", label: "demo finance" } };
  let methods = 0;
  if (affiliates) {
    const active = await ctx.db
      .select({ partnerId: enrollments.partnerId, userId: partnerUsers.id, name: partnerUsers.name })
      .from(enrollments)
      .innerJoin(partnerUsers, eq(partnerUsers.partnerId, enrollments.partnerId))
      .where(and(eq(enrollments.programId, affiliates.id), eq(enrollments.status, "active")))
      .orderBy(asc(enrollments.id));
    for (const [i, method] of METHODS.entries()) {
      const partner = active[i];
      if (!partner) break;
      const actor = { type: "partner" as const, id: partner.userId, partnerId: partner.partnerId, label: partner.name };
      // Demo partners sign in with the demo password, which confirms the change like any partner's would.
      await setPayoutMethod({ ...ctx, actor }, { ...method, currentPassword: DEMO_PASSWORD });
      methods += 1;
    }
  }
  if (resellers) {
    const [first] = await ctx.db
      .select({ partnerId: enrollments.partnerId })
      .from(enrollments)
      .where(and(eq(enrollments.programId, resellers.id), eq(enrollments.status, "active")))
      .orderBy(asc(enrollments.id))
      .limit(1);
    if (first) await setTaxForm(ctx, first.partnerId, { form: "w8ben", note: "received by email" });
  }
  const run = await runPayouts(ctx, {});
  let paid = 0;
  if (affiliates && run.payouts.some((p) => p.programId === affiliates.id)) {
    const batch = await createPayoutBatch(ctx, { programId: affiliates.id, methodKind: "paypal" }).catch(() => null);
    if (batch) {
      await markBatchPaid(ctx, batch.id, { reference: "PAYPAL-DEMO-0001" });
      paid = batch.payoutCount;
    }
  }
  say(
    `demo ledger: ${entries} commission entries (${approved} approved after their holding period), ${methods} payout methods, ${run.payoutsCreated} payouts (${paid} paid), ${run.partnersSkipped} partners waiting for a payout method or tax form`,
  );
}
