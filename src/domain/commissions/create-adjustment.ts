import { and, eq } from "drizzle-orm";
import { commissionEntries, enrollments } from "../../db/schema/index.js";
import { AppError, fieldError } from "../../lib/errors.js";
import { newId } from "../../lib/ids.js";
import { formatMinor } from "../../lib/money.js";
import type { Ctx } from "../context.js";
import { recordAudit } from "../governance/record-audit.js";
import { findProgram } from "../programs/get-program.js";
import { toCommissionView } from "./commission-view.js";
import type { CreateAdjustmentInput } from "./commissions.schemas.js";
import { minorDigits } from "./fx.js";

/** A manual credit or debit with its reason, approved at once (a person decided it) and audited. */
export async function createAdjustment(ctx: Ctx, input: CreateAdjustmentInput) {
  if (input.amount === 0) throw fieldError("/amount", "an adjustment of zero changes nothing");
  const program = await findProgram(ctx.db, input.programId);
  if (!program)
    throw new AppError("not_found", `program ${input.programId} not found`, {
      fields: [{ field: "/programId", message: "no such program" }],
    });
  const [enrollment] = await ctx.db
    .select({ id: enrollments.id })
    .from(enrollments)
    .where(and(eq(enrollments.programId, program.id), eq(enrollments.partnerId, input.partnerId)));
  if (!enrollment) throw fieldError("/partnerId", `partner ${input.partnerId} is not enrolled in this program`);
  const now = ctx.clock.now();
  const id = newId("commission", now);
  const amount = BigInt(input.amount);
  const money = formatMinor(amount, program.currency, minorDigits(program.currency));
  return ctx.db.transaction(async (tx) => {
    const [entry] = await tx
      .insert(commissionEntries)
      .values({
        id,
        programId: program.id,
        partnerId: input.partnerId,
        enrollmentId: enrollment.id,
        kind: "adjustment",
        amountMinor: amount,
        currency: program.currency,
        status: "approved",
        statusReason: input.reason,
        explanation: { summary: `manual adjustment ${money}: ${input.reason}`, steps: [`by ${ctx.actor.label}`] },
        dedupeKey: `adjustment:${id}`,
        occurredAt: now,
        createdBy: "id" in ctx.actor ? ctx.actor.id : null,
        createdAt: now,
        statusChangedAt: now,
      })
      .returning();
    await recordAudit(tx, ctx, {
      action: "commission.adjust",
      entityType: "commission",
      entityId: id,
      programId: program.id,
      partnerId: input.partnerId,
      after: entry,
    });
    return toCommissionView(entry!);
  });
}
