import { setImmediate as nextTurn } from "node:timers/promises";
import { asc, eq, type SQL, sql } from "drizzle-orm";
import { arrayLiteral } from "../../db/array-literal.js";
import { type Db, selectRows } from "../../db/client.js";
import { postgresPoolOf } from "../../db/raw-transaction.js";
import {
  type PayoutSkipReason,
  partnerTaxForms,
  payoutMethods,
  payoutRuns,
  payoutSkips,
  programs,
} from "../../db/schema/index.js";
import { AppError, fieldError } from "../../lib/errors.js";
import { newId } from "../../lib/ids.js";
import type { Ctx } from "../context.js";
import { type AuditEntry, recordAudit, recordAudits } from "../governance/record-audit.js";
import { balancesInSlices, claimInSlices, type Slicing } from "./ledger-slices.js";
import {
  belowMinimumMessage,
  NO_METHOD_MESSAGE,
  payoutCutoff,
  RETURNED_TRANSFER_KEY_LIKE,
  taxFormBlock,
} from "./payout-rules.js";
import type { PayoutRunView, RunPayoutsInput } from "./payouts.schemas.js";

type Program = typeof programs.$inferSelect;

/** First key of the two-key advisory lock that serialises payout runs per program across app instances. */
const PAYOUT_RUN_LOCK = 7_230_100;
const CHUNK = 1000;
/** Payouts or audit rows per statement when the ledger is read in slices. */
const ROWS_PER_STATEMENT = 1000;

/**
 * Writes `rows` in one statement when the ledger is read whole; in statements of ROWS_PER_STATEMENT with a turn of
 * the event loop after each when it is read in slices: on PGlite, thousands of payouts or audit rows are one long
 * statement too.
 */
async function inStatements<T>(rows: T[], ledgerPass: LedgerPass, write: (chunk: T[]) => Promise<unknown>) {
  const size = ledgerPass === "whole" ? Math.max(rows.length, 1) : ROWS_PER_STATEMENT;
  for (let i = 0; i < rows.length; i += size) {
    await write(rows.slice(i, i + size));
    if (ledgerPass !== "whole") await nextTurn();
  }
}

export interface RunPayoutsOptions {
  /**
   * How the run reads the ledger: "whole", each pass one statement (PostgreSQL's default, where statements run in
   * another process), or in slices of the payable entries with a turn of the event loop between them (see
   * ledger-slices.ts): "timed" (PGlite's default) or that many entries a slice.
   */
  ledgerPass?: LedgerPass;
}

type LedgerPass = "whole" | Slicing;

interface ProgramResult {
  payouts: PayoutRunView["payouts"];
  skipped: PayoutRunView["skipped"];
}

/**
 * Creates one payout per partner and program from the approved, unpaid entries the program's schedule makes
 * payable at `asOf` (see payoutCutoff). A partner whose balance is not positive gets nothing; one whose balance
 * is under the program's minimum (it carries over), or who is blocked by a missing tax form or payout method, is
 * recorded as skipped with the reason, which the partner sees in the portal and the team with the run.
 *
 * Each program is paid in one transaction holding a per-program advisory lock, with its entries locked:
 * two instances running at once pay every entry exactly once (the second finds nothing left to pay).
 */
