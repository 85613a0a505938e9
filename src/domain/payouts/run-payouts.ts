import { and, asc, eq, isNull, lt, or, sql } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import {
  commissionEntries,
  type PayoutSkipReason,
  partnerTaxForms,
  payoutMethods,
  payoutRuns,
  payoutSkips,
  type payouts,
  programs,
} from "../../db/schema/index.js";
import { AppError, fieldError } from "../../lib/errors.js";
import { newId } from "../../lib/ids.js";
import type { Ctx } from "../context.js";
import { type AuditEntry, recordAudit, recordAudits } from "../governance/record-audit.js";
import { NO_METHOD_MESSAGE, payoutCutoff, taxFormBlock } from "./payout-rules.js";
import type { PayoutRunView, RunPayoutsInput } from "./payouts.schemas.js";
import { affectedRows } from "./settle-payouts.js";

type Program = typeof programs.$inferSelect;

/** First key of the two-key advisory lock that serialises payout runs per program across app instances. */
const PAYOUT_RUN_LOCK = 7_230_100;
const CHUNK = 1000;

interface ProgramResult {
  payouts: PayoutRunView["payouts"];
  skipped: PayoutRunView["skipped"];
}

/**
 * Creates one payout per partner and program from the approved, unpaid entries the program's schedule makes
 * payable at `asOf` (see payoutCutoff). A partner whose balance is not positive or is under the program's
 * minimum gets nothing (the balance carries over); one blocked by a missing tax form or payout method is
 * recorded with the reason, which the partner sees in the portal.
 *
 * Each program is paid in one transaction holding a per-program advisory lock, with its entries locked:
 * two instances running at once pay every entry exactly once (the second finds nothing left to pay).
 */
export async function runPayouts(ctx: Ctx, input: RunPayoutsInput = {}): Promise<PayoutRunView> {
  const startedAt = ctx.clock.now();
  const asOf = input.asOf ? new Date(input.asOf) : startedAt;
  if (asOf.getTime() > startedAt.getTime()) throw fieldError("/asOf", "must not be in the future");
  const targets = input.programId
    ? await ctx.db.select().from(programs).where(eq(programs.id, input.programId))
    : await ctx.db.select().from(programs).orderBy(asc(programs.id));
  if (input.programId && targets.length === 0)
    throw new AppError("not_found", `program ${input.programId} not found`, {
      fields: [{ field: "/programId", message: "no such program" }],
    });

  const runId = newId("payoutRun", startedAt);
  const result: ProgramResult = { payouts: [], skipped: [] };
  for (const program of targets) {
    const done = await payProgram(ctx, program, runId, asOf);
    result.payouts.push(...done.payouts);
    result.skipped.push(...done.skipped);
  }
  const finishedAt = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const [run] = await tx
      .insert(payoutRuns)
      .values({
        id: runId,
        programId: input.programId ?? null,
        asOf,
        startedBy: ctx.actor.label,
        payoutsCreated: result.payouts.length,
        partnersSkipped: result.skipped.length,
        startedAt,
        finishedAt,
      })
      .returning();
    await recordAudit(tx, ctx, {
      action: "payout_run.complete",
      entityType: "payout_run",
      entityId: runId,
      programId: input.programId ?? null,
      after: run,
    });
  });
  ctx.log.info(
    { runId, payouts: result.payouts.length, skipped: result.skipped.length },
    `payout run ${runId}: ${result.payouts.length} payouts, ${result.skipped.length} partners skipped`,
  );
  return {
    runId,
    asOf: asOf.toISOString(),
    payoutsCreated: result.payouts.length,
    partnersSkipped: result.skipped.length,
    ...result,
  };
}

interface Balance {
  total: bigint;
  entryIds: string[];
  amounts: bigint[];
}

