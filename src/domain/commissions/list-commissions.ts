import { and, desc, eq, gte, lt, type SQL, sql } from "drizzle-orm";
import { selectRows } from "../../db/client.js";
import { commissionEntries, type PayoutSchedule, partners } from "../../db/schema/index.js";
import { AppError } from "../../lib/errors.js";
import type { Ctx } from "../context.js";
import { payableByScheduleSql, scheduleDatedSql } from "../payouts/payable-sql.js";
import { payableFrom } from "../payouts/payout-rules.js";
import { toCommissionView } from "./commission-view.js";
import type { ListCommissionsQuery } from "./commissions.schemas.js";

/** Ledger entries, newest first, with cursor paging; `partnerId` is forced by the portal to the signed-in partner. */
export async function listCommissions(ctx: Ctx, query: ListCommissionsQuery) {
  const limit = query.limit ?? 50;
  const where: SQL[] = [];
  if (query.programId) where.push(eq(commissionEntries.programId, query.programId));
  if (query.partnerId) where.push(eq(commissionEntries.partnerId, query.partnerId));
  if (query.status) where.push(eq(commissionEntries.status, query.status));
  if (query.kind) where.push(eq(commissionEntries.kind, query.kind));
  if (query.conversionId) where.push(eq(commissionEntries.conversionId, query.conversionId));
  if (query.from) where.push(gte(commissionEntries.occurredAt, new Date(query.from)));
  if (query.to) where.push(lt(commissionEntries.occurredAt, new Date(query.to)));
  if (query.cursor) where.push(lt(commissionEntries.id, query.cursor));
  const rows = await ctx.db
    .select({ entry: commissionEntries, partnerName: partners.name })
    .from(commissionEntries)
    .leftJoin(partners, eq(partners.id, commissionEntries.partnerId))
    .where(and(...where))
    .orderBy(desc(commissionEntries.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  return {
    items: page.map((r) => toCommissionView(r.entry, r.partnerName)),
    nextCursor: rows.length > limit ? (page.at(-1)?.entry.id ?? null) : null,
  };
}

export async function getCommission(ctx: Ctx, id: string, scope: { partnerId?: string } = {}) {
  const [row] = await ctx.db
    .select({ entry: commissionEntries, partnerName: partners.name })
    .from(commissionEntries)
    .leftJoin(partners, eq(partners.id, commissionEntries.partnerId))
    .where(
      and(eq(commissionEntries.id, id), scope.partnerId ? eq(commissionEntries.partnerId, scope.partnerId) : undefined),
    );
  if (!row) throw new AppError("not_found", `commission ${id} not found`);
  return toCommissionView(row.entry, row.partnerName);
}

export interface LedgerTotals {
  currency: string;
  pending: number;
  approved: number;
  held: number;
  rejected: number;
  paid: number;
  /** Approved and not yet in a payout (`due` + `notDue`). */
  payable: number;
  /** Approved, not in a payout, and the program's payout schedule makes it payable now: a run now would pay it. */
  due: number;
  /** Approved, not in a payout, and not payable yet: its schedule pays it later (from `dueFrom`). */
  notDue: number;
  /** Approved and in a payout on its way (pending or processing). */
  inPayouts: number;
  /** When the earliest of `notDue` becomes payable (ISO), or null. */
  dueFrom: string | null;
  /** When the earliest pending entry's holding period ends (ISO, in the future), or null. */
  pendingUntil: string | null;
}

/** Totals with no money in them: where a currency has no entries yet. */
export const emptyLedgerTotals = (currency: string): LedgerTotals => ({
  currency,
  pending: 0,
  approved: 0,
  held: 0,
  rejected: 0,
  paid: 0,
  payable: 0,
  due: 0,
  notDue: 0,
  inPayouts: 0,
  dueFrom: null,
  pendingUntil: null,
});

const earliest = (a: string | null, b: string | null) => (!a ? b : !b ? a : a < b ? a : b);

/**
 * Sums per status and currency, optionally for one program and/or partner; the approved money split by where the
 * payout schedule puts it (see payout-rules.ts), as of the clock's now.
 */
export async function ledgerTotals(
  ctx: Pick<Ctx, "db" | "clock">,
  filter: { programId?: string | undefined; partnerId?: string | undefined },
): Promise<LedgerTotals[]> {
  const now = ctx.clock.now();
  const conditions = [sql`true`];
  if (filter.programId) conditions.push(sql`e.program_id = ${filter.programId}`);
  if (filter.partnerId) conditions.push(sql`e.partner_id = ${filter.partnerId}`);
  const unattached = sql`e.status = 'approved' and e.payout_id is null`;
  const due = payableByScheduleSql(now);
  // Grouped by schedule too: when money becomes payable depends on it (summed per currency below).
  const rows = await selectRows<Record<string, string | null>>(
    ctx.db,
    sql`select e.currency, p.payout_schedule as schedule,
          coalesce(sum(e.amount_minor) filter (where e.status = 'pending'), 0)::text as pending,
          coalesce(sum(e.amount_minor) filter (where e.status = 'approved'), 0)::text as approved,
          coalesce(sum(e.amount_minor) filter (where e.status = 'held'), 0)::text as held,
          coalesce(sum(e.amount_minor) filter (where e.status = 'rejected'), 0)::text as rejected,
          coalesce(sum(e.amount_minor) filter (where e.status = 'paid'), 0)::text as paid,
          coalesce(sum(e.amount_minor) filter (where ${unattached} and ${due}), 0)::text as due,
          coalesce(sum(e.amount_minor) filter (where ${unattached} and not ${due}), 0)::text as not_due,
          coalesce(sum(e.amount_minor) filter (where e.status = 'approved' and e.payout_id is not null), 0)::text
            as in_payouts,
          min(${scheduleDatedSql(now)}) filter (where ${unattached} and not ${due}) as first_not_due,
          min(e.hold_until) filter (where e.status = 'pending' and e.hold_until > ${now.toISOString()}::timestamptz)
            as pending_until
        from commission_entries e join programs p on p.id = e.program_id
        where ${sql.join(conditions, sql` and `)}
        group by e.currency, p.payout_schedule order by e.currency`,
  );
  const out = new Map<string, LedgerTotals>();
  for (const r of rows) {
    const currency = r.currency!;
    const t = out.get(currency) ?? emptyLedgerTotals(currency);
    t.pending += Number(r.pending);
    t.approved += Number(r.approved);
    t.held += Number(r.held);
    t.rejected += Number(r.rejected);
    t.paid += Number(r.paid);
    t.due += Number(r.due);
    t.notDue += Number(r.not_due);
    t.payable = t.due + t.notDue;
    t.inPayouts += Number(r.in_payouts);
    const firstNotDue = r.first_not_due ? new Date(r.first_not_due) : null;
    if (firstNotDue)
      t.dueFrom = earliest(t.dueFrom, payableFrom(r.schedule as PayoutSchedule, firstNotDue).toISOString());
    if (r.pending_until) t.pendingUntil = earliest(t.pendingUntil, new Date(r.pending_until).toISOString());
    out.set(currency, t);
  }
  return [...out.values()];
}

/** Credits whose sale is in a currency without an exchange rate for its day yet. */
export async function countWaitingFx(
  ctx: Pick<Ctx, "db">,
  filter: { programId?: string | undefined; partnerId?: string | undefined },
): Promise<number> {
  const conditions = [sql`state = 'waiting_fx'`];
  if (filter.programId) conditions.push(sql`program_id = ${filter.programId}`);
  if (filter.partnerId) conditions.push(sql`partner_id = ${filter.partnerId}`);
  const [row] = await selectRows<{ n: string }>(
    ctx.db,
    sql`select count(*)::text as n from commission_queue where ${sql.join(conditions, sql` and `)}`,
  );
  return Number(row?.n ?? 0);
}