export async function runPayouts(
  ctx: Ctx,
  input: RunPayoutsInput = {},
  options: RunPayoutsOptions = {},
): Promise<PayoutRunView> {
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

  const ledgerPass = options.ledgerPass ?? (postgresPoolOf(ctx.db) ? "whole" : "timed");
  const runId = newId("payoutRun", startedAt);
  const result: ProgramResult = { payouts: [], skipped: [] };
  for (const program of targets) {
    const done = await payProgram(ctx, program, runId, asOf, ledgerPass);
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

async function payProgram(
  ctx: Ctx,
  program: Program,
  runId: string,
  asOf: Date,
  ledgerPass: LedgerPass,
): Promise<ProgramResult> {
  return ctx.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${PAYOUT_RUN_LOCK}, hashtext(${program.id}))`);
    // A run sums and claims up to millions of entries in a few statements: room to hash them in memory rather
    // than sort them on disk (the claimed entries' ids, grouped per payout, are ~90 MB at a million entries), and
    // no JIT compile (it costs more than it saves on these plans).
    await tx.execute(sql`set local work_mem = '128MB'`);
    await tx.execute(sql`set local jit = off`);
    const cutoff = payoutCutoff(program.payoutSchedule, asOf);
    const dated = cutoff.basis === "approved" ? sql`ce.status_changed_at` : sql`ce.occurred_at`;
    const payable = sql`ce.program_id = ${program.id} and ce.status = 'approved' and ce.payout_id is null
      and (ce.amount_minor < 0 or ${dated} < ${cutoff.before.toISOString()}::timestamptz
        or ce.dedupe_key like ${RETURNED_TRANSFER_KEY_LIKE})`;
    // The balances, summed by the database: which partners a payout is due to.
    const balances =
      ledgerPass === "whole"
        ? await selectRows<{ partner_id: string; total: string }>(
            tx,
            sql`select ce.partner_id, sum(ce.amount_minor)::text as total from commission_entries ce where ${payable}
                group by ce.partner_id order by ce.partner_id`,
          )
        : await balancesInSlices(tx, payable, ledgerPass);
    const qualifies = (total: bigint) => total > 0n && total >= program.payoutMinimumMinor;
    const positive = balances
      .map((b) => ({ partnerId: b.partner_id, total: BigInt(b.total) }))
      .filter((b) => b.total > 0n);
    const due = positive.filter((b) => qualifies(b.total));
    if (positive.length === 0) return { payouts: [], skipped: [] };

    const blocks = await blockedPartners(
      tx,
      program,
      asOf,
      due.map((b) => b.partnerId),
    );
    // A balance under the minimum is not paid either: the run says so, so that the team sees who it left out.
    for (const { partnerId, total } of positive)
      if (!qualifies(total))
        blocks.set(partnerId, {
          reason: "below_minimum",
          message: belowMinimumMessage(total, program.payoutMinimumMinor, program.currency),
        });
    const now = ctx.clock.now();
    const result: ProgramResult = { payouts: [], skipped: [] };
    const skipRows: (typeof payoutSkips.$inferInsert)[] = [];
    const paying: { id: string; partnerId: string }[] = [];
    for (const { partnerId, total } of positive) {
      const block = blocks.get(partnerId);
      if (!block) {
        paying.push({ id: newId("payout", now), partnerId });
        continue;
      }
      skipRows.push({
        runId,
        programId: program.id,
        partnerId,
        reason: block.reason,
        message: block.message,
        amountMinor: total,
        currency: program.currency,
        createdAt: now,
      });
      result.skipped.push({
        programId: program.id,
        partnerId,
        reason: block.reason,
        message: block.message,
        amount: Number(total),
        currency: program.currency,
      });
    }
    if (paying.length)
      result.payouts = await claimAndPay(tx, program, runId, now, payable, paying, qualifies, ledgerPass);
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
    await inStatements(audits, ledgerPass, (chunk) => recordAudits(tx, ctx, chunk));
    return result;
  });
}

/**
 * The claim: each due partner's payable entries point at its new payout, and the payout's item list is written from
 * the same rows (in one statement, or slice by slice: see RunPayoutsOptions). The row locks the update takes make a
 * concurrent hold, reject or second run wait, and a row changed meanwhile is re-checked against the conditions; the
 * payouts then get the amounts actually claimed, so a payout always adds up to its items. (payout_items' foreign key
 * is checked at commit.)
 */
async function claimAndPay(
  tx: Db,
  program: Program,
  runId: string,
  now: Date,
  payable: SQL,
  paying: { id: string; partnerId: string }[],
  qualifies: (total: bigint) => boolean,
  ledgerPass: LedgerPass,
): Promise<PayoutRunView["payouts"]> {
  const payoutOf = new Map(paying.map((p) => [p.partnerId, p.id]));
  const claimed =
    ledgerPass === "whole"
      ? await claimAtOnce(tx, payable, payoutOf)
      : await claimInSlices(tx, payable, payoutOf, ledgerPass);
  const byPayout = new Map(claimed.map((c) => [c.payout_id, { total: BigInt(c.total), entries: Number(c.entries) }]));
  // Between the balances and the claim the ledger may have moved (an entry held or rejected meanwhile): a partner
  // whose claimed balance no longer qualifies is not paid this time, and its entries return to the balance.
  const released = paying.filter((p) => byPayout.has(p.id) && !qualifies(byPayout.get(p.id)!.total)).map((p) => p.id);
  if (released.length) {
    const ids = sql.param(released);
    await tx.execute(sql`
      update commission_entries set payout_id = null
      where id in (select unnest(entry_ids) from payout_items where payout_id = any(${ids}::text[]))
        and payout_id = any(${ids}::text[])`);
    await tx.execute(sql`delete from payout_items where payout_id = any(${ids}::text[])`);
  }
  const paid = paying.flatMap((p) => {
    const got = byPayout.get(p.id);
    return got && qualifies(got.total) ? [{ ...p, ...got }] : [];
  });
  await inStatements(paid, ledgerPass, async (chunk) => {
    const col = (pick: (p: (typeof paid)[number]) => unknown) => sql.param(chunk.map((p) => String(pick(p))));
    await tx.execute(sql`
      insert into payouts (id, program_id, partner_id, amount_minor, currency, status, entry_count, run_id, created_at, updated_at)
      select id, ${program.id}, partner_id, amount, ${program.currency}, 'pending', entry_count, ${runId}, ${now}, ${now}
      from unnest(${col((p) => p.id)}::text[], ${col((p) => p.partnerId)}::text[], ${col((p) => p.total)}::bigint[],
        ${col((p) => p.entries)}::int[]) as v(id, partner_id, amount, entry_count)`);
  });
  return paid.map((p) => ({
    id: p.id,
    programId: program.id,
    partnerId: p.partnerId,
    amount: Number(p.total),
    currency: program.currency,
    entryCount: p.entries,
  }));
}

/** The claim of claimAndPay in one statement over the whole ledger, the payouts' item lists written by it too. */
async function claimAtOnce(tx: Db, payable: SQL, payoutOf: Map<string, string>) {
  // No join: the partners are one hashed `= any(…)` filter and each row's payout is looked up in a JSON object
  // (a binary search over its sorted keys). Joined to the list, the planner — which cannot tell the list's size
  // or that its partners are distinct — hashed the ledger side or looped over the partner index, and the update
  // then visited the ledger's pages in partner order, each page once per partner on it (17 s instead of 7.6 s
  // at a million entries). This way the ledger is read once, in its physical order, whatever the statistics say.
  return selectRows<{ payout_id: string; total: string; entries: number }>(
    tx,
    sql`with claimed as (
          update commission_entries ce set payout_id = ${JSON.stringify(Object.fromEntries(payoutOf))}::jsonb ->> ce.partner_id
          where ce.partner_id = any(${arrayLiteral([...payoutOf.keys()])}::text[]) and ${payable}
          returning ce.payout_id, ce.id, ce.amount_minor
        ),
        listed as (
          insert into payout_items (payout_id, entry_ids, amounts_minor)
          select payout_id, array_agg(id), array_agg(amount_minor) from claimed group by payout_id
          returning payout_id, entry_ids, amounts_minor
        )
        select payout_id, (select sum(a) from unnest(amounts_minor) a)::text as total,
          cardinality(entry_ids) as entries
        from listed`,
  );
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
