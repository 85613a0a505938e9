import { type SQL, sql } from "drizzle-orm";
import { type Db, selectRows } from "../../db/client.js";
import { keepingFinalTotals } from "../commissions/final-totals.js";
import { uncountRejected } from "../commissions/uncount-rejected.js";
import type { Ctx } from "../context.js";
import { recordAudits } from "../governance/record-audit.js";
import { FRAUD_HOLD_REASON, FRAUD_REJECT_REASON } from "./fraud-holds-for.js";
import { releaseRejectedBindings } from "./release-rejected-bindings.js";

export interface Moved {
  id: string;
  conversion_id: string | null;
  program_id: string;
  partner_id: string;
  status: string;
  before: string;
  kind?: string;
}

const ids = (values: string[]) => sql`${sql.param(values)}::text[]`;

/**
 * A status update of entries `e` (from the locked rows `old`, as they were): what it moved, as the audit records
 * it, and in the same statement what it rejected added to the kept totals of final money.
 */
const moveKeepingTotals = (tx: Db, update: SQL) =>
  selectRows<Moved>(
    tx,
    keepingFinalTotals(
      sql`${update} returning e.id, e.conversion_id, e.program_id, e.partner_id, e.status, old.status as before,
        e.currency, e.amount_minor`,
      sql`id, conversion_id, program_id, partner_id, status, before`,
    ),
  );

/** Each moved entry in the audit log, with the status it left. */
const auditMoves = (tx: Db, ctx: Pick<Ctx, "clock" | "actor">, moved: Moved[], after: Record<string, unknown> = {}) =>
  recordAudits(
    tx,
    ctx,
    moved.map((e) => ({
      action:
        e.status === "held" ? "commission.hold" : e.status === "rejected" ? "commission.reject" : "commission.release",
      entityType: "commission",
      entityId: e.id,
      programId: e.program_id,
      partnerId: e.partner_id,
      before: { status: e.before },
      after: { status: e.status, ...after },
    })),
  );

/**
 * Moves the unpaid ledger entries of these conversions — their commissions and overrides, then the reversals and
 * overrides derived from those — like a manager's review does: status, reason and time only (amounts never change).
 */
async function moveEntries(
  tx: Db,
  ctx: Pick<Ctx, "clock" | "actor">,
  conversionIds: string[],
  from: string[],
  to: "held" | "rejected",
  reason: string,
): Promise<Moved[]> {
  if (conversionIds.length === 0) return [];
  const now = ctx.clock.now().toISOString();
  const sources = await moveKeepingTotals(
    tx,
    sql`update commission_entries e set status = ${to}, status_reason = ${reason}, status_changed_at = ${now}::timestamptz
        from (select id, status from commission_entries
              where conversion_id = any(${ids(conversionIds)}) and kind in ('commission', 'override')
                and status = any(${ids(from)}) and payout_id is null for update) old
        where e.id = old.id`,
  );
  const derived =
    sources.length === 0
      ? []
      : await moveKeepingTotals(
          tx,
          sql`update commission_entries e set status = ${to}, status_reason = ${reason}, status_changed_at = ${now}::timestamptz
              from (select id, status from commission_entries
                    where source_entry_id = any(${ids(sources.map((s) => s.id))}) and kind in ('reversal', 'override')
                      and status = any(${ids(from)}) and payout_id is null for update) old
              where e.id = old.id`,
        );
  const moved = [...sources, ...derived];
  await auditMoves(tx, ctx, moved, { reason });
  if (to === "rejected")
    await uncountRejected(
      tx,
      ctx,
      moved.map((e) => e.id),
    );
  return moved;
}

export const holdEntriesOf = (tx: Db, ctx: Pick<Ctx, "clock" | "actor">, conversionIds: string[]) =>
  moveEntries(tx, ctx, conversionIds, ["pending", "approved"], "held", FRAUD_HOLD_REASON);

/**
 * What fraud review's rejection of conversions does, wherever it is decided (a reviewer, a rule at ingestion, the
 * sweep): their unpaid entries are rejected, and the customers they bound for life are released.
 */
