import { type SQL, sql } from "drizzle-orm";
import { selectRows } from "../../db/client.js";
import type { PayoutSchedule } from "../../db/schema/index.js";
import type { Ctx } from "../context.js";
import { payableByScheduleSql, scheduleDatedSql } from "../payouts/payable-sql.js";
import { payableFrom } from "../payouts/payout-rules.js";

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

export type LedgerFilter = { programId?: string | undefined; partnerId?: string | undefined };

/**
 * Sums per status and currency, optionally for one program and/or partner; the approved money split by where the
 * payout schedule puts it (see payout-rules.ts), as of the clock's now. Only the entries still moving (pending,
 * approved, held) are summed, through the ledger's live index; paid and rejected money, the part that grows with
 * the ledger's history, is read from the totals kept as entries reach those statuses (final-totals.ts). One
 * statement, so both parts come from one snapshot.
 */
export async function ledgerTotals(ctx: Pick<Ctx, "db" | "clock">, filter: LedgerFilter): Promise<LedgerTotals[]> {
  const now = ctx.clock.now();
  const live = sql`e.status in ('pending', 'approved', 'held') and ${scopedTo("e", filter)}`;
  const rows = await selectRows<SumsRow>(
    ctx.db,
    sql`${ledgerSums(now, live)}
        union all
        select t.currency, null, '0', '0', '0', sum(t.rejected_minor)::text, sum(t.paid_minor)::text, '0', '0', '0',
          null, null
        from commission_final_totals t where ${scopedTo("t", filter)}
        group by t.currency
        order by currency`,
  );
  return foldSums(rows);
}

/** The filter as a condition on the ledger rows `e` or the kept totals `t`. */
export const scopedTo = (alias: "e" | "t", filter: LedgerFilter): SQL => {
  const conditions = [sql`true`];
  if (filter.programId) conditions.push(sql`${sql.raw(alias)}.program_id = ${filter.programId}`);
  if (filter.partnerId) conditions.push(sql`${sql.raw(alias)}.partner_id = ${filter.partnerId}`);
  return sql.join(conditions, sql` and `);
};

export type SumsRow = Record<string, string | null>;

/**
 * The sums of the ledger rows `e` that `where` keeps, per currency and payout schedule (when money is due depends on
 * it). Tests sum every entry with it, paid and rejected too, to check the kept totals.
 */
export function ledgerSums(now: Date, where: SQL): SQL {
  const unattached = sql`e.status = 'approved' and e.payout_id is null`;
  const due = payableByScheduleSql(now);
  return sql`select e.currency, p.payout_schedule as schedule,
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
    where ${where}
    group by e.currency, p.payout_schedule`;
}

const earliest = (a: string | null, b: string | null) => (!a ? b : !b ? a : a < b ? a : b);

/** Rows of sums (in currency order) added up per currency. */
export function foldSums(rows: SumsRow[]): LedgerTotals[] {
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
