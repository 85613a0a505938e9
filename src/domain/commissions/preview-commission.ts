import { and, eq } from "drizzle-orm";
import { customers } from "../../db/schema/index.js";
import { AppError } from "../../lib/errors.js";
import type { Ctx } from "../context.js";
import { findProgram } from "../programs/get-program.js";
import { Batch } from "./calculate-commissions.js";
import type { PreviewCommissionInput } from "./commissions.schemas.js";
import { loadCalculationContext, pairKey, type QueuedCredit } from "./load-calculation-context.js";
import { planFor } from "./plan-for.js";

/**
 * "What would this conversion earn this partner now, and by which rule?" Runs the real engine on a conversion
 * that is never stored: same plan resolution, period totals, FX and rule selection as the ledger uses.
 */
export async function previewCommission(ctx: Ctx, programId: string, input: PreviewCommissionInput) {
  const program = await findProgram(ctx.db, programId);
  if (!program) throw new AppError("not_found", `program ${programId} not found`);
  if (input.event === "sale" && input.amount === undefined) {
    throw new AppError("validation", "a sale preview needs an amount", {
      fields: [{ field: "/amount", message: "required for a sale" }],
    });
  }
  const customerId = input.customerExternalId ? await findCustomerId(ctx, programId, input.customerExternalId) : null;
  const credit: QueuedCredit = {
    conversionId: "cnv_preview",
    partnerId: input.partnerId,
    enrollmentId: null,
    programId,
    weightBps: 10_000,
    creditMinor: input.amount === undefined ? null : BigInt(input.amount),
    kind: input.event,
    amountMinor: input.amount === undefined ? null : BigInt(input.amount),
    currency: input.event === "sale" ? (input.currency ?? program.currency) : null,
    occurredAt: input.occurredAt ? new Date(input.occurredAt) : ctx.clock.now(),
    customerId,
    recurring: input.recurring ?? null,
    products: input.products?.map((id) => ({ id })) ?? null,
    country: input.country ?? null,
    saleId: null,
  };
  const context = await loadCalculationContext(ctx.db, [credit]);
  if (!context.enrollments.has(pairKey(programId, input.partnerId))) {
    throw new AppError("validation", `partner ${input.partnerId} is not enrolled in this program`, {
      fields: [{ field: "/partnerId", message: "not enrolled in this program" }],
    });
  }
  const plan = planFor(context, programId, input.partnerId);
  const batch = new Batch(context, ctx.clock.now());
  batch.handle(credit);
  const entry = batch.entries.find((e) => e.kind === "commission");
  const waitingFx = batch.states[0]?.state === "waiting_fx";
  const none = (summary: string) => ({
    earns: false,
    amount: 0,
    currency: program.currency,
    planId: plan?.planId ?? null,
    planVersion: plan?.version ?? null,
    ruleId: null,
    ruleName: null,
    explanation: { summary, steps: [] },
  });
  if (!plan) return none("no commission plan applies to this partner in this program");
  if (waitingFx)
    return none(
      `no ${credit.currency}→${program.currency} exchange rate for that day yet: the commission would wait (pending FX)`,
    );
  if (!entry)
    return {
      ...none("no rule of the plan applies to this conversion"),
      explanation: batch.declined ?? none("").explanation,
    };
  return {
    earns: true,
    amount: Number(entry.amountMinor),
    currency: entry.currency,
    planId: plan.planId,
    planVersion: plan.version,
    ruleId: entry.ruleId,
    ruleName: plan.definition.rules.find((r) => r.id === entry.ruleId)?.name ?? null,
    explanation: entry.explanation,
  };
}

async function findCustomerId(ctx: Ctx, programId: string, externalId: string) {
  const [customer] = await ctx.db
    .select({ id: customers.id })
    .from(customers)
    .where(and(eq(customers.programId, programId), eq(customers.externalId, externalId)));
  return customer?.id ?? null;
}