export async function rejectEntriesOf(tx: Db, ctx: Pick<Ctx, "clock" | "actor">, conversionIds: string[]) {
  const moved = await moveEntries(
    tx,
    ctx,
    conversionIds,
    ["pending", "approved", "held"],
    "rejected",
    FRAUD_REJECT_REASON,
  );
  await releaseRejectedBindings(tx, ctx, conversionIds);
  return moved;
}

/**
 * An approved case releases what fraud review held: back to pending while the holding period runs, approved
 * after it. Entries a manager held for another reason stay held.
 */
export async function releaseEntriesOf(tx: Db, ctx: Pick<Ctx, "clock" | "actor">, conversionIds: string[]) {
  if (conversionIds.length === 0) return [];
  const now = ctx.clock.now().toISOString();
  const release = (where: ReturnType<typeof sql>) =>
    selectRows<Moved>(
      tx,
      sql`update commission_entries e
          set status = case when e.hold_until is not null and e.hold_until > ${now}::timestamptz then 'pending' else 'approved' end,
              status_reason = null, status_changed_at = ${now}::timestamptz
          from (select id from commission_entries where ${where} and status = 'held'
                and status_reason = ${FRAUD_HOLD_REASON} and payout_id is null for update) old
          where e.id = old.id
          returning e.id, e.conversion_id, e.program_id, e.partner_id, e.status, 'held' as before, e.kind`,
    );
  const sources = await release(sql`conversion_id = any(${ids(conversionIds)}) and kind in ('commission', 'override')`);
  const derived =
    sources.length === 0
      ? []
      : await release(
          sql`source_entry_id = any(${ids(sources.map((s) => s.id))}) and kind in ('reversal', 'override')`,
        );
  const moved = [...sources, ...derived];
  await auditMoves(tx, ctx, moved);
  // The engine held back the referral reward of these conversions while they were under review: their credits go
  // through it again, which issues the reward and leaves the commission it already made as it is.
  const commissions = sources.filter((s) => s.kind === "commission" && s.conversion_id);
  if (commissions.length > 0) {
    await tx.execute(
      sql`insert into commission_queue (conversion_id, partner_id, program_id)
          select cc.conversion_id, cc.partner_id, cc.program_id
          from unnest(${ids(commissions.map((s) => s.conversion_id!))}, ${ids(commissions.map((s) => s.partner_id))})
            as u(conversion_id, partner_id)
          join conversion_credits cc on cc.conversion_id = u.conversion_id and cc.partner_id = u.partner_id
          on conflict do nothing`,
    );
  }
  return moved;
}

/**
 * A partner action's effect on a partner's unpaid entries in every program (held entries are released by a review).
 * Unpaid reversals move with the commissions they reduce: a reversal left approved beside its rejected commission
 * would take the refunded share out of the partner's next payout a second time. A clawback corrects money already
 * paid, and stays.
 */
export async function movePartnerEntries(
  tx: Db,
  ctx: Pick<Ctx, "clock" | "actor">,
  partnerId: string,
  to: "held" | "rejected",
): Promise<Moved[]> {
  const now = ctx.clock.now().toISOString();
  const reason = to === "held" ? FRAUD_HOLD_REASON : FRAUD_REJECT_REASON;
  const from = to === "held" ? ["pending", "approved"] : ["pending", "approved", "held"];
  const moved = await moveKeepingTotals(
    tx,
    sql`update commission_entries e set status = ${to}, status_reason = ${reason}, status_changed_at = ${now}::timestamptz
        from (select id, status from commission_entries where partner_id = ${partnerId} and status = any(${ids(from)})
              and payout_id is null and kind <> 'clawback' for update) old
        where e.id = old.id`,
  );
  await auditMoves(tx, ctx, moved, { reason });
  if (to === "rejected")
    await uncountRejected(
      tx,
      ctx,
      moved.map((e) => e.id),
    );
  return moved;
}