async function payProgram(ctx: Ctx, program: Program, runId: string, asOf: Date): Promise<ProgramResult> {
  return ctx.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${PAYOUT_RUN_LOCK}, hashtext(${program.id}))`);
    const cutoff = payoutCutoff(program.payoutSchedule, asOf);
    const dated = cutoff.basis === "approved" ? commissionEntries.statusChangedAt : commissionEntries.occurredAt;
    // Locked in id order (no deadlock with another locker of the same rows); a concurrent hold or reject
    // waits for this transaction, and a row changed before the lock is re-checked against the conditions.
    const rows = await tx
      .select({
        id: commissionEntries.id,
        partnerId: commissionEntries.partnerId,
        amount: commissionEntries.amountMinor,
      })
      .from(commissionEntries)
      .where(
        and(
          eq(commissionEntries.programId, program.id),
          eq(commissionEntries.status, "approved"),
          isNull(commissionEntries.payoutId),
          or(lt(commissionEntries.amountMinor, 0n), lt(dated, cutoff.before)),
        ),
      )
      .orderBy(asc(commissionEntries.id))
      .for("update");

    const balances = new Map<string, Balance>();
    for (const row of rows) {
      const b = balances.get(row.partnerId) ?? { total: 0n, entryIds: [], amounts: [] };
      balances.set(row.partnerId, b);
      b.total += row.amount;
      b.entryIds.push(row.id);
      b.amounts.push(row.amount);
    }
    const due = [...balances].filter(([, b]) => b.total > 0n && b.total >= program.payoutMinimumMinor);
    if (due.length === 0) return { payouts: [], skipped: [] };

    const blocks = await blockedPartners(
      tx,
      program,
      asOf,
      due.map(([partnerId]) => partnerId),
    );
    const now = ctx.clock.now();
    const result: ProgramResult = { payouts: [], skipped: [] };
    const payoutRows: (typeof payouts.$inferInsert)[] = [];
    const entryIds: string[] = [];
    const entryPayoutIds: string[] = [];
    const entryAmounts: bigint[] = [];
    const skipRows: (typeof payoutSkips.$inferInsert)[] = [];
    for (const [partnerId, b] of due) {
      const block = blocks.get(partnerId);
      if (block) {
        skipRows.push({
          runId,
          programId: program.id,
          partnerId,
          reason: block.reason,
          message: block.message,
          amountMinor: b.total,
          currency: program.currency,
          createdAt: now,
        });
        result.skipped.push({
          programId: program.id,
          partnerId,
          reason: block.reason,
          message: block.message,
          amount: Number(b.total),
          currency: program.currency,
        });
        continue;
      }
      const id = newId("payout", now);
      payoutRows.push({
        id,
        programId: program.id,
        partnerId,
        amountMinor: b.total,
        currency: program.currency,
        status: "pending",
        entryCount: b.entryIds.length,
        runId,
        createdAt: now,
        updatedAt: now,
      });
      b.entryIds.forEach((entryId, i) => {
        entryIds.push(entryId);
        entryPayoutIds.push(id);
        entryAmounts.push(b.amounts[i] ?? 0n);
      });
      result.payouts.push({
        id,
        programId: program.id,
        partnerId,
        amount: Number(b.total),
        currency: program.currency,
        entryCount: b.entryIds.length,
      });
    }

    // Column arrays through unnest: one statement each, whatever the number of partners and entries.
    const col = <T>(rows: T[], pick: (r: T) => unknown) => sql.param(rows.map((r) => String(pick(r))));
    if (payoutRows.length) {
      await tx.execute(sql`
        insert into payouts (id, program_id, partner_id, amount_minor, currency, status, entry_count, run_id, created_at, updated_at)
        select id, ${program.id}, partner_id, amount, ${program.currency}, 'pending', entry_count, ${runId}, ${now}, ${now}
        from unnest(${col(payoutRows, (r) => r.id)}::text[], ${col(payoutRows, (r) => r.partnerId)}::text[],
          ${col(payoutRows, (r) => r.amountMinor)}::bigint[], ${col(payoutRows, (r) => r.entryCount)}::int[])
          as v(id, partner_id, amount, entry_count)`);
    }
    if (entryIds.length) {
      const claimed = await tx.execute(sql`
        update commission_entries as ce set payout_id = v.payout_id
        from unnest(${sql.param(entryIds)}::text[], ${sql.param(entryPayoutIds)}::text[]) as v(id, payout_id)
        where ce.id = v.id and ce.payout_id is null and ce.status = 'approved'`);
      const count = affectedRows(claimed);
      // The rows are locked by this transaction, so this cannot happen; if it ever does, nothing is written.
      if (count !== entryIds.length) throw new Error(`payout run claimed ${count} of ${entryIds.length} entries`);
      await tx.execute(sql`
        insert into payout_items (payout_id, entry_id, amount_minor)
        select * from unnest(${sql.param(entryPayoutIds)}::text[], ${sql.param(entryIds)}::text[],
          ${col(entryAmounts, (a) => a)}::bigint[])`);
    }
    for (let i = 0; i < skipRows.length; i += CHUNK) await tx.insert(payoutSkips).values(skipRows.slice(i, i + CHUNK));

    const audits: AuditEntry[] = [
      ...result.payouts.map((p) => ({
        action: "payout.create",
        entityType: "payout",
        entityId: p.id,
        programId: p.programId,
        partnerId: p.partnerId,
        after: { ...p, status: "pending", runId },
      })),
      ...result.skipped.map((s) => ({
        action: "payout.skip",
        entityType: "payout_run",
        entityId: runId,
        programId: s.programId,
        partnerId: s.partnerId,
        after: s,
      })),
    ];
    await recordAudits(tx, ctx, audits);
    return result;
  });
}

/** Which of these partners cannot be paid now: no valid tax form where the program requires one, or no payout method. */
async function blockedPartners(tx: Db, program: Program, asOf: Date, partnerIds: string[]) {
  const ids = sql.param(partnerIds);
  const methods = await tx
    .select({ partnerId: payoutMethods.partnerId })
    .from(payoutMethods)
    .where(sql`${payoutMethods.partnerId} = any(${ids}::text[])`);
  const forms = program.requireTaxForm
    ? await tx.select().from(partnerTaxForms).where(sql`${partnerTaxForms.partnerId} = any(${ids}::text[])`)
    : [];
  const withMethod = new Set(methods.map((m) => m.partnerId));
  const formOf = new Map(forms.map((f) => [f.partnerId, f]));
  const blocks = new Map<string, { reason: PayoutSkipReason; message: string }>();
  for (const partnerId of partnerIds) {
    const tax = program.requireTaxForm ? taxFormBlock(formOf.get(partnerId), asOf) : null;
    if (tax) blocks.set(partnerId, tax);
    else if (!withMethod.has(partnerId))
      blocks.set(partnerId, { reason: "no_payout_method", message: NO_METHOD_MESSAGE });
  }
  return blocks;
}
